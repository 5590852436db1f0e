from django.db.backends.postgresql import base

from apps.embedded_postgres import server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        settings = self.settings_dict
        host, port = server.start(settings["PGDATA"], database=settings["APP_DATABASE"])
        settings["HOST"], settings["PORT"] = host, str(port)
        return super().get_connection_params()
