import contextlib
import threading
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

_lock = threading.Lock()
_servers: dict[Path, object] = {}
_created: set[tuple[Path, str]] = set()

# Settings for the embedded server, beyond PostgreSQL's defaults (sized for a small machine
# that runs the app beside it; the README gives them for users of their own server too).
# Set with ALTER SYSTEM (postgresql.auto.conf in the data folder): all but shared_buffers take
# effect at once, shared_buffers at the server's next start.
TUNING = {
    "shared_buffers": "256MB",  # default 128MB: the hot indexes of a million quotes fit
    "work_mem": "16MB",  # per sort or hash: no spill to disk for a page's sorts
    "maintenance_work_mem": "256MB",  # index builds and VACUUM after a bulk load
    "effective_cache_size": "2GB",  # what the OS caches too: favours index scans
    "random_page_cost": "1.1",  # SSD: a random read costs about a sequential one
    "jit": "off",  # compiling a big query's plan costs more than a page's whole query
    "max_wal_size": "2GB",  # fewer checkpoints during bulk ingestion
}


def start(pgdata: str | Path, *, database: str) -> tuple[str, int]:
    """Start (or join) the embedded server in ``pgdata``; make sure ``database`` exists.

    Called for every new connection, so a server that has stopped since is started again by
    the next request or command that needs it.

    Returns the directory of the server's Unix socket (the connection's host) and its port.
    """
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver  # only needed when no DATABASE_URL is set

    path = Path(pgdata).expanduser().resolve()
    with _lock:
        server = _servers.get(path)
        if server is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(path, cleanup_mode="stop")
            _servers[path] = server
        info = server.get_postmaster_info()
        if not info.is_running():  # it stopped (crashed, killed, machine restarted): start it
            with server._lock:  # pgserver's lock between processes
                server.ensure_postgres_running()
            info = server.get_postmaster_info()
        host, port = str(info.socket_dir), info.port or 5432
        if (path, database) not in _created:
            _create_database(host, port, database)
            _created.add((path, database))
            _tune(host, port)
    return host, port


def _create_database(host: str, port: int, database: str) -> None:
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            # another process may create it first
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _tune(host: str, port: int) -> None:
    """Apply ``TUNING`` where the data folder does not set it yet (a no-op once done; a
    value someone set there with ALTER SYSTEM is left as it is)."""
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        configured = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM pg_file_settings WHERE sourcefile LIKE %s",
                ["%postgresql.auto.conf"],
            ).fetchall()
        }
        missing = [name for name in TUNING if name not in configured]
        for name in missing:
            conn.execute(
                sql.SQL("ALTER SYSTEM SET {} = {}").format(
                    sql.Identifier(name), sql.Literal(TUNING[name])
                )
            )
        if missing:
            conn.execute("SELECT pg_reload_conf()")
