"""Small builders for page tests: rows made directly, with quote.text == article.text[start:end]."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils.text import slugify

from apps.articles.models import Article, Outlet
from apps.quotes.models import Quote, Statement, Topic
from apps.speakers.models import Speaker

_n = itertools.count(1)


def outlet(name: str = "Example Times") -> Outlet:
    return Outlet.objects.get_or_create(name=name, defaults={"domain": ""})[0]


def article(text: str, *, outlet_name: str = "Example Times", published=date(2019, 5, 10), **kw):
    n = next(_n)
    return Article.objects.create(
        title=kw.pop("title", f"Article {n}"),
        outlet=outlet(outlet_name) if outlet_name else None,
        published=published,
        text=text,
        content_hash=f"factory-{n}",
        **kw,
    )


def speaker(name: str, **kw) -> Speaker:
    return Speaker.objects.get_or_create(slug=slugify(name), defaults={"name": name, **kw})[0]


def topic(name: str) -> Topic:
    return Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def quote(art: Article, text: str, who: Speaker | None = None, *, occurrence: int = 0, **kw):
    """The quote of ``text`` where it stands in ``art`` (its ``occurrence``-th appearance)."""
    start = -1
    for _ in range(occurrence + 1):
        start = art.text.index(text, start + 1)
    topics = kw.pop("topics", [])
    q = Quote.objects.create(
        article=art,
        speaker=who,
        text=text,
        start=start,
        end=start + len(text),
        kind=kw.pop("kind", "direct"),
        speaker_mention=kw.pop("speaker_mention", who.name if who else ""),
        cue=kw.pop("cue", "said"),
        confidence=kw.pop("confidence", 0.9),
        **kw,
    )
    if topics:
        q.topics.set(topics)
    return q


def statement(*quotes: Quote, has_conflict: bool = False) -> Statement:
    st = Statement.objects.create(
        text=max((q.text for q in quotes), key=len),
        speaker=quotes[0].speaker,
        has_conflict=has_conflict,
    )
    Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(statement=st)
    return st


TEXT_A = (
    'Lavrov said the talks were "hindered by the wave of suspicions that have overcome '
    'Washington." He called the claims "baseless <b>nonsense</b> and lies". Pompeo said '
    "sanctions would stay.\n\nIn a second paragraph Pompeo urged adherence to the Minsk agreements."
)
TEXT_B = (
    'Lavrov said relations were "hindered by the wave of suspicion that has overcome '
    'Washington". Mike Pompeo said new sanctions and more sanctions on Russia would stay in place.'
)


def small_corpus():
    """Two outlets reporting Lavrov's "wave of suspicion(s)" and Pompeo on sanctions."""
    from types import SimpleNamespace

    lavrov = speaker("Sergey Lavrov", role="Russian Foreign Minister")
    pompeo = speaker("Mike Pompeo", role="US Secretary of State")
    relations, election, sanctions = (
        topic("Bilateral relations"),
        topic("Election interference"),
        topic("Sanctions"),
    )
    a = article(TEXT_A, outlet_name="Example Times", published=date(2019, 5, 10), title="Talks A")
    b = article(TEXT_B, outlet_name="Daily Courier", published=date(2019, 6, 2), title="Talks B")
    qa1 = quote(
        a,
        "hindered by the wave of suspicions that have overcome Washington.",
        lavrov,
        topics=[relations],
    )
    qa2 = quote(a, "baseless <b>nonsense</b> and lies", lavrov, kind="partial", topics=[election])
    qa3 = quote(a, "sanctions would stay", pompeo, kind="indirect", topics=[sanctions])
    qa4 = quote(a, "adherence to the Minsk agreements", pompeo, kind="partial")
    qb1 = quote(
        b,
        "hindered by the wave of suspicion that has overcome Washington",
        lavrov,
        topics=[relations],
    )
    qb2 = quote(
        b,
        "new sanctions and more sanctions on Russia would stay in place",
        pompeo,
        kind="indirect",
        topics=[sanctions],
    )
    wave = statement(qa1, qb1)
    return SimpleNamespace(**locals())
