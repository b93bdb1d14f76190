"""Watch mode (``nyhetsvakt watch``): a drop folder ingested as files arrive, real files and SQLite."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nyhetsvakt import NewsArchive
from nyhetsvakt.errors import UsageError
from nyhetsvakt.watch import DropFolder

OLD = time.time() - 3600  # an mtime long settled


def _drop(src: Path, folder: Path, name: str | None = None, *, settled: bool = True) -> Path:
    dst = folder / (name or src.name)
    tmp = folder / f".{dst.name}.incoming"  # hidden while it is written, as copy tools do
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)
    if settled:
        os.utime(dst, (OLD, OLD))
    return dst


def _seeds(examples_dir: Path) -> list[Path]:
    return sorted(examples_dir.glob("*.txt"))


def _ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return sorted(r[0] for r in con.execute("select id from articles"))


def _groups(archive: NewsArchive) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a in archive.store.iter_articles():
        out.setdefault(a.story_id or a.id, set()).add(a.id)
    return {frozenset(v) for v in out.values()}


def test_a_file_is_read_once_it_has_settled(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    seed = _seeds(examples_dir)[0]
    with NewsArchive(tmp_path / "n.db") as archive:
        watch = DropFolder(archive, [str(folder)], settle=0.5)
        path = _drop(seed, folder, settled=False)  # just written
        assert watch.poll().files == 0 and watch.totals.waiting == 1
        time.sleep(0.6)  # unchanged since the last look, and written long enough ago
        report = watch.poll()
        assert report.files == 1 and report.added == 3
        assert watch.poll().files == 0  # handled: not read again
        # the same file, edited: read again
        path.write_bytes(path.read_bytes() + "\n\nEn ny mening på slutet.\n".encode())
        os.utime(path, (OLD + 60, OLD + 60))
        watch.poll()  # seen changed: wait one look
        assert watch.poll().files == 1


def test_partial_and_hidden_files_are_never_read(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    seed = _seeds(examples_dir)[0]
    for name in ("a.txt.part", "b.tmp", "c.crdownload", ".d.txt", "e.txt~"):
        _drop(seed, folder, name)
    with NewsArchive(tmp_path / "n.db") as archive:
        report = DropFolder(archive, [str(folder)]).poll()
    assert report.files == 0


def test_a_bad_file_is_reported_once_and_the_watch_goes_on(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    bad = folder / "broken.txt.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    os.utime(bad, (OLD, OLD))
    seen = []
    with NewsArchive(tmp_path / "n.db") as archive:
        watch = DropFolder(archive, [str(folder)], on_file=lambda uri, r: seen.append((uri, r)))
        first = watch.poll()
        assert len(first.errors) == 1 and "broken.txt.gz" in first.errors[0].uri
        _drop(_seeds(examples_dir)[0], folder)
        second = watch.poll()
        assert second.added == 3 and not second.errors  # the bad file is not retried
        assert archive.stats().errors == 1


def test_watching_a_missing_folder_is_a_usage_error(tmp_path):
    with NewsArchive(tmp_path / "n.db") as archive, pytest.raises(UsageError, match="not a directory"):
        DropFolder(archive, [str(tmp_path / "nope")])


def test_stories_grow_as_files_arrive_as_one_ingest_would_group_them(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    seeds = _seeds(examples_dir)
    with NewsArchive(tmp_path / "watched.db") as archive:
        watch = DropFolder(archive, [str(folder)])
        for seed in seeds:  # one file per look, in their order
            _drop(seed, folder)
            assert watch.poll().files == 1
        watched = _groups(archive)
        assert watch.totals.files == len(seeds)
    with NewsArchive(tmp_path / "once.db") as archive:
        archive.ingest([str(examples_dir)])
        assert _groups(archive) == watched
    assert any(len(g) > 1 for g in watched), "the seeds hold one story told by two outlets"


def _watch_cmd(db: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "nyhetsvakt", "--db", str(db), "watch", "--interval", "0.2", "--settle",
            "0.2", str(folder)]


def _wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_watch_command_stops_cleanly_and_restarts_where_it_was(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    db = tmp_path / "n.db"
    seeds = _seeds(examples_dir)
    proc = subprocess.Popen(_watch_cmd(db, folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for seed in seeds[:2]:
            _drop(seed, folder)
        _wait_for(lambda: db.exists() and len(_ids(db)) == 4)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "+ " in out and "2 files read" in err
    for seed in seeds[2:]:  # arrive while nobody watches
        _drop(seed, folder)
    done = subprocess.run([*_watch_cmd(db, folder), "--once"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 files read" in done.stderr  # the first two are not read again
    once = tmp_path / "once.db"
    with NewsArchive(once) as archive:
        archive.ingest([str(examples_dir)])
    assert _ids(db) == _ids(once)


@pytest.mark.slow
def test_kill_9_while_watching_then_restart_loses_and_doubles_nothing(tmp_path, examples_dir):
    folder = tmp_path / "drop"
    folder.mkdir()
    db = tmp_path / "n.db"
    seeds = _seeds(examples_dir)
    for i in range(300):  # a burst of wire copy
        _drop(seeds[i % len(seeds)], folder, f"c{i:04d}_{seeds[i % len(seeds)].name}")
    proc = subprocess.Popen(_watch_cmd(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: db.exists() and len(_ids(db)) >= 30)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = len(_ids(db))
    assert 0 < partial < 660, "the kill should land mid-run"
    done = subprocess.run([*_watch_cmd(db, folder), "--once"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    ids = _ids(db)
    assert len(ids) == len(set(ids)) == 660  # 300 files of 2 or 3 articles: nothing lost, nothing doubled
