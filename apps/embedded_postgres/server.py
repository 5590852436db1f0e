import contextlib
import threading
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

_lock = threading.Lock()
_servers: dict[Path, object] = {}
_created: set[tuple[Path, str]] = set()


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
