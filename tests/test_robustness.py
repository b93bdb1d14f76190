"""Bad input and interruptions at the level of a whole ingest run (real files, real SQLite)."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from nyhetsvakt import NewsArchive


def _copies(src_dir, dst, n):
    dst.mkdir()
    seeds = sorted(src_dir.glob("*.txt"))
    for i in range(n):
        s = seeds[i % len(seeds)]
        (dst / f"c{i:04d}_{s.name}").write_bytes(s.read_bytes())
    return dst


def _count(db):
    with sqlite3.connect(db) as con:
        return con.execute("select count(*), count(distinct id) from articles").fetchone()


BAD_INPUTS = {
    "binary.txt": bytes(range(256)) * 64,
    "empty.txt": b"",
    "bad_utf8.txt": b"Rubrik\n\n2022 05 23\n\nEn mening om " + b"\xff\xfe\xfa" + b" soldater.\n",
    "truncated.txt.gz": (lambda z: z[: len(z) // 2])(
        gzip.compress(("Rubrik\n\n2022 05 23\n\n" + " ".join(f"ord{i}" for i in range(20000))).encode())),
    "scripts.html": b"<html><head><script>alert(1)</script></head><body>"
                    + b"<script>document.write('x')</script>" * 200 + b"</body></html>",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_reported_and_run_goes_on(tmp_path, examples_dir, name):
    db = tmp_path / "n.db"
    with NewsArchive(db) as archive:
        archive.ingest([str(examples_dir / "000_30c9a46bdec557f4.txt")])
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(BAD_INPUTS[name])
    (folder / "zz_good.txt").write_bytes((examples_dir / "002_440e9332798f33ed.txt").read_bytes())
    with NewsArchive(db) as archive:
        report = archive.ingest([str(folder)])
        total = archive.stats().articles
    reasons = [e for e in report.errors if name in e.uri]
    if name == "bad_utf8.txt":  # decoded with a detected encoding: a clean result, no error
        assert not reasons
    else:
        assert len(reasons) == 1 and reasons[0].reason and "\n" not in str(reasons[0])
    assert report.added >= 3  # the good file after the bad one
    assert total >= 6  # what was stored before is intact


def test_fifty_megabyte_line(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b"a" * (50 * 1024 * 1024))
    with NewsArchive(tmp_path / "n.db") as archive:
        report = archive.ingest([str(big)])
    assert len(report.errors) == 1 and "big.txt" in str(report.errors[0])


def test_rerun_after_bad_input_is_safe(tmp_path, examples_dir):
    folder = _copies(examples_dir, tmp_path / "in", 5)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "n.db"
    for _ in range(2):
        with NewsArchive(db) as archive:
            archive.ingest([str(folder)])
    assert _count(db) == (11, 11)


@pytest.mark.slow
def test_kill_9_during_ingest_then_resume(tmp_path, examples_dir):
    folder = _copies(examples_dir, tmp_path / "in", 400)
    db = tmp_path / "n.db"
    cmd = [sys.executable, "-m", "nyhetsvakt", "--db", str(db), "ingest", "--no-progress", str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            if db.exists() and _count(db)[0] >= 30:
                break
        except sqlite3.OperationalError:
            continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(db)[0]
    assert 0 < partial < 880, "the kill should land mid-run"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert _count(db) == (880, 880)  # nothing lost, nothing doubled
