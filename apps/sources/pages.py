"""What a fetched document holds: the article URLs of a feed or news sitemap, or a page's
article text and metadata (trafilatura, its date found by htmldate).

No database and no network here: bytes in, plain values out, ``PageError`` with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from apps.articles.sources import ArticleInput, SourceError, decode, first_line

# Trafilatura sometimes keeps a photo caption instead of the article. The text it gives is
# implausibly short when it has fewer than MIN_SHARE of the words in the page's paragraphs
# (with at least MIN_PAGE_WORDS of them), or fewer than MIN_WORDS words at all.
MIN_SHARE = 0.4
MIN_PAGE_WORDS = 80
MIN_WORDS = 25

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|smid|ref_src)$", re.I)


class PageError(Exception):
    """A document that yields nothing to store; ``str()`` is the reason."""


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, the other query parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)
    )
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


# --- feeds and sitemaps ------------------------------------------------------------------------


@dataclass
class Entry:
    url: str
    title: str = ""
    published: dt.date | None = None


@dataclass
class Listing:
    kind: str  # "feed" or "sitemap"
    entries: list[Entry]
    title: str = ""


def _is_sitemap(head: bytes) -> bool:
    head = head[:2000].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def read_listing(body: bytes, *, base_url: str, content_type: str = "") -> Listing:
    """The article links of an RSS/Atom feed or a (news) sitemap, in the document's order."""
    if not body.strip():
        raise PageError("empty response: no feed or sitemap")
    if _is_sitemap(body):
        return _read_sitemap(body)
    return _read_feed(body, base_url=base_url, content_type=content_type)


def _read_feed(body: bytes, *, base_url: str, content_type: str = "") -> Listing:
    import feedparser

    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        published = None
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        if stamp:
            published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
        entries.append(Entry(url=link, title=item.get("title", "")[:1000], published=published))
    if not entries:
        problem = parsed.get("bozo_exception")
        if parsed.get("bozo") and not isinstance(problem, feedparser.CharacterEncodingOverride):
            raise PageError(f"malformed feed: {problem}")
        if not parsed.get("version"):
            raise PageError("not an RSS or Atom feed")
    return Listing("feed", entries, title=parsed.feed.get("title", "")[:200])


def _read_sitemap(body: bytes) -> Listing:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise PageError(f"malformed sitemap: {exc}") from None
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    if root.find("sm:sitemap", ns) is not None:
        raise PageError("a sitemap index, not a news sitemap: track its news sitemaps one by one")
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    entries = []
    for node in root.iterfind("sm:url", ns):
        loc = (node.findtext("sm:loc", namespaces=ns) or "").strip()
        if not loc:
            continue
        title = (node.findtext(f".//{news}title") or "").strip()
        stamp = node.findtext(f".//{news}publication_date") or node.findtext(
            "sm:lastmod", namespaces=ns
        )
        entries.append(Entry(url=loc, title=title[:1000], published=_date(stamp)))
    return Listing("sitemap", entries)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


# --- article pages -----------------------------------------------------------------------------


@dataclass
class Extracted:
    article: ArticleInput
    canonical: str  # the page's canonical link, canonicalised ("" when it has none)
    recall: bool  # whether the recall-favouring retry was needed


def _words(text: str) -> int:
    return len(text.split())


def _paragraph_words(html: str) -> int:
    """Words in the page's paragraphs: what a reader would call the page's text."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return 0
    return sum(_words(p.text_content()) for p in tree.iter("p"))


def _too_short(text: str, page_words: int) -> bool:
    words = _words(text)
    if words < MIN_WORDS:
        return True
    return page_words >= MIN_PAGE_WORDS and words < MIN_SHARE * page_words


def _extract(html: str, *, url: str, recall: bool):
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_recall=recall,
        favor_precision=False,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
    )


def page_text(body: bytes, *, charset: str = "") -> str:
    """An HTML page's bytes as text: the charset the server declared, else UTF-8, else what
    the page's own ``<meta charset>`` or the bytes suggest (trafilatura's detection)."""
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            pass
    try:
        return decode(body)
    except SourceError as exc:
        if "not UTF-8" not in str(exc):
            raise PageError(str(exc)) from None
    from trafilatura.utils import decode_file

    return decode_file(body)


def read_page(
    body: bytes, *, url: str, charset: str = "", outlet: str = "", outlet_domain: str = ""
) -> Extracted:
    """The article in an HTML page; refuses a page whose text stays implausibly short."""
    html = page_text(body, charset=charset)
    page_words = _paragraph_words(html)
    doc = _extract(html, url=url, recall=False)
    recall = False
    if doc is None or _too_short(doc.text or "", page_words):
        recall = True
        retry = _extract(html, url=url, recall=True)
        if retry is not None and _words(retry.text or "") > _words((doc and doc.text) or ""):
            doc = retry
    text = ((doc and doc.text) or "").replace("\r\n", "\n").strip()
    if not text:
        raise PageError("no article text found in the page")
    if _too_short(text, page_words):
        raise PageError(
            f"the extracted text is implausibly short for the page ({_words(text)} words of "
            f"{page_words} in its paragraphs, even favouring recall): probably a caption or "
            "teaser, not the article"
        )
    canonical = canonical_url(doc.url) if doc.url and doc.url.startswith("http") else ""
    published = _date(doc.date)
    if published is None:
        published = _htmldate(html, url)
    domain = (urlsplit(canonical or url).hostname or "").lower().removeprefix("www.")
    return Extracted(
        article=ArticleInput(
            text=text,
            title=(doc.title or first_line(text))[:1000],
            source=canonical or url,
            url=canonical or url,
            outlet=outlet or (doc.sitename or "")[:200] or domain,
            outlet_domain=outlet_domain or domain,
            published=published,
            author=(doc.author or "")[:300],
            language=(doc.language or "en")[:16],
        ),
        canonical=canonical,
        recall=recall,
    )


def _htmldate(html: str, url: str) -> dt.date | None:
    from htmldate import find_date

    try:
        return _date(find_date(html, url=url, original_date=True, extensive_search=False))
    except Exception:  # htmldate is best effort: a page without a date is still an article
        return None
