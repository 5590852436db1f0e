from django.db.models import Exists, F, OuterRef, Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.articles.models import Outlet
from apps.core.paging import paginate
from apps.quotes.forms import QuoteFilterForm
from apps.quotes.models import Quote, QuoteCount, Statement, Topic
from apps.quotes.querysets import SEARCH_CANDIDATES, SEARCH_WINDOW, RankedQuotes, highlight
from apps.quotes.rendering import fuzzy_highlight, word_diff
from apps.speakers.models import Speaker
from apps.speakers.services import speaker_named

TOP_SPEAKERS = 8


@require_safe
def home(request):
    # Counts are read from QuoteCount (kept by triggers), not recounted per request.
    by_speaker = QuoteCount.objects.totals("speaker")
    top = sorted(by_speaker, key=lambda pk: -by_speaker[pk])[:TOP_SPEAKERS]
    speakers = Speaker.objects.in_bulk(top)
    top_speakers = sorted(
        (speakers[pk] for pk in top if pk in speakers),
        key=lambda s: (-by_speaker[s.pk], s.name),
    )
    for speaker in top_speakers:
        speaker.n_quotes = by_speaker[speaker.pk]
    context = {
        "counts": {
            "articles": QuoteCount.objects.total("article"),
            "outlets": Outlet.objects.count(),
            "speakers": len(by_speaker),
            "quotes": QuoteCount.objects.total("public"),
        },
        "top_speakers": top_speakers,
        "latest": Quote.objects.public().listed().for_listing().newest_first()[:6],
        "topics": Topic.objects.annotate(n_quotes=QuoteCount.objects.subquery("topic")).order_by(
            "-n_quotes", "name"
        ),
        "form": QuoteFilterForm(),
    }
    return render(request, "core/home.html", context)


def with_snippets(page, q: str, correction):
    """Give each quote on the page ``snippet``: its text, matched words in <mark>, all escaped."""
    for quote in page:
        if getattr(quote, "headline", None) is not None:
            quote.snippet = highlight(quote.headline)
        elif correction:
            quote.snippet = fuzzy_highlight(quote.text, q)
    return page


# A search for a speaker's name finds others' quotes that mention any of this many of their names.
MENTION_NAMES = 12


def _speaker_first(speaker, filters: dict) -> RankedQuotes:
    """A search for a speaker's name or alias: their quotes first (newest first), then the
    quotes of others that mention them (best first)."""
    listed = Quote.objects.public().listed()
    rest = {k: v for k, v in filters.items() if k != "q"}
    own = list(
        listed.by_speaker(speaker)
        .filter_by(rest)
        .newest_first()
        .values_list("pk", flat=True)[:SEARCH_CANDIDATES]
    )
    # Any of their names: "Sergei Lavrov" also finds "Lavrov and I agreed ...".
    names = [filters["q"], *speaker.aliases.values_list("name", flat=True)[:MENTION_NAMES]]
    any_name = " or ".join('"{}"'.format(name.replace('"', " ")) for name in names)
    others = listed.exclude(speaker=speaker).filter_by(rest)
    mentions = others.ranked_ids(any_name, SEARCH_CANDIDATES - len(own))
    return RankedQuotes(listed, any_name, own + mentions)


@require_safe
def search(request):
    form = QuoteFilterForm(request.GET)
    filters = form.filters
    q = filters.get("q", "")
    named = speaker_named(q) if q and not filters.get("speaker") else None
    if named is not None:
        results, correction = _speaker_first(named, filters), None
    else:
        results, correction = (
            Quote.objects.public()
            .listed()
            .find_with_fallback(filters, ranked_limit=SEARCH_CANDIDATES, window=SEARCH_WINDOW)
        )
    page = paginate(request, results.for_listing())
    for quote in page if named else ():  # their own words need no highlight of their name
        if quote.speaker_id == named.pk:
            quote.headline = None
    with_snippets(page, filters.get("q", ""), correction)
    context = {
        "form": form,
        "q": filters.get("q", ""),
        "page": page,
        "correction": correction,
        "export_query": request.GET.urlencode(),
        "named": named,
    }
    template = "core/search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@require_safe
def compare(request):
    speaker_slug = request.GET.get("speaker", "")
    statements = Statement.objects.reported_by_several().prefetch_related("speaker")
    speaker = None
    if speaker_slug:
        speaker = Speaker.objects.filter(slug=speaker_slug).first()
        if speaker:
            statements = statements.filter(
                Exists(Quote.objects.filter(statement=OuterRef("pk"), speaker=speaker))
            )
    statements = statements.prefetch_related(
        Prefetch(
            "quotes",
            queryset=Quote.objects.public()
            .select_related("speaker", "article__outlet")
            .defer("article__text")
            .order_by(F("published").asc(nulls_last=True), "article_id", "start"),
            to_attr="versions",
        )
    )
    page = paginate(request, statements, per_page=10)
    for statement in page:
        versions = statement.versions
        base = versions[0].text if versions else ""
        for i, version in enumerate(versions):
            # The same words as the first report need no diff (the template shows the text).
            version.diff = word_diff(base, version.text) if i and version.text != base else None
            # Only a dated article can be the first report: undated ones are ordered last.
            version.first_report = i == 0 and version.published is not None
        statement.speakers = {v.speaker for v in versions}
    return render(request, "core/compare.html", {"page": page, "speaker": speaker})
