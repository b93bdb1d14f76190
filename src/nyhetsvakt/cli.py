"""The ``nyhetsvakt`` command line. Same verbs as the Python API (:mod:`nyhetsvakt.api`).

Exit codes: 0 when every input was read, 1 when some failed (the rest are still
stored), 2 on usage errors. Each failed input is one line on stderr: ``error: FILE: reason``.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from datetime import date
from typing import Any

import click

from . import __version__
from .api import NewsArchive, analyze
from .batch import SHARD_FILES
from .errors import InputError, NyhetsvaktError, UsageError
from .executors import EXECUTORS
from .export import FORMATS
from .pipeline import FileResult
from .settings import setting

EXIT_PARTIAL = 1


def _err(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def filter_options(f: Any) -> Any:
    f = click.option("--outlet", help="Only articles from this outlet.")(f)
    f = click.option("--until", callback=_date, metavar="YYYY-MM-DD", help="Published on or before.")(f)
    f = click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Published on or after.")(f)
    f = click.option("--lang", "language", help="Only articles in this language (sv, nb, nn, da, en, …).")(f)
    return f


def executor_options(f: Any) -> Any:
    f = click.option("--address", help="The Ray cluster for --executor ray (default: RAY_ADDRESS, or a local "
                                       "Ray on 127.0.0.1).")(f)
    f = click.option("--workers", type=int, default=lambda: setting("workers").value(), show_default="0",
                     help=setting("workers").help)(f)
    f = click.option("--executor", type=click.Choice(EXECUTORS), default=lambda: setting("executor").value(),
                     show_default="local", help=setting("executor").help)(f)
    return f


def _json_out(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


class _Group(click.Group):
    """Turns nyhetsvakt's typed errors into click's: usage errors exit 2, others 1, one line each."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise click.UsageError(str(exc), ctx) from None
        except NyhetsvaktError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # e.g. export -o into a missing or read-only folder
            name = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{name}{exc.strerror or exc}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar=setting("db").env, default=setting("db").default, show_default=True,
              help=setting("db").help + f" [env: {setting('db').env}]")
@click.version_option(__version__, prog_name="nyhetsvakt")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """nyhetsvakt: raw Scandinavian news in, clean searchable articles out."""
    ctx.obj = {"db": db}


def _archive(ctx: click.Context, read_only: bool = True) -> NewsArchive:
    return NewsArchive(ctx.obj["db"], read_only=read_only)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@executor_options
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], executor: str, workers: int, address: str | None,
           progress: bool | None, as_json: bool) -> None:
    """Read PATHS (files, directories, globs, - for stdin; .gz too) into the database."""
    show_bar = sys.stderr.isatty() if progress is None else progress
    with _archive(ctx, read_only=False) as archive:
        from .readers import expand_inputs

        missing: list[InputError] = []  # reported (and counted) by ingest itself
        files = expand_inputs(paths, missing)
        with click.progressbar(length=len(files) + len(missing), label="ingest", file=sys.stderr,
                               hidden=not show_bar) as bar:

            def on_file(uri: str, result: FileResult | None) -> None:
                for error in result.errors if result else ():
                    _err(str(error))
                bar.update(1)

            report = archive.ingest(list(paths), executor=executor, workers=workers or None,
                                    stdin=sys.stdin.buffer, on_file=on_file, address=address)
    summary = {"files": report.files, "skipped": report.skipped, "added": report.added,
               "unchanged": report.unchanged, "replaced": report.replaced, "errors": len(report.errors)}
    if as_json:
        _json_out(summary)
    else:
        click.echo(f"{report.files} files read, {report.skipped} already ingested; {report.added} articles "
                   f"added, {report.unchanged} unchanged, {report.replaced} replaced; "
                   f"{len(report.errors)} errors")
    if report.errors:
        ctx.exit(EXIT_PARTIAL)


@cli.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--interval", type=float, default=2.0, show_default=True, help="Seconds between looks.")
@click.option("--settle", type=float, default=1.0, show_default=True,
              help="A file is read once unchanged for this many seconds (still being copied otherwise).")
@click.option("--ignore", "ignore", multiple=True, metavar="GLOB",
              help="Also skip file names matching GLOB (partial downloads are skipped already).")
@click.option("--once", is_flag=True, help="Ingest what has settled, then exit (for cron).")
@executor_options
@click.pass_context
def watch(ctx: click.Context, folders: tuple[str, ...], interval: float, settle: float,
          ignore: tuple[str, ...], once: bool, executor: str, workers: int, address: str | None) -> None:
    """Ingest files as they arrive in FOLDERS (a drop folder), until stopped (Ctrl-C or SIGTERM).

    Stopping at any moment is safe: every file is stored whole with its marker, or redone
    after a restart. Stories and duplicates are updated as the files come in.
    """
    import signal
    import threading

    from .watch import DEFAULT_IGNORE, DropFolder, describe

    stop = threading.Event()

    def request_stop(signum: int, frame: Any) -> None:
        if stop.is_set():  # a second Ctrl-C: stop now (the open group is rolled back, and redone)
            raise KeyboardInterrupt
        click.echo("stopping after the files in hand (Ctrl-C again to stop now)", err=True)
        stop.set()

    def on_file(uri: str, result: FileResult | None) -> None:
        for error in result.errors if result else ():
            _err(str(error))
        if result is not None:
            click.echo(describe(result, uri))

    with _archive(ctx, read_only=False) as archive:
        folder = DropFolder(archive, folders, interval=interval, settle=settle,
                            ignore=DEFAULT_IGNORE + ignore, executor=executor, workers=workers or None,
                            address=address, on_file=on_file)
        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        if not once:
            click.echo(f"watching {', '.join(folders)} every {interval:g} s (Ctrl-C to stop)", err=True)
        try:
            totals = folder.run(stop, once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    click.echo(f"{totals.files} files read in {totals.polls} looks; {totals.added} articles added, "
               f"{totals.unchanged} unchanged, {totals.replaced} replaced; {totals.errors} errors"
               + (f"; {totals.waiting} files still settling" if totals.waiting else ""), err=True)
    if once and totals.errors:
        ctx.exit(EXIT_PARTIAL)


@cli.command("analyze")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@executor_options
@click.pass_context
def analyze_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str, executor: str, workers: int,
                address: str | None) -> None:
    """Run the pipeline on PATHS without a database; print one article JSON per line."""
    failed = False
    for result in analyze(list(paths), executor=executor, workers=workers or None, stdin=sys.stdin.buffer,
                          address=address):
        for error in result.errors:
            _err(str(error))
            failed = True
        for article in result.articles:
            click.echo(json.dumps(article.to_contract(), ensure_ascii=False))
    if failed:
        ctx.exit(EXIT_PARTIAL)


@cli.command("run")
@click.argument("paths", nargs=-1, required=True)
@executor_options
@click.option("-o", "--output", type=click.Path(file_okay=False), help="Directory for the output files.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "both"]), default="jsonl",
              show_default=True, help="Output files: JSON Lines (the output contract), Parquet, or both.")
@click.option("--shard-files", type=click.IntRange(1), default=SHARD_FILES, show_default=True,
              help="Input files per shard (the unit a rerun redoes).")
@click.option("--db", "run_db", help="Also (or only) ingest into this store (a path or URL).")
@click.option("--restart", is_flag=True, help="Clear the output directory's earlier run first.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def run_cmd(ctx: click.Context, paths: tuple[str, ...], executor: str, workers: int, address: str | None,
            output: str | None, fmt: str, shard_files: int, run_db: str | None, restart: bool,
            as_json: bool) -> None:
    """Batch run over PATHS: the output contract as files under --output DIR and/or into --db.

    Resumable: rerun the same command after a crash and finished shards are skipped.
    """
    from .batch import RunOptions, run

    formats = ("jsonl", "parquet") if fmt == "both" else (fmt,)
    options = RunOptions(output=output, formats=formats, shard_files=shard_files, db=run_db,
                         executor=executor, workers=workers or None, address=address, restart=restart)
    report = run(list(paths), options, on_error=lambda error: _err(str(error)))
    summary: dict[str, Any] = {"files": report.files, "errors": len(report.errors)}
    if output:
        summary.update(shards=report.shards, skipped=report.skipped, written=report.written,
                       articles=report.articles)
    if report.ingest is not None:
        summary["ingest"] = {"files": report.ingest.files, "skipped": report.ingest.skipped,
                             "added": report.ingest.added, "unchanged": report.ingest.unchanged,
                             "replaced": report.ingest.replaced, "errors": len(report.ingest.errors)}
    if as_json:
        _json_out(summary)
    else:
        if output:
            click.echo(f"{report.files} files in {report.shards} shards ({report.skipped} done before, "
                       f"{report.written} written); {report.articles} articles in {output}; "
                       f"{len(report.errors)} errors")
        if report.ingest is not None:
            i = report.ingest
            click.echo(f"{run_db}: {i.files} files read, {i.skipped} already ingested; {i.added} articles "
                       f"added, {i.unchanged} unchanged, {i.replaced} replaced; {len(i.errors)} errors")
    if not report.ok:
        ctx.exit(EXIT_PARTIAL)


def _article_row(a: Any) -> str:
    fields = (a.id, a.published or "-", a.language or "-", a.outlet or "-", a.headline or "(no headline)")
    return "\t".join(str(f) for f in fields)


@cli.command()
@filter_options
@click.option("--order", type=click.Choice(["published", "ingested"]), default="published", show_default=True)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--cursor", help="Continue after the page that printed this cursor.")
@click.option("--json", "as_json", is_flag=True, help="One article (output contract) per line.")
@click.pass_context
def articles(ctx: click.Context, language: str | None, since: date | None, until: date | None,
             outlet: str | None, order: str, limit: int, cursor: str | None, as_json: bool) -> None:
    """List stored articles."""
    with _archive(ctx) as archive:
        page = archive.articles(language=language, since=since, until=until, outlet=outlet, order=order,
                                limit=limit, cursor=cursor)
    for a in page.items:
        click.echo(json.dumps(a.to_contract(), ensure_ascii=False) if as_json else _article_row(a))
    if page.next_cursor:
        click.echo(f"next: --cursor {page.next_cursor}", err=True)


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="The article as JSON (output contract).")
@click.option("--dropped", is_flag=True, help="Also list the lines dropped from the article and why.")
@click.pass_context
def show(ctx: click.Context, article_id: str, as_json: bool, dropped: bool) -> None:
    """Show one article by id."""
    with _archive(ctx) as archive:
        a = archive.show(article_id)
        xrefs = archive.cross_references(a.id) if a is not None else []
    if a is None:
        raise click.ClickException(f"no article {article_id!r}")
    if as_json:
        data = a.to_contract()
        data["cross_references"] = [asdict(x) for x in xrefs]
        if dropped:
            data["dropped"] = [asdict(d) for d in a.dropped]
        _json_out(data)
        return
    click.echo(f"{a.headline or '(no headline)'}\n")
    meta = [("id", a.id), ("outlet", a.outlet), ("published", a.published), ("updated", a.updated),
            ("listed", a.listed), ("date conflict", "yes" if a.date_conflict else None),
            ("language", a.language), ("authors", ", ".join(a.authors) or None),
            ("photo", a.photo_credit), ("caption", a.image_caption),
            ("source", f"{a.source.uri} lines {a.source.line_start}-{a.source.line_end}")]
    for k, v in meta:
        if v:
            click.echo(f"{k:>13}: {v}")
    click.echo("")
    for b in a.blocks:
        click.echo(f"## {b.text}\n" if b.kind == "subheading" else f"{b.text}\n")
    targets = {x.teaser: x.target for x in xrefs}
    for r in a.related:
        click.echo(f"related: {r}" + (f"  -> {targets[r]}" if targets.get(r) else ""))
    if a.duplicate_of:
        click.echo(f"duplicate of: {a.duplicate_of}")
    if dropped:
        for d in a.dropped:
            click.echo(f"dropped line {d.line} ({d.reason}): {d.text}")


@cli.command()
@click.argument("query")
@filter_options
@click.option("--order", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--cursor", help="Continue after the page that printed this cursor.")
@click.option("--json", "as_json", is_flag=True, help="One hit per line as JSON.")
@click.pass_context
def search(ctx: click.Context, query: str, language: str | None, since: date | None, until: date | None,
           outlet: str | None, order: str, limit: int, cursor: str | None, as_json: bool) -> None:
    """Full-text search with Scandinavian stemming; matched words are highlighted."""
    with _archive(ctx) as archive:
        page = archive.search(query, language=language, since=since, until=until, outlet=outlet, order=order,
                              limit=limit, cursor=cursor)
    bold = sys.stdout.isatty()
    for hit in page.items:
        if as_json:
            _json_out(asdict(hit))
            continue
        click.echo(f"{hit.id}\t{hit.published or '-'}\t{hit.language or '-'}\t{hit.headline or ''}")
        # one line per hit: block breaks in the snippet print as spaces (same length, offsets hold)
        click.echo("    " + _mark(hit.snippet.replace("\n", " "), hit.highlights, bold))
    if page.next_cursor:
        click.echo(f"next: --cursor {page.next_cursor}", err=True)


def _mark(text: str, spans: list[tuple[int, int]], bold: bool) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append(text[pos:start])
        out.append(click.style(text[start:end], bold=True) if bold else f"[{text[start:end]}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' is stdout).")
@filter_options
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str, language: str | None, since: date | None,
               until: date | None, outlet: str | None) -> None:
    """Export stored articles as JSON Lines (the output contract), CSV or Parquet."""
    with _archive(ctx) as archive:
        n = archive.export(fmt, output, language=language, since=since, until=until, outlet=outlet)
    if output != "-":
        click.echo(f"{n} articles written to {output}", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts by language, outlet and drop reason; input errors."""
    with _archive(ctx) as archive:
        s = archive.stats()
    data = asdict(s)
    if as_json:
        _json_out(data)
        return
    for key, value in data.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for k, v in sorted(value.items(), key=lambda kv: (-kv[1], str(kv[0]))) if value else ():
                click.echo(f"  {k or '(none)':<32} {v}")
        else:
            click.echo(f"{key}: {value}")


def _rows(items: list[Any], as_json: bool, columns: Any) -> None:
    for item in items:
        if as_json:
            _json_out(asdict(item))
        else:
            click.echo("\t".join("-" if v is None else str(v) for v in columns(item)))


@cli.command()
@click.argument("name", required=False)
@click.option("--type", "etype", type=click.Choice(["PER", "ORG", "LOC", "MISC"]), help="Only this type.")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One entity per line as JSON.")
@click.pass_context
def entities(ctx: click.Context, name: str | None, etype: str | None, language: str | None,
             since: date | None, until: date | None, outlet: str | None, limit: int, as_json: bool) -> None:
    """Entities by how many articles name them; NAME finds one entity in any spelling."""
    with _archive(ctx) as archive:
        rows = archive.entities(name=name, etype=etype, language=language, since=since, until=until,
                                outlet=outlet, limit=limit)
    _rows(rows, as_json, lambda e: (e.entity_id, e.type, e.canonical, e.articles, e.mentions,
                                    " | ".join(e.variants)))


@cli.command()
@click.option("--speaker", help="Only quotes by this person or organisation (any spelling).")
@click.option("--kind", type=click.Choice(["direct", "indirect"]), help="Only direct or indirect speech.")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One quote per line as JSON.")
@click.pass_context
def quotes(ctx: click.Context, speaker: str | None, kind: str | None, language: str | None,
           since: date | None, until: date | None, outlet: str | None, limit: int, as_json: bool) -> None:
    """Who said what: quotes, newest first."""
    with _archive(ctx) as archive:
        rows = archive.quotes(speaker=speaker, kind=kind, language=language, since=since, until=until,
                              outlet=outlet, limit=limit)
    _rows(rows, as_json, lambda q: (q.article, q.published, q.speaker or "(unknown)", q.kind, q.cue, q.medium,
                                    q.text))


@cli.command()
@click.option("--cited", help="Only this source (any spelling).")
@click.option("--type", "stype", help="Only this type (news_outlet, news_agency, government, unnamed, …).")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One source per line as JSON.")
@click.pass_context
def sources(ctx: click.Context, cited: str | None, stype: str | None, language: str | None,
            since: date | None, until: date | None, outlet: str | None, limit: int, as_json: bool) -> None:
    """According to whom: cited sources, how often, and which outlets cite them."""
    with _archive(ctx) as archive:
        rows = archive.sources(cited=cited, stype=stype, language=language, since=since, until=until,
                               outlet=outlet, limit=limit)
    _rows(rows, as_json, lambda s: (s.canonical, s.type, s.articles, s.citations, ", ".join(s.outlets)))


@cli.command()
@click.option("--status", type=click.Choice(["asserted", "attributed", "hedged", "unverified", "denied"]),
              help="Only claims with this status.")
@click.option("--source", help="Only claims resting on this source.")
@click.option("--conflicts", is_flag=True, help="Only figures that another source contradicts.")
@filter_options
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One claim per line as JSON.")
@click.pass_context
def claims(ctx: click.Context, status: str | None, source: str | None, conflicts: bool, language: str | None,
           since: date | None, until: date | None, outlet: str | None, limit: int, as_json: bool) -> None:
    """Figures and what they rest on: value, unit, source and status."""
    with _archive(ctx) as archive:
        rows = archive.claims(status=status, source=source, conflicts=conflicts, language=language,
                              since=since, until=until, outlet=outlet, limit=limit)
    _rows(rows, as_json, lambda c: (c.article, c.value, c.unit, c.source or "(the outlet)", c.status,
                                    "conflict" if c.conflict else "", c.text))


@cli.command()
@click.option("--since", callback=_date, metavar="YYYY-MM-DD", help="Only stories seen on or after.")
@click.option("--lang", "language", help="Only stories with an article in this language.")
@click.option("--min-size", type=click.IntRange(1, None), default=1, show_default=True,
              help="Only stories of at least this many articles.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One story per line as JSON.")
@click.pass_context
def stories(ctx: click.Context, since: date | None, language: str | None, min_size: int, limit: int,
            as_json: bool) -> None:
    """Stories (the same event across outlets and languages), most recently seen first."""
    with _archive(ctx) as archive:
        rows = archive.stories(since=since, language=language, min_size=min_size, limit=limit)
    _rows(rows, as_json, lambda s: (s.story_id, s.first_seen, s.last_seen, s.size,
                                    ",".join(sorted(s.languages)), s.title))


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="The story record as JSON.")
@click.pass_context
def story(ctx: click.Context, story_id: str, as_json: bool) -> None:
    """One story: its articles, languages, outlets, entities, sources, quotes, claims, timeline."""
    with _archive(ctx) as archive:
        record = archive.story(story_id)
    if record is None:
        raise click.ClickException(f"no story {story_id!r}")
    if as_json:
        _json_out(record)
        return
    click.echo(f"{record.get('title') or '(no title)'}\n")
    click.echo(f"{'id':>10}: {record['id']}")
    click.echo(f"{'seen':>10}: {record.get('first_seen') or '-'} .. {record.get('last_seen') or '-'}")
    for label in ("languages", "outlets"):
        counts = record.get(label) or {}
        click.echo(f"{label:>10}: {', '.join(f'{k} {v}' for k, v in counts.items())}")
    click.echo("")
    for aid in record.get("articles", []):
        click.echo(f"  {aid}")
    for link in record.get("links", []):
        click.echo(f"link: {link['article']} ~ {link['other']} {link['kind']} {link['score']:.2f} "
                   f"({', '.join(link['shared'][:6])})")


@cli.command()
@click.pass_context
def recluster(ctx: click.Context) -> None:
    """Rebuild every story from scratch with the current settings."""
    with _archive(ctx, read_only=False) as archive:
        n = archive.recluster()
    click.echo(f"{n} stories")


@cli.command()
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One group per line as JSON.")
@click.pass_context
def duplicates(ctx: click.Context, limit: int, as_json: bool) -> None:
    """Copies of the same article: each origin (the earliest) with its copies."""
    with _archive(ctx) as archive:
        groups = archive.duplicates(limit=limit)
    for g in groups:
        if as_json:
            _json_out(asdict(g))
            continue
        o = g.origin
        click.echo(f"{o.id}\t{o.published or '-'}\t{o.outlet or '-'}\t{o.language or '-'}")
        for c in g.copies:
            click.echo(f"  = {c.id}\t{c.published or '-'}\t{c.outlet or '-'}\t{c.language or '-'}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@click.option("--max-upload-bytes", type=click.IntRange(1), envvar="NYHETSVAKT_MAX_UPLOAD_BYTES",
              default=None, help="Largest upload request (default 64 MiB).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, max_upload_bytes: int | None) -> None:
    """Serve the HTTP API (/api/, OpenAPI at /openapi.json) and the web UI.

    Writing (uploads) is on only with a token: set NYHETSVAKT_TOKEN (16 characters or more).
    """
    try:
        from .web import WebConfig
        from .web.server import serve as run_server
    except ImportError as exc:
        raise click.ClickException(f"the web extra is not installed ({exc.name}): "
                                   "pip install 'nyhetsvakt[web]'") from None
    token = os.environ.get("NYHETSVAKT_TOKEN") or None
    limits = {"max_upload_bytes": max_upload_bytes} if max_upload_bytes else {}
    WebConfig(ctx.obj["db"], token=token, **limits)  # a short token: usage error (exit 2) before starting
    click.echo(f"nyhetsvakt: serving {ctx.obj['db']} on http://{host}:{port}/ "
               f"(writing {'on' if token else 'off'})", err=True)
    run_server(ctx.obj["db"], host=host, port=port, token=token, workers=workers, **limits)


@cli.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from the stored articles."""
    with _archive(ctx, read_only=False) as archive:
        n = archive.reindex()
    click.echo(f"{n} articles indexed")


def main() -> None:
    cli(prog_name="nyhetsvakt")
