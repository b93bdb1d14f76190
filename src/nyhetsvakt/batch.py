"""Batch runs (``nyhetsvakt run``): the output contract as files under a directory, and/or
straight into a store, resumable after a crash.

Inputs are expanded and sorted deterministically and cut into shards of ``shard_files``
consecutive files. The directory holds:

- ``manifest.json``: the inputs with their fingerprints, the pipeline options, the shard
  size, the formats and the nyhetsvakt version. A rerun with anything else into the same
  directory is refused (``restart`` clears the directory's run files first);
- per shard ``NNNNN``: ``part-NNNNN.jsonl`` (one article a line, the output contract) and/or
  ``part-NNNNN.parquet`` (:mod:`nyhetsvakt.export`'s layout), and ``errors-NNNNN.jsonl``
  (``{"uri", "reason"}`` per input that failed); ``state/NNNNN.arrow``: the dedup
  fingerprints and story features its articles were matched with (computed by the workers);
- ``done/NNNNN.json``: the shard's completion marker, written only after its outputs were
  written to temporary names, fsynced, renamed and the directory fsynced. It records the
  outputs' sizes and SHA-256.

``duplicate_of`` and ``story_id`` are corpus-wide, assigned here in input order by the same
:class:`~nyhetsvakt.dedup.assign.Deduplicator` and :class:`~nyhetsvakt.stories.assign.StoryAssigner`
as :func:`nyhetsvakt.analyze`. A rerun skips the finished shards but replays their articles,
read back from their output with their kept fingerprints and features, through the
assigners (matching only, and checking that each gets the ids it holds), so the shards it
then writes are byte-identical to an uninterrupted run's.

With a store (``db``) only, the inputs go through :meth:`NewsArchive.ingest`, whose per-file
markers make a rerun skip what is stored. Given both, each file is processed once: a shard,
once written, is stored from the same results (:meth:`NewsArchive.ingest_results`), with
the store's own duplicate and story ids; files of shards an earlier run finished that the
store lacks (a crash between the two) are ingested at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .api import IngestReport, NewsArchive
from .dedup.assign import Deduplicator
from .dedup.fingerprint import Fingerprint
from .errors import InputError, PipelineError, UsageError
from .executors import EXECUTORS, executor_session, make_executor
from .export import write_jsonl, write_parquet
from .pipeline import FileResult, PipelineOptions
from .readers import expand_inputs
from .records import Article
from .store import FileFingerprint, fingerprint
from .stories.assign import StoryAssigner
from .stories.features import StoryFeatures

__all__ = ["RUN_FORMATS", "SHARD_FILES", "RunOptions", "RunReport", "read_parquet_contract", "run"]

RUN_SCHEMA = "nyhetsvakt.run/1"
RUN_FORMATS = ("jsonl", "parquet")
# Files per shard: a shard is the unit that is redone after a crash (a text dump of 20
# articles takes about 0.3 s, so a 100-file shard is under a minute of one core's work).
SHARD_FILES = 100
MANIFEST = "manifest.json"
DONE = "done"
# Per shard, the dedup fingerprints and story features its articles were assigned with, so a
# rerun replays finished shards by matching only (as the uninterrupted run's main process did).
STATE = "state"
# Threads hashing input files for the manifest (hashlib releases the GIL on large reads).
HASH_THREADS = 4
_RUN_FILE = re.compile(r"^(part-\d{5,}\.(jsonl|parquet)|errors-\d{5,}\.jsonl|\..*\.tmp)$")


@dataclass(frozen=True)
class RunOptions:
    """Where a batch run writes and how it runs (what it computes is :class:`PipelineOptions`)."""

    output: str | None = None  # a directory for the output files
    formats: tuple[str, ...] = ("jsonl",)  # "jsonl" and/or "parquet"
    shard_files: int = SHARD_FILES
    db: str | None = None  # a store to ingest into
    executor: str = "local"
    workers: int | None = None
    address: str | None = None  # the Ray cluster for the ray executor
    restart: bool = False  # clear the output directory's run files first


@dataclass
class RunReport:
    files: int = 0  # input files
    shards: int = 0
    skipped: int = 0  # shards finished by an earlier run (replayed, not redone)
    written: int = 0  # shards written by this run
    articles: int = 0  # articles in the output directory
    errors: list[InputError] = field(default_factory=list)  # inputs that failed, in input order
    ingest: IngestReport | None = None  # the store's report, with ``db``

    @property
    def ok(self) -> bool:
        return not self.errors and (self.ingest is None or self.ingest.ok)


def run(paths: Sequence[str], options: RunOptions, *, pipeline: PipelineOptions | None = None,
        on_error: Callable[[InputError], None] | None = None,
        on_shard: Callable[[int, bool], None] | None = None) -> RunReport:
    """Run the pipeline over ``paths`` into ``options.output`` and/or ``options.db``.

    ``on_error`` is called for every failed input (those of replayed shards too, so a
    resumed run reports what an uninterrupted one would); ``on_shard(index, skipped)`` after
    each shard is complete on disk.
    """
    _check(paths, options)
    pipeline = pipeline or PipelineOptions()
    files = expand_inputs(paths)
    report = RunReport(files=len(files))
    with executor_session(options.executor, options.workers, options.address):
        if options.output and options.db:
            _run_into_both(files, options, pipeline, report, on_error, on_shard)
        elif options.output:
            _ShardedRun(Path(options.output), files, options, pipeline, report, on_error, on_shard).run()
        else:
            def on_file(uri: str, result: FileResult | None) -> None:
                if result is not None and on_error is not None and not options.output:
                    for error in result.errors:
                        on_error(error)

            with NewsArchive(options.db) as archive:
                report.ingest = archive.ingest(files, options=pipeline, executor=options.executor,
                                               workers=options.workers, on_file=on_file,
                                               address=options.address)
            report.errors = list(report.ingest.errors)
    return report


def _run_into_both(files: list[str], options: RunOptions, pipeline: PipelineOptions, report: RunReport,
                   on_error: Callable[[InputError], None] | None,
                   on_shard: Callable[[int, bool], None] | None) -> None:
    """An output directory and a store from one pass of the pipeline: each shard, once its
    files are written, is stored (a file the store holds already is skipped). The files of
    shards finished by an earlier, interrupted run that the store lacks are processed at the
    end, by an ingest."""
    replayed: list[str] = []
    with NewsArchive(options.db) as archive:
        ingest = IngestReport()

        def into_store(shard: list[str], results: list[FileResult] | None) -> None:
            nonlocal ingest
            if results is None:
                replayed.extend(shard)
            else:  # the files' fingerprints from before they were read: no second reading
                ingest += archive.ingest_results(results, options=pipeline, prints=sharded.file_prints)

        sharded = _ShardedRun(Path(options.output or ""), files, options, pipeline, report, on_error,
                              on_shard, into_store)
        sharded.run()
        if replayed:
            ingest += archive.ingest(replayed, options=pipeline, executor=options.executor,
                                     workers=options.workers, address=options.address)
        report.ingest = ingest


def _check(paths: Sequence[str], options: RunOptions) -> None:
    if not options.output and not options.db:
        raise UsageError("run needs an output directory (--output DIR), a store (--db URL), or both")
    if "-" in paths:
        raise UsageError("run cannot read stdin: a rerun could not read it again (use analyze or ingest)")
    if not options.formats or set(options.formats) - set(RUN_FORMATS):
        raise UsageError(f"output formats {options.formats!r}: choose from {', '.join(RUN_FORMATS)}")
    if options.shard_files < 1:
        raise UsageError("shard size (--shard-files) must be at least 1")
    if options.executor not in EXECUTORS:
        raise UsageError(f"unknown executor {options.executor!r} (choose from {', '.join(EXECUTORS)})")


class _ShardedRun:
    """One run into an output directory: manifest, shards in order, markers, replay."""

    def __init__(self, out: Path, files: list[str], options: RunOptions, pipeline: PipelineOptions,
                 report: RunReport, on_error: Callable[[InputError], None] | None,
                 on_shard: Callable[[int, bool], None] | None,
                 on_results: Callable[[list[str], list[FileResult] | None], None] | None = None) -> None:
        self.out = out
        # Called with each shard's files and results once written (None: a finished shard replayed).
        self.on_results = on_results
        self.file_prints: dict[str, FileFingerprint] = {}  # read with the manifest
        self.files = files
        self.options = options
        self.pipeline = pipeline
        self.report = report
        self.on_error = on_error
        self.on_shard = on_shard
        self.formats = tuple(f for f in RUN_FORMATS if f in options.formats)
        n = options.shard_files
        self.shards = [files[i:i + n] for i in range(0, len(files), n)]
        report.shards = len(self.shards)
        # The same corpus-wide assigners as nyhetsvakt.analyze.
        self.dedup = Deduplicator() if pipeline.dedup else None
        self.stories = StoryAssigner() if pipeline.stories else None

    # -- the directory -------------------------------------------------------------------
    def _manifest(self) -> dict[str, Any]:
        from . import __version__

        with ThreadPoolExecutor(HASH_THREADS) as pool:
            read = list(pool.map(_fingerprint, self.files))
        # Kept whole: they are the store's done-markers when the run also stores (--db).
        self.file_prints = {p: fp for p, (fp, _) in zip(self.files, read, strict=True) if fp is not None}
        prints = [entry for _, entry in read]
        manifest = {
            "schema": RUN_SCHEMA,
            "nyhetsvakt": __version__,
            "options": asdict(self.pipeline),
            "shard_files": self.options.shard_files,
            "formats": list(self.formats),
            "inputs": [{"path": p, **fp} for p, fp in zip(self.files, prints, strict=True)],
        }
        return json.loads(json.dumps(manifest))  # as it reads back (tuples as lists)

    def _prepare(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest()
        path = self.out / MANIFEST
        if path.exists():
            try:
                old = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise UsageError(f"{path}: not a readable run manifest ({exc}); use --restart") from None
            if old != manifest and not self.options.restart:
                raise UsageError(f"{self.out} holds another run ({_difference(old, manifest)}): "
                                 "choose another directory, or --restart to clear it")
        elif any((self.out / DONE).glob("*")) and not self.options.restart:
            raise UsageError(f"{self.out} holds finished shards but no {MANIFEST}: use --restart to clear it")
        if self.options.restart:
            _clear(self.out)
        for stale in [*self.out.glob(".*.tmp"), *self.out.glob(f"{STATE}/.*.tmp")]:  # a crash mid-write
            stale.unlink()
        if not path.exists():  # first, so that no shard is ever marked done without it
            text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
            _write_atomic(path, lambda fh: fh.write(text))
            _fsync_dir(self.out)
        (self.out / DONE).mkdir(exist_ok=True)
        (self.out / STATE).mkdir(exist_ok=True)

    def _marker(self, k: int) -> Path:
        return self.out / DONE / f"{k:05d}.json"

    def _outputs(self, k: int) -> list[str]:
        return [f"part-{k:05d}.{fmt}" for fmt in self.formats] + [f"errors-{k:05d}.jsonl",
                                                                   f"{STATE}/{k:05d}.arrow"]

    def _done(self, k: int) -> dict[str, Any] | None:
        """The shard's marker when it and the outputs it names are intact."""
        try:
            marker = json.loads(self._marker(k).read_text("utf-8"))
            outputs = marker["outputs"]
            if sorted(outputs) != sorted(self._outputs(k)):
                return None
            for name, meta in outputs.items():
                if (self.out / name).stat().st_size != meta["size"]:
                    return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return marker

    # -- the run -------------------------------------------------------------------------
    def run(self) -> None:
        self._prepare()
        markers = [self._done(k) for k in range(len(self.shards))]
        todo = [f for shard, m in zip(self.shards, markers, strict=True) if m is None for f in shard]
        executor = make_executor(self.options.executor, self.options.workers, self.options.address)
        results = executor.run(self.pipeline, todo)
        try:
            for k, shard in enumerate(self.shards):
                marker = markers[k]
                if marker is not None:
                    self._replay(k, marker)
                    self.report.skipped += 1
                    got = None
                else:
                    got = [next(results) for _ in shard]
                    self._write(k, got)
                    self.report.written += 1
                if self.on_results is not None:
                    self.on_results(shard, got)
                if self.on_shard is not None:
                    self.on_shard(k, marker is not None)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()

    def _assign(self, articles: Sequence[Article], fingerprints: Sequence[Fingerprint] | None,
                version: str | None, features: Sequence[StoryFeatures] | None,
                ) -> tuple[list[Fingerprint], list[dict[str, Any]]]:
        """``duplicate_of`` and ``story_id``, corpus-wide, in input order (as analyze does),
        from the given fingerprints and features where they are of the assigners' versions
        (made by the workers, or kept by an earlier run); returns what was used."""
        prints: list[Fingerprint] = []
        used: list[dict[str, Any]] = []
        if self.dedup is not None:
            prints = [fp for _, fp in self.dedup.assign(articles, fingerprints, version)]
        if self.stories is not None:
            used = [f for _, f in self.stories.assign(articles, features).features]
        return prints, used

    def _error(self, error: InputError) -> None:
        self.report.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    def _write(self, k: int, results: list[FileResult]) -> None:
        articles: list[Article] = []
        errors: list[InputError] = []
        prints: list[Fingerprint] = []
        features: list[dict[str, Any]] = []
        for result in results:
            used = self._assign(result.articles, result.fingerprints, result.fingerprint_version,
                                result.story_features)
            prints += used[0]
            features += used[1]
            articles += result.articles
            errors += result.errors
        version = self.dedup.fingerprinter.version if self.dedup is not None else None
        for error in errors:
            self._error(error)
        ids = [a.id for a in articles]
        # name -> (writer, whether it opens the file itself by name)
        writers: dict[str, tuple[Callable[[Any], object], bool]] = {
            f"part-{k:05d}.jsonl": (lambda fh: write_jsonl(articles, fh), False),
            f"part-{k:05d}.parquet": (lambda tmp: write_parquet(articles, str(tmp)), True),
            f"errors-{k:05d}.jsonl": (lambda fh: fh.writelines(_error_line(e) for e in errors), False),
            f"{STATE}/{k:05d}.arrow": (lambda tmp: _write_state(tmp, ids, prints, version, features), True),
        }
        outputs: dict[str, dict[str, Any]] = {}
        for name in self._outputs(k):
            path = self.out / name
            write, by_name = writers[name]
            _write_atomic(path, write, by_name=by_name)
            outputs[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
        _fsync_dir(self.out)
        _fsync_dir(self.out / STATE)
        marker = {"shard": k, "files": len(results), "articles": len(articles), "errors": len(errors),
                  "outputs": outputs}
        _write_atomic(self._marker(k), lambda fh: fh.write(json.dumps(marker, indent=1) + "\n"))
        _fsync_dir(self.out / DONE)
        self.report.articles += len(articles)

    def _replay(self, k: int, marker: dict[str, Any]) -> None:
        """Put a finished shard's articles through the assigners, as if just processed."""
        articles = self._read_articles(k, marker)
        held = [(a.duplicate_of, a.story_id) for a in articles]
        name = f"{STATE}/{k:05d}.arrow"
        self._read_checked(k, name, marker)
        self._assign(articles, *_read_state(self.out / name, [a.id for a in articles]))
        if held != [(a.duplicate_of, a.story_id) for a in articles]:
            raise PipelineError(f"{self.out}: shard {k} does not replay to the ids it holds (written by "
                                "another version?); rerun with --restart")
        for line in self._read_checked(k, f"errors-{k:05d}.jsonl", marker).splitlines():
            row = json.loads(line)
            self._error(InputError(row["uri"], row["reason"]))
        self.report.articles += len(articles)

    def _read_checked(self, k: int, name: str, marker: dict[str, Any]) -> bytes:
        data = (self.out / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != marker["outputs"][name]["sha256"]:
            raise PipelineError(f"{self.out / name}: changed since shard {k} was written; "
                                "rerun with --restart")
        return data

    def _read_articles(self, k: int, marker: dict[str, Any]) -> list[Article]:
        if "jsonl" in self.formats:
            data = self._read_checked(k, f"part-{k:05d}.jsonl", marker)
            return [Article.from_record(json.loads(line)) for line in data.splitlines()]
        self._read_checked(k, f"part-{k:05d}.parquet", marker)
        return [Article.from_record(row) for row in read_parquet_contract(self.out / f"part-{k:05d}.parquet")]


def _write_state(path: Path, ids: list[str], prints: list[Fingerprint], version: str | None,
                 features: list[dict[str, Any]]) -> None:
    """A shard's fingerprints and features as an Arrow IPC file (no pickle, no timestamps:
    the same state gives the same bytes). Empty lists: not assigned (dedup or stories off)."""
    import pyarrow as pa

    def column(values: list[Any], kind: pa.DataType) -> pa.Array:
        return pa.array(values if values else [None] * len(ids), kind)

    u32 = pa.list_(pa.uint32())
    table = pa.table({
        "id": pa.array(ids, pa.string()),
        "exact": column([fp.exact for fp in prints], pa.string()),
        "signature": column([fp.signature for fp in prints], u32),
        "shingles": column([fp.shingles for fp in prints], u32),
        "features": column([json.dumps(f, ensure_ascii=False) for f in features], pa.string()),
    }).replace_schema_metadata({"fingerprint_version": version or ""})
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_state(path: Path, ids: list[str]) -> tuple[list[Fingerprint] | None, str | None,
                                                      list[StoryFeatures] | None]:
    """Fingerprints, their version and story features of a shard whose articles have ``ids``
    (None where not kept); a :class:`PipelineError` when the file is another shard's."""
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    if table.column("id").to_pylist() != ids:
        raise PipelineError(f"{path}: does not hold the state of the shard's articles; rerun with --restart")
    prints = features = version = None
    if ids and table.column("exact").null_count == 0:
        exact = table.column("exact").to_pylist()
        prints = [Fingerprint(e, g, h) for e, g, h in zip(exact, _uint32_lists(table, "signature"),
                                                          _uint32_lists(table, "shingles"), strict=True)]
        version = (table.schema.metadata or {}).get(b"fingerprint_version", b"").decode()
    if ids and table.column("features").null_count == 0:
        features = [StoryFeatures.from_dict(json.loads(f)) for f in table.column("features").to_pylist()]
    return prints, version, features


def _uint32_lists(table: Any, name: str) -> list[Any]:
    """A list<uint32> column as one numpy array per row (views into one flat array)."""
    col = table.column(name).combine_chunks()
    values, offsets = col.values.to_numpy(), col.offsets.to_numpy()
    return [values[offsets[i]:offsets[i + 1]] for i in range(len(col))]


def read_parquet_contract(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows of a Parquet file written by :func:`nyhetsvakt.export.write_parquet`, back in the
    JSON shape of the output contract."""
    import pyarrow.parquet as pq

    for row in pq.read_table(path).to_pylist():
        for name in ("published", "updated", "listed"):
            row[name] = row[name].isoformat() if row[name] is not None else None
        for name in ("entities", "quotes", "sources", "claims"):
            row[name] = json.loads(row[name]) if row[name] is not None else []
        yield row


def _fingerprint(path: str) -> tuple[FileFingerprint | None, dict[str, Any]]:
    """The file's fingerprint (None for a pipe or an unreadable file) and its manifest entry."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None, {"size": None, "sha256": None}  # a pipe: read once, by the run
        fp = fingerprint(path)
    except OSError as exc:
        return None, {"size": None, "sha256": None, "unreadable": exc.strerror or str(exc)}
    # Size and content identify an input; its modification time does not change the output.
    return fp, {"size": fp.size, "sha256": fp.sha256}


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    for key in ("schema", "nyhetsvakt", "options", "shard_files", "formats"):
        if old.get(key) != new.get(key):
            return f"other {key.replace('_', ' ')}: {old.get(key)!r}, now {new.get(key)!r}"
    before = {i["path"]: i for i in old.get("inputs", [])}
    now = {i["path"]: i for i in new["inputs"]}
    if set(before) != set(now):
        changed = sorted(set(before) ^ set(now))
        return f"other inputs: {len(before)} files, now {len(now)}, e.g. {changed[0]}"
    for p, item in now.items():
        if before[p] != item:
            return f"{p} has changed"
    return "inputs in another order"


def _clear(out: Path) -> None:
    """Remove a run's files (and only those) from ``out``."""
    for path in out.iterdir():
        if path.name in (DONE, STATE) and path.is_dir():
            shutil.rmtree(path)
        elif path.name == MANIFEST or _RUN_FILE.match(path.name):
            path.unlink()


def _error_line(error: InputError) -> str:
    return json.dumps({"uri": error.uri, "reason": error.reason}, ensure_ascii=False) + "\n"


def _write_atomic(path: Path, write: Callable[[Any], object], *, by_name: bool = False) -> None:
    """Write to a hidden temporary name beside ``path``, fsync, then rename over ``path``.

    ``write`` gets an open text file, or with ``by_name`` the temporary path (for writers
    that open the file themselves, as Parquet's does).
    """
    tmp = path.with_name(f".{path.name}.tmp")
    if by_name:
        write(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
