import csv
import json
import logging
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from apps.core import ratelimit
from apps.core.paging import RESULT_CAP, paginate
from apps.core.views import with_snippets
from apps.quotes.forms import QuoteFilterForm, ReportForm
from apps.quotes.models import Quote, Topic
from apps.quotes.querysets import SEARCH_CANDIDATES, RankedQuotes, listed_q
from apps.quotes.rendering import marked_paragraphs, paragraph_around, word_diff
from apps.quotes.services import topic_relevance
from apps.speakers.models import Speaker

logger = logging.getLogger(__name__)

# Reports a single IP address may send per hour.
REPORTS_PER_HOUR = 5
EXPORT_CHUNK = 2000
# Topic page: speakers per page, and the claims shown for each.
SPEAKERS_PER_PAGE = 10
QUOTES_PER_SPEAKER = 3
# Counts over every quote (per topic) are read from the cache for this long.
COUNTS_CACHE_SECONDS = 300


def _quote_or_404(pk):
    return get_object_or_404(
        Quote.objects.public().select_related("speaker", "article__outlet", "statement"), pk=pk
    )


def quotation_json_ld(request, quote) -> str:
    """schema.org Quotation, escaped for a <script> element."""
    article = quote.article
    data = {
        "@context": "https://schema.org",
        "@type": "Quotation",
        "@id": request.build_absolute_uri(reverse("quote_detail", args=[quote.pk])),
        "text": quote.text,
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": article.title,
            **({"url": article.url} if article.url else {}),
            **({"datePublished": article.published.isoformat()} if article.published else {}),
            **(
                {"publisher": {"@type": "Organization", "name": article.outlet.name}}
                if article.outlet
                else {}
            ),
        },
    }
    if quote.speaker:
        data["creator"] = {
            "@type": "Person" if quote.speaker.kind == "person" else "Organization",
            "name": quote.speaker.name,
            **({"jobTitle": quote.speaker.role} if quote.speaker.role else {}),
        }
    text = json.dumps(data, ensure_ascii=False)
    # The same escapes as django.utils.html.json_script: nothing can close the <script>.
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def _quote_context(request, quote, form=None):
    article = quote.article
    p_start, p_end = paragraph_around(article.text, quote.start, quote.end)
    others = []
    if quote.statement_id:
        others = list(
            quote.statement.quotes.public()
            .exclude(pk=quote.pk)
            .select_related("speaker", "article__outlet")
            .order_by("article__published", "article_id")
        )
        for other in others:
            other.diff = word_diff(quote.text, other.text)
    return {
        "quote": quote,
        "context_html": marked_paragraphs(article.text, [quote], p_start, p_end),
        "topics": list(quote.topics.all()),
        "others": others,
        "json_ld": quotation_json_ld(request, quote),
        "report_form": form or ReportForm(),
        "part_of": quote.part_of
        if quote.part_of_id and quote.part_of.status != Quote.Status.REJECTED
        else None,
    }


@require_safe
def quote_detail(request, pk):
    """A quote's page; an editor-rejected one answers 410 Gone, saying so."""
    quote = get_object_or_404(
        Quote.objects.select_related("speaker", "article__outlet", "statement", "part_of"), pk=pk
    )
    if quote.status == Quote.Status.REJECTED:
        return render(request, "quotes/quote_rejected.html", {"quote": quote}, status=410)
    return render(request, "quotes/quote_detail.html", _quote_context(request, quote))


@require_POST
def quote_report(request, pk):
    """A reader reports a wrong attribution: no account, rate-limited per IP address."""
    quote = _quote_or_404(pk)
    form = ReportForm(request.POST)
    # Counted in the database (every worker shares it), per client as the proxy reports it;
    # only reports that are sent count.
    key = f"quote-report:{ratelimit.client_ip(request)}"

    def refused():
        context = _quote_context(request, quote, form)
        context["report_refused"] = True
        template = "quotes/quote_detail.html" + ("#report" if request.htmx else "")
        return render(request, template, context, status=429)

    if ratelimit.count(key, period=3600) >= REPORTS_PER_HOUR:
        return refused()
    if not form.is_valid():
        template = "quotes/quote_detail.html" + ("#report" if request.htmx else "")
        return render(request, template, _quote_context(request, quote, form), status=400)
    if ratelimit.record(key, period=3600) > REPORTS_PER_HOUR:  # atomic: no race past it
        return refused()
    if not form.cleaned_data.get("website"):  # bots fill in the hidden field; drop silently
        report = form.save(commit=False)
        report.quote = quote
        report.save()
    if request.htmx:
        context = _quote_context(request, quote)
        context["report_thanks"] = True
        return render(request, "quotes/quote_detail.html#report", context)
    messages.success(request, "Thank you: an editor will look at this attribution.")
    return redirect(reverse("quote_detail", args=[quote.pk]) + "#report")


@dataclass
class SpeakerGroup:
    """One speaker's claims on a topic page: how many, and the first few to show."""

    speaker_id: int | None
    ids: list[int] = field(default_factory=list)
    quotes: list = field(default_factory=list)
    more_query: str = ""

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def speaker(self):
        return self.quotes[0].speaker if self.quotes else None


def group_by_speaker(results, topic: Topic | None = None) -> tuple[list[SpeakerGroup], int]:
    """The newest (or best, for a search) ``SEARCH_CANDIDATES`` results grouped by speaker,
    most quoted first; and how many results were grouped. With ``topic`` (and no search), each
    speaker's claims that name the topic most in their own words come first, newest first
    among equals."""
    if isinstance(results, RankedQuotes):
        speakers = dict(
            Quote.objects.filter(pk__in=results.ids).order_by().values_list("pk", "speaker_id")
        )
        pairs = [(pk, speakers.get(pk)) for pk in results.ids]
    elif topic is not None:
        rows = list(results.values_list("pk", "speaker_id", "text")[:SEARCH_CANDIDATES])
        relevance = topic_relevance(topic, {pk: text for pk, _, text in rows})
        pairs = [(pk, speaker_id) for pk, speaker_id, _ in rows]
        pairs.sort(key=lambda pair: -relevance[pair[0]])  # stable: newest first among equals
    else:
        pairs = list(results.values_list("pk", "speaker_id")[:SEARCH_CANDIDATES])
    groups: dict[int | None, SpeakerGroup] = {}
    for pk, speaker_id in pairs:
        groups.setdefault(speaker_id, SpeakerGroup(speaker_id)).ids.append(pk)
    # Most claims first; then whoever has the newest (or best) claim. Unknown speakers last.
    ordered = sorted(groups.values(), key=lambda g: (g.speaker_id is None, -g.count))
    return ordered, len(pairs)


@require_safe
def topic_list(request):
    """Every topic with how many claims it has (as its page counts them)."""
    counts = cache.get_or_set("topic-quote-counts", _topic_quote_counts, COUNTS_CACHE_SECONDS)
    topics = list(Topic.objects.order_by("name"))
    for topic in topics:
        topic.n_quotes = counts.get(topic.pk, 0)
    return render(request, "quotes/topic_list.html", {"topics": topics})


def _topic_quote_counts() -> dict[int, int]:
    return dict(
        Topic.objects.annotate(n=Count("quotes", filter=listed_q("quotes__")))
        .values_list("pk", "n")
        .order_by()
    )


@require_safe
def topic_detail(request, slug):
    """The claims on a topic grouped by speaker, most quoted first, with the search filters.

    Built from the newest ``SEARCH_CANDIDATES`` claims matching the filters (the best ones
    when there are words): counting every claim of a big topic costs seconds.
    """
    topic = get_object_or_404(Topic, slug=slug)
    form = QuoteFilterForm(request.GET, exclude=["topic"])
    filters = form.filters
    on_topic = Quote.objects.public().by_topic(topic).listed()
    results, correction = on_topic.find_with_fallback(filters, ranked_limit=SEARCH_CANDIDATES)
    groups, n_claims = group_by_speaker(results, topic)
    page = paginate(request, groups, per_page=SPEAKERS_PER_PAGE)
    shown = {pk: group for group in page for pk in group.ids[:QUOTES_PER_SPEAKER]}
    if isinstance(results, RankedQuotes):
        rows = results.for_listing().rows(list(shown))
    else:
        rows = list(results.filter(pk__in=list(shown)).for_listing())
    for quote in rows:
        shown[quote.pk].quotes.append(quote)
    for group in page:  # in the order of the group's ids (most relevant, or best, first)
        order = {pk: i for i, pk in enumerate(group.ids)}
        group.quotes.sort(key=lambda quote: order[quote.pk])
    with_snippets(rows, filters.get("q", ""), correction)
    params = request.GET.copy()
    params["topic"] = topic.slug
    params.pop("page", None)
    for group in page:
        if group.speaker:
            more = params.copy()
            more["speaker"] = group.speaker.slug
            group.more_query = more.urlencode()
    capped = n_claims > RESULT_CAP
    context = {
        "topic": topic,
        "form": form,
        "q": filters.get("q", ""),
        "page": page,
        "correction": correction,
        "n_claims": RESULT_CAP if capped else n_claims,
        "claims_capped": capped,
        "export_query": params.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "quotes/topic_detail.html#results", context)
    top = [g.speaker_id for g in groups[:10] if g.speaker_id is not None]
    names = Speaker.objects.in_bulk(top)
    context["top_speakers"] = [(names[pk], groups[i].count) for i, pk in enumerate(top)]
    return render(request, "quotes/topic_detail.html", context)


# Export ---------------------------------------------------------------------------------------

EXPORT_FIELDS = [
    "id",
    "text",
    "kind",
    "speaker_name",
    "speaker_slug",
    "speaker_mention",
    "cue",
    "confidence",
    "status",
    "topics",
    "statement_id",
    "article_id",
    "title",
    "outlet",
    "url",
    "published",
    "start",
    "end",
    "part_of",  # the id of the claim this quote stands inside, if any
]


def export_rows(params):
    """Every quote matching the filters, newest first, as dicts.

    Read through a server-side cursor inside a transaction (a plain ``DECLARE``, not ``WITH
    HOLD``, which makes PostgreSQL write the whole result to a temporary file before the
    first row), ``EXPORT_CHUNK`` rows at a time: the first row comes at once and the web
    process holds one chunk whatever the size of the export. A search is exported newest
    first too: ranking every match would have to read them all before the first row.
    """
    form = QuoteFilterForm(params)
    filters = form.filters
    results, _ = Quote.objects.public().find_with_fallback(filters)
    topic_slugs = ArraySubquery(
        Quote.topics.through.objects.filter(quote_id=OuterRef("pk"))
        .order_by("topic__slug")
        .values("topic__slug")
    )
    rows = (
        results.newest_first()
        .annotate(topic_slugs=topic_slugs)
        .values_list(
            "id",
            "text",
            "kind",
            "speaker__name",
            "speaker__slug",
            "speaker_mention",
            "cue",
            "confidence",
            "status",
            "topic_slugs",
            "statement_id",
            "article_id",
            "article__title",
            "article__outlet__name",
            "article__url",
            "article__published",
            "start",
            "end",
            "part_of_id",
        )
    )
    with transaction.atomic():
        chunks = rows.iterator(chunk_size=EXPORT_CHUNK)
        try:
            for row in chunks:
                record = dict(zip(EXPORT_FIELDS, row, strict=True))
                record["topics"] = record["topics"] or []
                if record["published"]:
                    record["published"] = record["published"].isoformat()
                yield record
        finally:
            # A client that leaves stops the stream here: close the cursor while its
            # transaction is still open (closed after, it would no longer exist).
            chunks.close()


EXPORT_FAILED = "The export stopped before its end; this file is incomplete."


def _or_fail(chunks, error_chunk):
    """Pass ``chunks`` on; if producing them fails, send ``error_chunk(message)`` and raise
    again, so the server breaks off the response (no final chunk: the client's download
    fails) rather than end a truncated file as if it were whole."""
    try:
        yield from chunks
    except Exception:
        logger.exception("export failed")
        yield error_chunk(EXPORT_FAILED)
        raise


class _Echo:
    def write(self, value):
        return value


# A cell a spreadsheet would read as a formula (OWASP, CSV injection): such characters first.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell, a would-be formula defused with a leading apostrophe (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_lines(params, *, bom: bool = False):
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"  # for spreadsheets that guess the encoding
    yield writer.writerow(EXPORT_FIELDS)
    for record in export_rows(params):
        record["topics"] = " ".join(record["topics"])
        yield writer.writerow([csv_cell(record[f]) for f in EXPORT_FIELDS])


def _json_chunks(params):
    yield "["
    first = True
    for record in export_rows(params):
        yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


@require_safe
def export_csv(request):
    """CSV in UTF-8; ``?bom=1`` starts it with a byte order mark for spreadsheet programs.
    A failure mid-way ends the file with a line saying so and breaks off the download."""
    writer = csv.writer(_Echo())
    lines = _or_fail(
        _csv_lines(request.GET, bom=request.GET.get("bom") == "1"),
        lambda message: writer.writerow([f"# ERROR: {message}"]),
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quotes.csv"'
    return response


@require_safe
def export_json(request):
    """A JSON array; a failure mid-way appends ``{"error": ...}`` and leaves the array
    unclosed (the document does not parse) and breaks off the download."""
    chunks = _or_fail(
        _json_chunks(request.GET),
        lambda message: ",\n" + json.dumps({"error": message}) + "\n",
    )
    response = StreamingHttpResponse(chunks, content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="quotes.json"'
    return response
