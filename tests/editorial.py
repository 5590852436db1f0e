"""Builders for editorial tests: rows made directly, quote.text == article.text[start:end]."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group, Permission
from django.utils.text import slugify

from apps.articles.models import Article, Outlet
from apps.quotes.extraction.names import normalise_name
from apps.quotes.models import Quote, Statement
from apps.speakers.models import Speaker, SpeakerAlias

_counter = itertools.count(1)

ARTICLE_TEXT = (
    "Talks in Geneva ended without a deal on Tuesday.\n\n"
    "“We are not going to give up,” said Ivana Testerova, the fictional envoy. "
    "She added that the talks were “hindered by a wave of suspicion” in the capital.\n\n"
    "Officials said the next round would be in March. "
    "“Nothing is agreed until everything is agreed,” Marco Examplo told reporters."
)


def make_article(*, text: str = ARTICLE_TEXT, outlet: str = "Example Times", **fields) -> Article:
    n = next(_counter)
    outlet_obj, _ = Outlet.objects.get_or_create(name=outlet)
    return Article.objects.create(
        title=fields.pop("title", f"Test article {n}"),
        outlet=outlet_obj,
        text=text,
        content_hash=f"hash-{n}-{hash(text)}",
        **fields,
    )


def make_speaker(name: str, **fields) -> Speaker:
    speaker = Speaker.objects.create(name=name, slug=slugify(name), **fields)
    SpeakerAlias.objects.create(speaker=speaker, name=name, normalised=normalise_name(name))
    return speaker


def make_quote(
    article: Article,
    needle: str,
    *,
    speaker: Speaker | None = None,
    confidence: float = 0.5,
    kind: str = Quote.Kind.DIRECT,
    status: str = Quote.Status.MACHINE,
    statement: Statement | None = None,
) -> Quote:
    start = article.text.index(needle)
    end = start + len(needle)
    return Quote.objects.create(
        article=article,
        speaker=speaker,
        text=article.text[start:end],
        kind=kind,
        start=start,
        end=end,
        speaker_mention=speaker.name if speaker else "",
        confidence=confidence,
        status=status,
        statement=statement,
    )


def make_user(username: str, *, staff: bool = True, groups=(), perms=()):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", is_staff=staff
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for codename in perms:
        app_label, code = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=code)
        )
    return user
