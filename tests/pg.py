"""A PostgreSQL server for the tests: the one named by ``NYHETSVAKT_TEST_POSTGRES`` or a throw-away one.

With ``NYHETSVAKT_TEST_POSTGRES`` set (a URL of a role that may create databases, e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``) the tests use that server. Otherwise a
server is started from the local PostgreSQL install (``initdb``/``pg_ctl`` in PATH or in
``/usr/lib/postgresql/*/bin``) in a temporary folder: it listens on 127.0.0.1 on a free port
and on a unix socket in that folder, trusts local connections, runs without fsync (its data
is thrown away) and is stopped when the session ends. initdb refuses to run as root, so as
root the server runs as the ``postgres`` system user (``runuser``).

Each test gets its own database, copied from a template that already holds the schema, so
tests are independent and a new database costs a file copy, not a migration.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

ENV = "NYHETSVAKT_TEST_POSTGRES"
TEMPLATE = "nyhetsvakt_template"
_HINT = f"set {ENV} or install postgresql (scripts/install_postgres.sh)"


class Unavailable(Exception):
    """No PostgreSQL server can be had here; the message says why."""


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        folder = Path(found).resolve().parent
        if (folder / "pg_ctl").exists():
            return folder
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    for d in reversed(dirs):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server the tests may create databases on."""

    def __init__(self, admin_url: str, stop: list[str] | None = None, folder: Path | None = None) -> None:
        self.admin_url = admin_url
        self._stop = stop
        self._folder = folder
        self._names = itertools.count(1)
        self._template_ready = False
        self._strategy: str | None = None

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)

    def url(self, dbname: str) -> str:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        params = conninfo_to_dict(self.admin_url)
        params["dbname"] = dbname
        return _as_url(make_conninfo(**params))

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from nyhetsvakt.store.postgres import PostgresStore

        with self._admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
        PostgresStore(self.url(TEMPLATE)).close()  # migrate once
        self._template_ready = True

    def create_database(self, *, migrated: bool = True) -> str:
        """A new database (with the schema, or empty); returns its URL."""
        if migrated:
            self._ensure_template()
        name = f"nyhetsvakt_test_{os.getpid()}_{next(self._names)}"
        template = TEMPLATE if migrated else "template0"
        with self._admin() as conn:
            if self._strategy is None:  # PostgreSQL 15 copies a small template faster by file
                version = int(conn.execute("SHOW server_version_num").fetchone()[0])
                self._strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} ENCODING 'UTF8'{self._strategy}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        from psycopg.conninfo import conninfo_to_dict

        name = conninfo_to_dict(url)["dbname"]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._stop:
            subprocess.run(self._stop, capture_output=True, check=False, timeout=60)
            self._stop = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _as_url(conninfo: str) -> str:
    """A ``postgresql://`` URL for a conninfo string of host, port, user and dbname."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(conninfo)
    host = str(params.get("host", "127.0.0.1"))
    user = params.get("user")
    auth = f"{user}@" if user else ""
    if host.startswith("/"):
        return f"postgresql://{auth}/{params['dbname']}?host={host}&port={params.get('port', 5432)}"
    return f"postgresql://{auth}{host}:{params.get('port', 5432)}/{params['dbname']}"


def _as_postgres(cmd: list[str], folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        raise Unavailable("running as root, and initdb refuses root: no runuser to run it as postgres")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root, and initdb refuses root: no 'postgres' system user") from None
    shutil.chown(folder, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--", *cmd]


# For tests: durability off, small memory. Benchmarks pass their own (benchmarks/scale.py).
TEST_SETTINGS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 "
                 "-c shared_buffers=64MB")


def start_local(settings: str = TEST_SETTINGS) -> Server:
    """A throw-away server from the local install, on 127.0.0.1 only, with ``settings``."""
    bindir = _bin_dir()
    if bindir is None:
        raise Unavailable(f"no initdb found in PATH or /usr/lib/postgresql/*/bin; {_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="nyhetsvakt-pg-"))
    folder.chmod(0o755)
    data, log = folder / "data", folder / "server.log"
    try:
        run = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
               "--locale=C.UTF-8", "--no-sync"]
        done = subprocess.run(_as_postgres(run, folder), capture_output=True, text=True, timeout=120,
                              check=False)
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-300:]}")
        port = _free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
                   f"{settings}")
        start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options,
                 "start"]
        done = subprocess.run(_as_postgres(start, folder), capture_output=True, text=True, timeout=90,
                              check=False)
        if done.returncode != 0:
            tail = log.read_text(errors="replace")[-300:] if log.exists() else done.stderr
            raise Unavailable(f"pg_ctl could not start a server: {tail.strip()}")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stop = _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], folder)
    return Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", stop, folder)


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """The test server, or Unavailable with the reason."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("psycopg is not installed (pip install -e '.[postgres]')") from None
    given = os.environ.get(ENV)
    srv = Server(given) if given else start_local()
    try:
        if given:
            try:
                srv._admin().close()
            except Exception as exc:
                raise Unavailable(f"{ENV} names a server that cannot be reached: "
                                  f"{type(exc).__name__}") from None
        yield srv
    finally:
        srv.stop()
