"""The polite fetcher: one GET of a feed, sitemap or page, within limits, or a reason why not.

- Refuses loopback, private, link-local and other non-global addresses, after DNS resolution,
  for the first URL and every redirect, and again on the socket actually connected (so a name
  that resolves elsewhere the second time is caught), unless ``settings.FETCH_ALLOW_PRIVATE``
  (``QT_FETCH_ALLOW_PRIVATE=1``, for tests and local trials).
- Obeys ``robots.txt`` (read once an hour per host and process) and waits
  ``settings.FETCH_HOST_DELAY`` seconds (or the robots.txt ``Crawl-delay``, up to a minute)
  between two requests to one host, whichever worker makes them (the slot is booked in the
  ``Host`` table).
- Says who it is (``settings.FETCH_USER_AGENT``), follows at most 5 redirects, reads at most
  ``settings.INGEST_MAX_BYTES`` and gives up after ``settings.FETCH_TIMEOUT`` seconds, however
  slowly the server trickles bytes.
- Conditional GET: pass the ETag / Last-Modified of the last fetch; a 304 comes back as
  ``not_modified``.

Errors say what to do next: ``Retryable`` (timeouts, connection errors, 5xx, 429, with the
server's ``Retry-After`` when it gave one), ``Gone`` (404, 410: never retried) and ``Refused``
(everything else: wrong content type, too large, redirect loop, private address, robots.txt).
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection
from django.conf import settings

MAX_REDIRECTS = 5
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is obeyed up to this many seconds
ROBOTS_TTL = 3600.0
CHUNK = 64 * 1024

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/feed+json",
)
ANY_TEXT = HTML_TYPES + FEED_TYPES + ("text/plain",)


class FetchError(Exception):
    """A fetch that did not give a usable response; ``str()`` is the reason users read."""


class Retryable(FetchError):
    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Gone(FetchError):
    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


class Refused(FetchError):
    pass


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str = ""
    charset: str = ""  # as the server declared it, if it did
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    seconds: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES


def _refuse(host: str, address) -> None:
    raise Refused(
        f"{host} resolves to {address}, a loopback, private or link-local address "
        "(set QT_FETCH_ALLOW_PRIVATE=1 to allow it for local trials)"
    )


def _public(address) -> bool:
    return address.is_global and not address.is_multicast


def _check_peer(sock, host: str) -> None:
    """The address actually connected to: a name that resolved to a public address for
    ``check_address`` and to a private one a moment later (DNS rebinding) is caught here."""
    if settings.FETCH_ALLOW_PRIVATE:
        return
    address = ipaddress.ip_address(sock.getpeername()[0].split("%", 1)[0])
    if not _public(address):
        sock.close()
        _refuse(host, address)


class _CheckedHTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


class _CheckedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self):
        sock = super()._new_conn()
        _check_peer(sock, self.host)
        return sock


class _CheckedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def check_address(url: str) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a non-public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise Refused(f"only http and https URLs are fetched, not {parts.scheme or 'none'!r}")
    host = parts.hostname
    if not host:
        raise Refused("the URL has no host")
    if settings.FETCH_ALLOW_PRIVATE:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise Retryable(f"cannot resolve {host}: {exc.strerror or exc}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not _public(address):
            _refuse(host, address)


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = settings.FETCH_USER_AGENT
    session.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5"
    session.trust_env = False  # no proxies or .netrc from the environment
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _wait_for_host(host: str, *, crawl_delay: float = 0.0) -> None:
    from apps.sources.services import host_reserve

    spacing = max(settings.FETCH_HOST_DELAY, min(crawl_delay, MAX_CRAWL_DELAY))
    wait = host_reserve(host=host, delay=spacing)
    if wait > 0:
        time.sleep(wait)


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    etag: str = "",
    last_modified: str = "",
    robots: bool = True,
    max_bytes: int | None = None,
) -> Response:
    """GET ``url`` within the limits above; raises a ``FetchError`` subclass otherwise."""
    limit = settings.INGEST_MAX_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + settings.FETCH_TIMEOUT
    started = time.perf_counter()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = {url}
    with _session() as session:
        for _ in range(MAX_REDIRECTS + 1):
            check_address(url)
            if robots and not robots_allowed(url, session=session):
                raise Refused(f"robots.txt of {urlsplit(url).netloc} disallows {url}")
            _wait_for_host(urlsplit(url).netloc, crawl_delay=robots_delay(url) if robots else 0)
            response = _get(session, url, headers=headers, deadline=deadline)
            if response.is_redirect:
                location = response.headers.get("Location", "")
                response.close()
                if not location:
                    raise Refused(f"HTTP {response.status_code} redirect without a Location")
                target = urljoin(url, location)
                if target in seen:
                    raise Refused(f"redirect loop: {target} redirects back to itself")
                seen.add(target)
                url = target
                continue
            break
        else:
            response.close()
            raise Refused(f"too many redirects (more than {MAX_REDIRECTS})")
        with response:
            return _read(
                response, url=url, accept=accept, limit=limit, deadline=deadline, t0=started
            )


def _get(session, url: str, *, headers: dict, deadline: float) -> requests.Response:
    remaining = max(0.1, deadline - time.monotonic())
    try:
        return session.get(
            url,
            headers=headers,
            allow_redirects=False,
            stream=True,
            timeout=(min(remaining, 10.0), remaining),
        )
    except requests.Timeout:
        raise Retryable(f"timed out after {settings.FETCH_TIMEOUT:g} s waiting for {url}") from None
    except requests.ConnectionError as exc:
        raise Retryable(f"cannot connect to {urlsplit(url).netloc}: {_why(exc)}") from None
    except requests.RequestException as exc:
        raise Refused(f"bad request for {url}: {_why(exc)}") from None


def _why(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else exc
    return str(getattr(reason, "reason", reason))[:300]


def _read(
    response: requests.Response,
    *,
    url: str,
    accept: tuple[str, ...],
    limit: int,
    deadline: float,
    t0: float,
) -> Response:
    status = response.status_code
    if status == 304:
        return Response(url=url, status=304, seconds=time.perf_counter() - t0)
    if status in (404, 410):
        raise Gone(f"HTTP {status} {response.reason or ''}".strip() + f" for {url}", status=status)
    if status == 429 or status >= 500:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        hint = f" (Retry-After: {wait:g} s)" if wait is not None else ""
        raise Retryable(f"HTTP {status} {response.reason or ''}".strip() + hint, retry_after=wait)
    if status != 200:
        raise Refused(f"HTTP {status} {response.reason or ''}".strip() + f" for {url}")
    header = response.headers.get("Content-Type", "")
    content_type = header.split(";", 1)[0].strip().lower()
    charset = next(
        (
            part.split("=", 1)[1].strip().strip('"')
            for part in header.split(";")[1:]
            if part.strip().lower().startswith("charset=")
        ),
        "",
    )
    if accept and content_type not in accept:
        raise Refused(
            f"not a page we can read: {content_type or 'no content type'} "
            f"(expected {', '.join(accept[:2])}{'...' if len(accept) > 2 else ''})"
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(f"too large: {int(declared):,} bytes (the limit is {limit:,})")
    body = bytearray()
    try:
        for chunk in response.iter_content(CHUNK):
            body.extend(chunk)
            if len(body) > limit:
                raise Refused(f"too large: more than {limit:,} bytes (the limit)")
            if time.monotonic() > deadline:
                raise Retryable(f"timed out after {settings.FETCH_TIMEOUT:g} s reading {url}")
    except requests.Timeout:
        raise Retryable(f"timed out after {settings.FETCH_TIMEOUT:g} s reading {url}") from None
    except requests.RequestException as exc:
        raise Retryable(f"the connection broke while reading {url}: {_why(exc)}") from None
    return Response(
        url=url,
        status=status,
        content_type=content_type,
        charset=charset[:40],
        body=bytes(body),
        etag=response.headers.get("ETag", "")[:500],
        last_modified=response.headers.get("Last-Modified", "")[:100],
        seconds=time.perf_counter() - t0,
    )


_robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}


def robots_allowed(url: str, *, session: requests.Session | None = None) -> bool:
    """Whether ``robots.txt`` lets our User-Agent fetch ``url`` (no robots.txt: yes)."""
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    cached = _robots.get(root)
    if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
        parser = _read_robots(root + "/robots.txt")
        _robots[root] = cached = (time.monotonic(), parser)
    parser = cached[1]
    return parser is None or parser.can_fetch(settings.FETCH_USER_AGENT, url)


def robots_delay(url: str) -> float:
    """The ``Crawl-delay`` robots.txt asks of us (0 when none); read after ``robots_allowed``."""
    parts = urlsplit(url)
    cached = _robots.get(f"{parts.scheme}://{parts.netloc}")
    parser = cached[1] if cached else None
    delay = parser.crawl_delay(settings.FETCH_USER_AGENT) if parser is not None else None
    return float(delay or 0)


def _read_robots(robots_url: str) -> urllib.robotparser.RobotFileParser | None:
    """The parsed file, or None (everything allowed) when there is none. A server error
    disallows everything for the hour, as RFC 9309 asks."""
    parser = urllib.robotparser.RobotFileParser(robots_url)
    try:
        response = fetch(robots_url, accept=(), robots=False, max_bytes=500 * 1024)
    except Gone:
        return None
    except Retryable:
        parser.disallow_all = True
        return parser
    except FetchError:
        return None  # a 401/403, a redirect elsewhere that fails: treated as no robots.txt
    parser.parse(response.body.decode("utf-8", "replace").splitlines())
    return parser


def clear_robots_cache() -> None:
    _robots.clear()
