"""Reading articles from files, folders, standard input and uploads, before anything is stored.

Supported: ``.txt`` (first line is the title; a ``manifest.toml`` in the same folder, as in
``seeds/``, supplies the metadata), ``.html``/``.htm`` (main text and metadata via trafilatura),
``.json`` (an object or a list of objects) and ``.jsonl`` (one object a line), each object with
``text`` and optional ``title``, ``url``, ``outlet``, ``outlet_domain``, ``published``,
``author``, ``language``, ``translated_from``, ``original_title``.

Text is UTF-8 (a byte-order mark is dropped, so offsets index the stored text) or UTF-16 with
its byte-order mark. Refused, with the reason: empty files, binary files (NUL bytes), other
encodings, files larger than ``settings.INGEST_MAX_BYTES`` (5 MiB unless ``QT_INGEST_MAX_BYTES``
says), JSON nested deeper than ``JSON_MAX_DEPTH`` (checked before parsing), and URLs that are not
``http``/``https``. Each refusal is one failed item: the other inputs go on.

``manage.py ingest``, ``manage.py extract`` and the ingest page all read through this module.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl"}
MANIFEST = "manifest.toml"
# Deeper JSON is refused before it is parsed (an article is an object in a list: depth 2).
JSON_MAX_DEPTH = 32
URL_SCHEMES = ("http", "https")


class SourceError(Exception):
    """An input that cannot be ingested; ``str()`` is the reason a user reads."""


@dataclass
class ArticleInput:
    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    outlet: str = ""
    outlet_domain: str = ""
    published: dt.date | None = None
    author: str = ""
    language: str = "en"
    translated_from: str = ""
    original_title: str = ""
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def as_kwargs(self) -> dict:
        return {
            "text": self.text,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "outlet": self.outlet,
            "outlet_domain": self.outlet_domain,
            "published": self.published,
            "author": self.author,
            "language": self.language,
            "translated_from": self.translated_from,
            "original_title": self.original_title,
        }


@dataclass
class Item:
    """One article to ingest, or the reason one input cannot be: ``label`` names it for users."""

    label: str
    article: ArticleInput | None = None
    error: str = ""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode(data: bytes, *, max_bytes: int | None = None) -> str:
    """Bytes to text, or SourceError saying why not. Normalises line ends and drops a BOM.

    UTF-8 (with or without a byte-order mark) and UTF-16 with its byte-order mark are read.
    """
    limit = settings.INGEST_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise SourceError(f"too large: {len(data):,} bytes (the limit is {limit:,})")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError as exc:
            raise SourceError(f"not UTF-16 text: {exc.reason} at offset {exc.start}") from None
    else:
        if b"\x00" in data:
            raise SourceError("binary file: it contains NUL bytes, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"not UTF-8 text: undecodable byte 0x{data[exc.start]:02x} at offset {exc.start}"
            ) from None
    if "\x00" in text:
        raise SourceError("binary file: it contains NUL characters, not text")
    if not text.strip():
        raise SourceError("empty: no text to ingest")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_url(value) -> str:
    """The URL as given when its scheme is http or https (or it is blank), else SourceError:
    nothing else (``javascript:``, ``data:``, ``file:``) may become an article's link."""
    url = str(value or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise SourceError(f"unreadable URL {url[:100]!r}") from None
    if parts.scheme.lower() not in URL_SCHEMES or not parts.netloc:
        raise SourceError(f"unsafe URL {url[:100]!r}: only http and https links are stored")
    if len(url) > 2000:
        raise SourceError("URL longer than 2,000 characters")
    return url


# A JSON string (escapes included), and everything that is not a bracket.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def json_depth_check(text: str, *, max_depth: int = JSON_MAX_DEPTH) -> None:
    """SourceError when ``text`` nests arrays and objects deeper than ``max_depth``.

    Run before ``json.loads``, which would recurse once per level. Linear in the text: strings
    are blanked and all but brackets dropped by regular expressions; then each pass removes
    the innermost pairs, so at most ``max_depth`` passes empty a document that is deep enough.
    Unbalanced brackets are left for the parser to report, unless they open too many levels.
    """
    skeleton = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    for passes in range(max_depth + 1):
        if not skeleton:
            return
        reduced = _EMPTY_PAIR.sub("", skeleton)
        if reduced == skeleton:  # unbalanced: json.loads says where, unless it is deep too
            opened = skeleton.count("[") + skeleton.count("{")
            if passes + opened <= max_depth:
                return
            break
        skeleton = reduced
    raise SourceError(f"JSON nested deeper than {max_depth} levels")


def parse_date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise SourceError(f"unreadable date {text!r} (use YYYY-MM-DD)") from None


def first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:1000]
    return ""


# --- formats ----------------------------------------------------------------------------------


def from_txt(text: str, *, source: str = "", meta: dict | None = None) -> ArticleInput:
    """The whole file is the article's text (quote spans index it); its first line the title."""
    meta = meta or {}
    return ArticleInput(
        text=text,
        title=(meta.get("title") or first_line(text))[:1000],
        source=source,
        url=clean_url(meta.get("url")),
        outlet=meta.get("outlet", "") or "",
        outlet_domain=meta.get("outlet_domain", "") or "",
        published=parse_date(meta.get("published")),
        author=meta.get("author", "") or "",
        language=meta.get("language", "") or "en",
        translated_from=meta.get("translated_from", "") or "",
        original_title=meta.get("original_title", "") or "",
    )


def from_html(html: str, *, source: str = "", url: str = "") -> ArticleInput:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise SourceError("no article text found in the HTML page")
    outlet = doc.sitename or ""
    domain = doc.hostname or ""
    if domain.startswith("www."):
        domain = domain[4:]
    return ArticleInput(
        text=doc.text.replace("\r\n", "\n"),
        title=(doc.title or first_line(doc.text))[:1000],
        source=source,
        url=clean_url(url) or _lenient_url(doc.url),
        outlet=outlet[:200] or domain,
        outlet_domain=domain,
        published=_lenient_date(doc.date),
        author=(doc.author or "")[:300],
        language=(doc.language or "en")[:16],
    )


def _lenient_url(value) -> str:
    """A page's own canonical link: dropped, not refused, when it is not http(s)."""
    try:
        return clean_url(value)
    except SourceError:
        return ""


def _lenient_date(value) -> dt.date | None:
    try:
        return parse_date(value)
    except SourceError:
        return None


def from_object(obj, *, source: str = "") -> ArticleInput:
    if not isinstance(obj, dict):
        raise SourceError("expected a JSON object with a 'text' field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SourceError("the JSON object has no 'text'")
    text = text.replace("\r\n", "\n")
    return ArticleInput(
        text=text,
        title=str(obj.get("title") or first_line(text))[:1000],
        source=source,
        url=clean_url(obj.get("url")),
        outlet=str(obj.get("outlet") or ""),
        outlet_domain=str(obj.get("outlet_domain") or ""),
        published=parse_date(obj.get("published")),
        author=str(obj.get("author") or "")[:300],
        language=str(obj.get("language") or "en")[:16],
        translated_from=str(obj.get("translated_from") or "")[:16],
        original_title=str(obj.get("original_title") or "")[:1000],
    )


def items_from_json(text: str, *, label: str, source: str, lines: bool) -> Iterator[Item]:
    if lines:
        records = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                json_depth_check(line)
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                yield Item(f"{label}:{number}", error=f"invalid JSON: {exc.msg}")
            except (SourceError, RecursionError) as exc:
                yield Item(f"{label}:{number}", error=str(exc) or "JSON nested too deeply")
    else:
        try:
            json_depth_check(text)
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Item(label, error=f"invalid JSON: {exc.msg} (line {exc.lineno})")
            return
        except (SourceError, RecursionError) as exc:
            yield Item(label, error=str(exc) or "JSON nested too deeply")
            return
        if isinstance(data, list):
            records = list(enumerate(data, start=1))
        else:
            yield _item(label, lambda: from_object(data, source=source))
            return
    for number, obj in records:
        sub_source = f"{source}#{number}" if source else ""
        yield _item(f"{label}:{number}", lambda o=obj, s=sub_source: from_object(o, source=s))


def _item(label: str, build) -> Item:
    try:
        return Item(label, article=build())
    except SourceError as exc:
        return Item(label, error=str(exc))


def items_from_bytes(
    data: bytes, *, label: str, source: str = "", kind: str = "", meta: dict | None = None
) -> Iterator[Item]:
    """Articles in one input. ``kind`` is the suffix (``.txt``...); guessed when blank."""
    try:
        text = decode(data)
    except SourceError as exc:
        yield Item(label, error=str(exc))
        return
    kind = kind or guess_kind(text)
    if kind in {".json", ".jsonl"}:
        yield from items_from_json(text, label=label, source=source, lines=kind == ".jsonl")
    elif kind in {".html", ".htm"}:
        yield _item(label, lambda: from_html(text, source=source))
    else:
        yield _item(label, lambda: from_txt(text, source=source, meta=meta))


def guess_kind(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("<"):
        return ".html"
    if head.startswith("["):
        return ".json"
    if head.startswith("{"):
        return ".jsonl" if "\n{" in text.strip() else ".json"
    return ".txt"


@lru_cache(maxsize=64)
def _manifest(folder: Path) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {entry["file"]: entry for entry in data.get("article", []) if "file" in entry}


def source_name(path: Path) -> str:
    """How a file is recorded: relative to the project when inside it, else absolute."""
    path = path.resolve()
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


def items_from_file(path: Path) -> Iterator[Item]:
    label = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield Item(label, error=f"unsupported file type {suffix or '(none)'!r}")
        return
    try:
        size = path.stat().st_size
        if size > settings.INGEST_MAX_BYTES:
            limit = settings.INGEST_MAX_BYTES
            yield Item(label, error=f"too large: {size:,} bytes (the limit is {limit:,})")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Item(label, error=f"cannot read: {exc.strerror or exc}")
        return
    try:
        meta = _manifest(path.parent.resolve()).get(path.name) if suffix == ".txt" else None
    except (tomllib.TOMLDecodeError, OSError) as exc:
        yield Item(label, error=f"bad {MANIFEST} next to it: {exc}")
        return
    yield from items_from_bytes(data, label=label, source=source_name(path), kind=suffix, meta=meta)


def iter_items(paths: Iterable[str], *, stdin=None) -> Iterator[Item]:
    """Every article in files, folders (recursively, supported types only) and ``-`` (stdin)."""
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from items_from_bytes(stream.read(), label="<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield from items_from_file(child)
        elif path.exists():
            yield from items_from_file(path)
        else:
            yield Item(raw, error="no such file or folder")
