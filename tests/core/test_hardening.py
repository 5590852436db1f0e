"""Security headers, friendly error pages, and the site's behaviour when the database is down."""

import os
import re
import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.test import Client

from apps.embedded_postgres import server
from tests.factories import small_corpus

ROOT = Path(__file__).resolve().parent.parent.parent
INLINE_HANDLER = re.compile(r"\s(?:on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    small_corpus()
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    # htmx is told not to inject its <style> nor to evaluate code
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html


@pytest.mark.django_db
def test_no_page_runs_inline_script(client):
    corpus = small_corpus()
    pages = ["/", "/search/?q=sanctions", "/compare/", "/speakers/", "/speakers/sergey-lavrov/"]
    pages += [f"/quotes/{corpus.qa1.pk}/", f"/articles/{corpus.a.pk}/"]
    for page in pages:
        html = client.get(page).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "application/ld+json" in tag, (page, tag)
        assert not INLINE_HANDLER.search(html), page
        assert "style=" not in html, page


def test_templates_have_no_inline_handlers_or_styles():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not INLINE_HANDLER.search(text), path
        assert "javascript:" not in text.lower(), path


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/quotes/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_database_down_is_a_friendly_503_and_the_site_recovers(monkeypatch):
    small_corpus()
    reader = Client(raise_request_exception=False)
    assert reader.get("/").status_code == 200
    unreachable = {"host": "/nonexistent-socket-dir", "port": 1, "dbname": "x", "user": "x"}
    monkeypatch.setattr(connection, "get_connection_params", lambda: unreachable)
    connection.close()
    for page in ["/", "/search/?q=sanctions", "/speakers/", "/quotes/1/"]:
        response = reader.get(page)
        assert response.status_code == 503, page
        html = response.content.decode()
        assert "briefly unavailable" in html and "Server Error" not in html
        assert response["Retry-After"]
    monkeypatch.undo()  # the database is back
    connection.close()
    assert reader.get("/").status_code == 200


def test_a_bug_is_still_a_friendly_500(monkeypatch, db):
    from apps.core import views

    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(views, "paginate", broken)
    response = Client(raise_request_exception=False).get("/search/?q=x")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.skipif(not hasattr(os, "kill"), reason="needs POSIX signals")
def test_the_embedded_server_is_started_again_by_the_next_connection(tmp_path):
    pgdata = tmp_path / "pg"
    host, port = server.start(pgdata, database="probe")
    with psycopg.connect(host=host, port=port, user="postgres", dbname="probe") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    pid = server._servers[pgdata.resolve()].get_postmaster_info().pid
    os.kill(pid, signal.SIGINT)  # fast shutdown, as a crash or a restart of the machine would
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    try:
        host, port = server.start(pgdata, database="probe")
        with psycopg.connect(host=host, port=port, user="postgres", dbname="probe") as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        info = server._servers[pgdata.resolve()].get_postmaster_info()
        if info.is_running():
            os.kill(info.pid, signal.SIGINT)
