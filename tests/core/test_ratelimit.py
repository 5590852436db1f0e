"""Rate limits held in the database, keyed on the client as the trusted proxy reports it."""

import threading

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory

from apps.core import ratelimit
from apps.quotes.models import Report
from tests.factories import small_corpus

pytestmark = pytest.mark.django_db


def test_the_report_limit_survives_a_restart_of_the_worker(client):
    corpus = small_corpus()
    url = f"/quotes/{corpus.qa1.pk}/report/"
    for _ in range(5):
        assert client.post(url, {"message": "wrong"}).status_code == 302
    cache.clear()  # what a new worker or a restart starts with
    assert Client().post(url, {"message": "wrong"}).status_code == 429
    assert Report.objects.count() == 5


def test_behind_a_proxy_each_client_has_its_own_limit(settings):
    settings.TRUSTED_PROXIES = 1
    corpus = small_corpus()
    url = f"/quotes/{corpus.qa1.pk}/report/"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    reader = Client()
    for _ in range(5):
        response = reader.post(url, {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
        assert response.status_code == 302
    blocked = reader.post(url, {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert blocked.status_code == 429
    # a client forging the header gets the address the proxy appended, its own
    forged = reader.post(
        url, {"message": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", **proxy
    )
    assert forged.status_code == 429
    other = reader.post(url, {"message": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.77", **proxy)
    assert other.status_code == 302


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="5.6.7.8")
    assert ratelimit.client_ip(request) == "5.6.7.8"
    settings.TRUSTED_PROXIES = 2
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.0.0.2", REMOTE_ADDR="10.0.0.3"
    )
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_admin_sign_in_is_throttled(settings):
    settings.ADMIN_LOGIN_ATTEMPTS = 10
    User.objects.create_superuser("boss", password="right-password-42")
    attacker = Client()
    for _ in range(10):
        response = attacker.post("/admin/login/", {"username": "boss", "password": "guess"})
        assert response.status_code == 200  # the form again, with its error
    response = attacker.post("/admin/login/", {"username": "boss", "password": "right-password-42"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    # the same username from another address is throttled too
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post("/admin/login/", {"username": "boss", "password": "x"}).status_code == 429
    assert Client().get("/admin/login/").status_code == 200  # reading the form is not limited


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_all_counted():
    def hammer():
        try:
            for _ in range(5):
                ratelimit.record("burst", period=3600)
        finally:
            connection.close()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ratelimit.count("burst", period=3600) == 40
