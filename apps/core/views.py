from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.articles.models import Outlet
from apps.core.paging import paginate
from apps.quotes.forms import QuoteFilterForm
from apps.quotes.models import Quote, QuoteCount, Statement, Topic
from apps.quotes.querysets import SEARCH_CANDIDATES, SEARCH_WINDOW, highlight
from apps.quotes.rendering import fuzzy_highlight, word_diff
from apps.speakers.models import Speaker

TOP_SPEAKERS = 8


@require_GET
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
        "latest": Quote.objects.public().for_listing().newest_first()[:6],
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


@require_GET
def search(request):
    form = QuoteFilterForm(request.GET)
    filters = form.filters
    results, correction = Quote.objects.public().find_with_fallback(
        filters, ranked_limit=SEARCH_CANDIDATES, window=SEARCH_WINDOW
    )
    page = paginate(request, results.for_listing())
    with_snippets(page, filters.get("q", ""), correction)
    context = {
        "form": form,
        "q": filters.get("q", ""),
        "page": page,
        "correction": correction,
        "export_query": request.GET.urlencode(),
    }
    template = "core/search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@require_GET
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
            .order_by("published", "article_id", "start"),
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
        statement.speakers = {v.speaker for v in versions}
    return render(request, "core/compare.html", {"page": page, "speaker": speaker})
