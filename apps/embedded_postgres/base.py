from django.db import OperationalError
from django.db.backends.postgresql import base

from apps.embedded_postgres import server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        settings = self.settings_dict
        try:  # (re)started here when it is down: every new connection asks
            host, port = server.start(settings["PGDATA"], database=settings["APP_DATABASE"])
        except Exception as exc:  # pgserver's own errors: for Django, the database is down
            raise OperationalError(f"the embedded PostgreSQL server cannot start: {exc}") from exc
        settings["HOST"], settings["PORT"] = host, str(port)
        return super().get_connection_params()
