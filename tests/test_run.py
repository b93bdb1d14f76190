"""Batch runs (``nyhetsvakt run``): the same output whatever the executor, resumable after a
crash (kill -9 included) with nothing lost and nothing doubled.

The Ray tests share one local Ray (2 CPUs, every address on 127.0.0.1) started by a
session fixture; they skip, saying why, where Ray is not installed (CI installs the extra).
"""

from __future__ import annotations

import gzip
import importlib.util
import io
import ipaddress
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from nyhetsvakt import NewsArchive, PipelineError, PipelineOptions, analyze
from nyhetsvakt.batch import RunOptions, read_parquet_contract, run
from nyhetsvakt.cli import cli

HAVE_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAVE_RAY, reason="ray is not installed: pip install 'nyhetsvakt[ray]' "
                                                    "(CI installs it)")

CORPUS_ARTICLES = 240
ARTICLES_PER_FILE = 4
SHARD_FILES = 7
# the seeds (11), the copies (3 + 1) and the generated corpus
ARTICLES = 11 + 4 + CORPUS_ARTICLES


class Interrupted(Exception):
    pass


# --- inputs and the reference output -------------------------------------------------------------


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, examples_dir):
    """The seeds, a copy of one under another name (exact duplicates), and a generated corpus
    of a few hundred articles over 60 files: 67 inputs in all."""
    root = tmp_path_factory.mktemp("inputs")
    seeds = root / "seeds"
    shutil.copytree(examples_dir, seeds)
    shutil.copy(examples_dir / "004_2d5c5d973ad852de.txt", seeds / "zz_copy_of_004.txt")
    shutil.copy(examples_dir / "000_30c9a46bdec557f4.txt", seeds / "zz_copy_of_000.txt")
    _corpus_module().write_dump_files(root / "corpus", CORPUS_ARTICLES, articles_per_file=ARTICLES_PER_FILE)
    return [str(seeds), str(root / "corpus")]


@pytest.fixture(scope="module")
def reference(inputs):
    """What ``analyze`` prints for the inputs: the output a run's part files must add up to."""
    lines = []
    for result in analyze(inputs):
        assert not result.errors, result.errors
        lines += [json.dumps(a.to_contract(), ensure_ascii=False) + "\n" for a in result.articles]
    return "".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory, inputs):
    """An uninterrupted local run in each format, made once: ``clean_run(("jsonl",))``."""
    made: dict[tuple[str, ...], tuple[Path, object]] = {}

    def make(formats: tuple[str, ...]):
        if formats not in made:
            out = tmp_path_factory.mktemp("clean")
            options = RunOptions(output=str(out), formats=formats, shard_files=SHARD_FILES)
            made[formats] = out, run(inputs, options)
        return made[formats]

    return make


def _parts(out: Path, ext: str = "jsonl") -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.glob(f"part-*.{ext}")))


def _files(out: Path) -> dict[str, bytes]:
    """Every file of a run directory by relative name."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# --- Ray ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ray_address():
    """One local Ray for the whole session (2 CPUs, loopback only); its GCS address."""
    if not HAVE_RAY:
        pytest.skip("ray is not installed: pip install 'nyhetsvakt[ray]' (CI installs it)")
    from nyhetsvakt.executors.ray import ray_cluster

    with ray_cluster(workers=2) as ray:
        yield ray.get_runtime_context().gcs_address


# --- equivalence -------------------------------------------------------------------------------------


def test_the_reference_is_not_trivial(reference):
    """The inputs exercise corpus-wide ids: copies point to their origin, stories span files."""
    articles = [json.loads(line) for line in reference.decode("utf-8").splitlines()]
    assert len(articles) == ARTICLES
    assert sum(a["duplicate_of"] is not None for a in articles) >= 3
    by_story: dict[str, set[str]] = {}
    for a in articles:
        by_story.setdefault(a["story_id"], set()).add(a["source"]["uri"])
    assert any(len(uris) > 1 for uris in by_story.values())
    assert any(a["quotes"] for a in articles) and any(a["sources"] for a in articles)
    assert any(a["claims"] for a in articles) and any(a["entities"] for a in articles)


@pytest.mark.parametrize("executor", ["local", "process", pytest.param("ray", marks=needs_ray)])
def test_every_executor_writes_the_same_output(request, tmp_path, inputs, reference, clean_run, executor):
    if executor == "local":
        out, report = clean_run(("jsonl",))
    else:
        if executor == "ray":
            request.getfixturevalue("ray_address")
        out = tmp_path
        report = run(inputs, RunOptions(output=str(out), shard_files=SHARD_FILES, executor=executor,
                                        workers=2))
        assert _files(out) == _files(clean_run(("jsonl",))[0])
    assert report.ok and report.files == 67 and report.shards == 10 and report.written == 10
    assert _parts(out) == reference
    assert sorted(p.name for p in (out / "done").iterdir()) == [f"{k:05d}.json" for k in range(10)]


@needs_ray
def test_run_into_a_store_equals_ingest(tmp_path, ray_address, examples_dir):
    runner = CliRunner()
    got = runner.invoke(cli, ["run", "--executor", "ray", "--address", ray_address, "--workers", "2",
                              "--db", str(tmp_path / "run.db"), "--output", str(tmp_path / "out"),
                              "--json", str(examples_dir)], catch_exceptions=False)
    assert got.exit_code == 0, got.output
    summary = json.loads(got.stdout)
    assert summary["articles"] == 11 and summary["ingest"]["added"] == 11
    with NewsArchive(tmp_path / "ingest.db") as archive:
        archive.ingest([str(examples_dir)])
    exports = []
    for name in ("run.db", "ingest.db"):
        with NewsArchive(tmp_path / name) as archive:
            archive.export("jsonl", tmp_path / f"{name}.jsonl")
        exports.append((tmp_path / f"{name}.jsonl").read_bytes())
    assert exports[0] == exports[1] and exports[0].count(b"\n") == 11


def _proc_address(hex_address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An address of /proc/net/tcp{,6}: 32-bit words in host (little-endian) order."""
    raw = b"".join(bytes.fromhex(hex_address[i:i + 8])[::-1] for i in range(0, len(hex_address), 8))
    address = ipaddress.ip_address(raw)
    return getattr(address, "ipv4_mapped", None) or address


RAY_PROCESSES = ("ray::", "raylet", "gcs_server", "ray/_private", "ray/dashboard")


def _ray_sockets() -> list[tuple[str, str, str]]:
    """(process, local, remote) for every TCP socket of a Ray process (and of this one)."""
    owners: dict[str, str] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            name = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if proc.name != str(os.getpid()) and not any(k in name for k in RAY_PROCESSES):
                continue
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    owners[target[8:-1]] = name[:60]
        except OSError:  # gone, or not ours to read
            continue
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            if cols[9] in owners:
                local, remote = (_proc_address(c.split(":")[0]) for c in cols[1:3])
                out.append((owners[cols[9]], str(local), str(remote) if int(cols[3], 16) != 0x0A else "-"))
    return out


@needs_ray
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_ray_is_loopback_only(ray_address):
    """Every socket of every Ray process listens on and talks to 127.0.0.1 only."""
    import ray

    assert ray_address.startswith("127.0.0.1:")
    assert {node["NodeManagerAddress"] for node in ray.nodes()} == {"127.0.0.1"}
    sockets = _ray_sockets()
    assert len({name for name, _, _ in sockets}) >= 3, sockets  # the raylet, the GCS, this driver
    outward = [(name, local, remote) for name, local, remote in sockets
               if not ipaddress.ip_address(local).is_loopback
               or (remote != "-" and not ipaddress.ip_address(remote).is_loopback)]
    assert not outward


@needs_ray
@pytest.mark.slow
def test_a_dying_ray_worker_costs_one_file(tmp_path, ray_address, examples_dir):
    """... and stdin, which only the driver can read, is read there, in its turn."""
    for f in sorted(examples_dir.glob("*.txt")):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "003_killer.txt").write_text("Rubrik\n\n2022 05 23\n\nKILL-THIS-WORKER.\n")
    options = PipelineOptions(extra_steps=("steps_for_tests:KillWorkerOnMarker",))
    stdin = io.BytesIO((examples_dir / "004_2d5c5d973ad852de.txt").read_bytes())
    results = list(analyze(["-", str(tmp_path)], options=options, executor="ray", workers=2, stdin=stdin))
    by_name = {Path(r.uri).name: r for r in results}
    assert "died" in by_name["003_killer.txt"].errors[0].reason
    assert [r.uri for r in results][:2] == ["-", str(tmp_path / "000_30c9a46bdec557f4.txt")]
    assert len(results[0].articles) == 1 and not results[0].errors
    assert sum(len(r.articles) for r in results) == 12 and len(results) == 7


@needs_ray
def test_an_address_nobody_answers_at_is_a_clear_error(tmp_path, examples_dir):
    """In a process of its own: in this one, the session's Ray is already connected."""
    out = tmp_path / "out"
    got = subprocess.run([sys.executable, "-m", "nyhetsvakt", "run", "--executor", "ray", "--address",
                          "127.0.0.1:9", "-o", str(out), str(examples_dir)], capture_output=True, text=True,
                         timeout=120)
    assert got.returncode == 1 and "no Ray cluster answers at 127.0.0.1:9" in got.stderr
    assert not out.exists()


def test_a_missing_ray_is_a_clear_error(monkeypatch, examples_dir, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(PipelineError, match=r"pip install nyhetsvakt\[ray\]"):
        list(analyze([str(examples_dir)], executor="ray"))
    got = CliRunner().invoke(cli, ["run", "--executor", "ray", "-o", str(tmp_path), str(examples_dir)])
    assert got.exit_code == 1 and "nyhetsvakt[ray]" in got.output


# --- resuming ------------------------------------------------------------------------------------------


def _interrupt_after(n: int):
    def on_shard(k: int, skipped: bool) -> None:
        if k + 1 == n:
            raise Interrupted

    return on_shard


@pytest.mark.parametrize("fmt", [("jsonl",), ("parquet",)])
def test_resume_after_an_interruption(monkeypatch, tmp_path, inputs, reference, clean_run, fmt):
    clean, resumed = clean_run(fmt)[0], tmp_path / "resumed"
    options = RunOptions(output=str(resumed), formats=fmt, shard_files=SHARD_FILES)
    with pytest.raises(Interrupted):
        run(inputs, options, on_shard=_interrupt_after(4))

    def not_here(article):
        raise AssertionError("story features are made by the workers, and kept for a rerun")

    monkeypatch.setattr("nyhetsvakt.stories.assign.features_of", not_here)
    # a crash mid-shard leaves a temporary file and a part file with no done marker
    (resumed / ".part-00004.jsonl.tmp").write_text("half an article")
    shutil.copy(clean / f"part-00005.{fmt[0]}", resumed / f"part-00005.{fmt[0]}")
    report = run(inputs, options)
    assert report.skipped == 4 and report.written == 6 and report.articles == ARTICLES
    assert _files(resumed) == _files(clean)
    if fmt == ("jsonl",):
        assert _parts(resumed) == reference


def _wait_for_marker(out: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "done").is_dir() and any((out / "done").glob("*.json")):
            return
        time.sleep(0.02)
    raise AssertionError(f"no shard was marked done (exit code {proc.poll()})")


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local", pytest.param("ray", marks=needs_ray)])
def test_kill_9_mid_run_then_rerun(request, tmp_path, inputs, reference, executor):
    out = tmp_path / "out"
    address = ["--address", request.getfixturevalue("ray_address")] if executor == "ray" else []
    cmd = [sys.executable, "-m", "nyhetsvakt", "run", "--executor", executor, *address, "--workers", "2",
           "--shard-files", "5", "--output", str(out), *inputs]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_marker(out, proc)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
    done = len(list((out / "done").glob("*.json")))
    assert 0 < done < 14, f"the kill should land mid-run ({done} shards done): {err.decode()[-2000:]}"
    again = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["skipped"] >= done and summary["skipped"] + summary["written"] == 14
    assert _parts(out) == reference  # nothing lost, nothing doubled


# --- the directory, bad input, Parquet ---------------------------------------------------------------


def _cli(*args):
    return CliRunner().invoke(cli, ["run", *args])


def test_another_run_into_the_same_directory_is_refused(tmp_path, examples_dir):
    seeds = tmp_path / "seeds"
    shutil.copytree(examples_dir, seeds)
    out = str(tmp_path / "out")
    assert _cli("-o", out, "--shard-files", "2", str(seeds)).exit_code == 0
    first = _files(Path(out))
    refused = _cli("-o", out, "--shard-files", "3", str(seeds))
    assert refused.exit_code == 2 and "other shard files: 2, now 3" in refused.output
    refused = _cli("-o", out, "--shard-files", "2", "--format", "both", str(seeds))
    assert refused.exit_code == 2 and "other formats" in refused.output
    (seeds / "001_05a0466f22381025.txt").write_text("Rubrik\n\n2022 05 23\n\nEn annan text.\n", "utf-8")
    refused = _cli("-o", out, "--shard-files", "2", str(seeds))
    assert refused.exit_code == 2 and "001_05a0466f22381025.txt has changed" in refused.output
    assert _files(Path(out)) == first  # refusing touched nothing
    restarted = _cli("-o", out, "--shard-files", "3", "--restart", "--json", str(seeds))
    assert restarted.exit_code == 0, restarted.output
    assert json.loads(restarted.stdout)["shards"] == 2
    assert sorted(_files(Path(out))) == ["done/00000.json", "done/00001.json", "errors-00000.jsonl",
                                         "errors-00001.jsonl", "manifest.json", "part-00000.jsonl",
                                         "part-00001.jsonl", "state/00000.arrow", "state/00001.arrow"]


def test_bad_input_is_reported_and_the_run_goes_on(tmp_path, examples_dir):
    folder = tmp_path / "in"
    shutil.copytree(examples_dir, folder)
    (folder / "001_binary.txt").write_bytes(bytes(range(256)) * 64)
    whole = gzip.compress(("Rubrik\n\n2022 05 23\n\n" + " ".join(f"ord{i}" for i in range(20000))).encode())
    (folder / "002_truncated.txt.gz").write_bytes(whole[: len(whole) // 2])
    out = tmp_path / "out"
    for attempt in range(2):  # a rerun (every shard done) reports the same errors and exit code
        got = _cli("-o", str(out), "--shard-files", "3", "--json", str(folder))
        assert got.exit_code == 1, got.output
        assert json.loads(got.stdout) == {"files": 7, "errors": 2, "shards": 3, "skipped": 3 * attempt,
                                          "written": 3 - 3 * attempt, "articles": 11}
        stderr = got.stderr.splitlines()
        assert len(stderr) == 2 and all(line.startswith("error: ") for line in stderr)
        assert "001_binary.txt: " in stderr[0] and "002_truncated.txt.gz: " in stderr[1]
    errors = [json.loads(line) for p in sorted(out.glob("errors-*.jsonl"))
              for line in p.read_text("utf-8").splitlines()]
    assert [e["uri"].rsplit("/", 1)[1] for e in errors] == ["001_binary.txt", "002_truncated.txt.gz"]
    assert all(e["reason"] for e in errors)


def test_parquet_holds_the_jsonl_content(tmp_path, examples_dir):
    got = _cli("-o", str(tmp_path), "--format", "both", "--shard-files", "2", str(examples_dir))
    assert got.exit_code == 0, got.output
    import pyarrow.parquet as pq

    assert sum(pq.read_table(p).num_rows for p in tmp_path.glob("part-*.parquet")) == 11
    from_jsonl = [json.loads(line) for line in _parts(tmp_path).decode("utf-8").splitlines()]
    from_parquet = [row for p in sorted(tmp_path.glob("part-*.parquet")) for row in read_parquet_contract(p)]
    assert from_parquet == from_jsonl


def test_run_needs_somewhere_to_write(examples_dir):
    got = _cli(str(examples_dir))
    assert got.exit_code == 2 and "--output DIR" in got.output


@needs_ray
@pytest.mark.parametrize("command", ["ingest", "analyze", "run"])
def test_every_command_with_executors_takes_the_ray_address(tmp_path, examples_dir, command):
    """--address reaches the executor of ingest and analyze as of run: a cluster address nothing
    answers at fails fast, naming it (a fresh process: no Ray is initialised there)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{s.getsockname()[1]}"  # closed again: nothing listens there
    extra = ["--output", str(tmp_path / "out")] if command == "run" else []
    done = subprocess.run([sys.executable, "-m", "nyhetsvakt", "--db", str(tmp_path / "x.db"), command,
                           "--executor", "ray", "--address", address, *extra, str(examples_dir)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, RAY_ADDRESS=""))
    assert done.returncode == 1, done.stderr
    assert f"no Ray cluster answers at {address}" in done.stderr


def _export(db: Path, tmp_path: Path) -> bytes:
    with NewsArchive(db) as archive:
        archive.export("jsonl", tmp_path / f"{db.name}.jsonl")
    return (tmp_path / f"{db.name}.jsonl").read_bytes()


def test_output_and_store_process_each_file_once(tmp_path, inputs, monkeypatch):
    """With --output and --db each file goes through the pipeline once, and the store equals an
    ingest's; rerun into the finished directory (as after a crash between the shards being
    written and stored), only the files the store lacks are processed, at the end."""
    from nyhetsvakt.pipeline import Pipeline
    from nyhetsvakt.readers import expand_inputs

    files = sorted(expand_inputs(inputs))
    processed: list[str] = []
    real = Pipeline.process_source
    monkeypatch.setattr(Pipeline, "process_source",
                        lambda self, path, **kw: (processed.append(path), real(self, path, **kw))[1])
    out = tmp_path / "out"
    report = run(inputs, RunOptions(output=str(out), db=str(tmp_path / "both.db"), shard_files=SHARD_FILES))
    assert report.ok and report.written == 10
    assert report.ingest.files == 67 and report.ingest.added == ARTICLES
    assert sorted(processed) == files
    monkeypatch.setattr(Pipeline, "process_source", real)
    with NewsArchive(tmp_path / "ingest.db") as archive:
        archive.ingest(inputs)
    assert _export(tmp_path / "both.db", tmp_path) == _export(tmp_path / "ingest.db", tmp_path)

    # The directory is complete; a new store lacks everything: all of it is ingested at the end.
    monkeypatch.setattr(Pipeline, "process_source",
                        lambda self, path, **kw: (processed.append(path), real(self, path, **kw))[1])
    processed.clear()
    again = run(inputs, RunOptions(output=str(out), db=str(tmp_path / "later.db"), shard_files=SHARD_FILES))
    assert again.ok and again.skipped == 10 and again.written == 0 and again.ingest.added == ARTICLES
    assert sorted(processed) == files
    processed.clear()
    third = run(inputs, RunOptions(output=str(out), db=str(tmp_path / "later.db"), shard_files=SHARD_FILES))
    assert third.ok and third.ingest.skipped == 67 and processed == []
    assert _export(tmp_path / "later.db", tmp_path) == _export(tmp_path / "ingest.db", tmp_path)
