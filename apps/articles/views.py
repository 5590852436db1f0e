from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.db.models import Count, F, Max, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.articles.forms import ArticleFilterForm, IngestForm
from apps.articles.models import Article, Outlet, Upload
from apps.articles.sources import SUFFIXES
from apps.core.paging import paginate
from apps.core.views import with_snippets
from apps.quotes.forms import QuoteFilterForm
from apps.quotes.models import Quote
from apps.quotes.querysets import SEARCH_CANDIDATES
from apps.quotes.rendering import marked_paragraphs, word_diff
from apps.speakers.models import Speaker


@require_safe
def article_detail(request, pk):
    """The article's text with every quote marked in place, and the list of its quotes."""
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    quotes = list(
        article.quotes.public()
        .select_related("speaker")
        .prefetch_related("topics")
        .order_by("start", "-end")
    )
    context = {
        "article": article,
        "quotes": quotes,
        "body": marked_paragraphs(article.text, quotes),
    }
    return render(request, "articles/article_detail.html", context)


@staff_member_required
@permission_required("articles.add_article", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ingest(request):
    """Staff paste an article or upload a file; a worker ingests it with the same rules as
    ``manage.py ingest``, and the status page follows the job."""
    form = IngestForm(request.POST or None, request.FILES or None)
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload, refused = _upload_of(form.cleaned_data, user=request.user)
        if upload is not None:
            from apps.articles.tasks import ingest_upload

            ingest_upload.defer(upload_id=upload.pk)
            return redirect("ingest_status", pk=upload.pk)
    return render(request, "articles/ingest.html", {"form": form, "refused": refused})


def _upload_of(data: dict, *, user) -> tuple[Upload | None, str]:
    """The submission saved for the job, or why it is refused at once."""
    meta = {
        "title": data.get("title") or "",
        "url": data.get("url") or "",
        "outlet": data.get("outlet") or "",
        "published": data["published"].isoformat() if data.get("published") else "",
    }
    upload = data.get("file")
    if upload is not None:
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUFFIXES:
            return None, f"{upload.name}: unsupported file type {suffix or '(none)'!r}"
        limit = settings.INGEST_MAX_BYTES
        if upload.size > limit:
            return None, f"{upload.name}: too large: {upload.size:,} bytes (the limit is {limit:,})"
        label, kind, content = upload.name[:300], suffix, upload.read()
    else:
        label, kind = "pasted text", ".txt"
        content = data["text"].replace("\r\n", "\n").encode("utf-8")
    saved = Upload.objects.create(user=user, label=label, kind=kind, data=content, meta=meta)
    return saved, ""


@staff_member_required
@permission_required("articles.add_article", raise_exception=True)
@require_safe
def ingest_status(request, pk):
    """Where the job stands; htmx polls the status region until it is done, and without
    JavaScript the page refreshes itself."""
    upload = get_object_or_404(Upload.objects.defer("data"), pk=pk)
    results = list(upload.results or [])
    context = {"upload": upload, "results": results, "pending": upload.status == "queued"}
    template = "articles/ingest_status.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


ARTICLES_PER_PAGE = 30
# Counts over every quote (per outlet, per topic) are read from the cache for this long.
COUNTS_CACHE_SECONDS = 300


@require_safe
def article_list(request):
    """Every article, newest first (undated ones last), filtered by title words, outlet, dates."""
    form = ArticleFilterForm(request.GET)
    filters = form.filters
    articles = Article.objects.select_related("outlet").defer("text")
    if filters.get("q"):
        articles = articles.filter(title__icontains=filters["q"])
    if filters.get("outlet"):
        articles = articles.filter(outlet=filters["outlet"])
    if filters.get("date_from"):
        articles = articles.filter(published__gte=filters["date_from"])
    if filters.get("date_to"):
        articles = articles.filter(published__lte=filters["date_to"])
    if filters.get("dated") == "yes":
        articles = articles.exclude(published=None)
    elif filters.get("dated") == "no":
        articles = articles.filter(published=None)
    articles = articles.order_by(F("published").desc(nulls_last=True), "-ingested_at", "-pk")
    page = paginate(request, articles, per_page=ARTICLES_PER_PAGE)
    counts = dict(  # the page's articles only: counting every article's quotes costs seconds
        Quote.objects.public()
        .listed()
        .filter(article_id__in=[a.pk for a in page])
        .values_list("article_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for article in page:
        article.n_quotes = counts.get(article.pk, 0)
    return render(
        request, "articles/article_list.html", {"form": form, "page": page, "filters": filters}
    )


@require_safe
def outlet_list(request):
    outlets = Outlet.objects.annotate(
        n_articles=Count("articles", distinct=True),
        first=Min("articles__published"),
        last=Max("articles__published"),
    ).order_by("-n_articles", "name")
    quotes = cache.get_or_set("outlet-quote-counts", _outlet_quote_counts, COUNTS_CACHE_SECONDS)
    for outlet in outlets:
        outlet.n_quotes = quotes.get(outlet.pk, 0)
    return render(request, "articles/outlet_list.html", {"outlets": outlets})


def _outlet_quote_counts() -> dict[int, int]:
    return dict(
        Quote.objects.public()
        .listed()
        .exclude(article_outlet=None)
        .values_list("article_outlet")
        .annotate(n=Count("id"))
        .order_by()
    )


# An outlet page shows this many speakers it quoted most, and versions that differ.
OUTLET_TOP_SPEAKERS = 10
OUTLET_DIFFERENCES = 10


@require_safe
def outlet_detail(request, pk):
    """What an outlet quoted, from whom, and how its wording differs from other outlets'."""
    outlet = get_object_or_404(Outlet, pk=pk)
    own = Quote.objects.public().listed().by_outlet(outlet)
    form = QuoteFilterForm(request.GET, exclude=["outlet"])
    filters = form.filters
    results, correction = own.find_with_fallback(filters, ranked_limit=SEARCH_CANDIDATES)
    page = paginate(request, results.for_listing())
    with_snippets(page, filters.get("q", ""), correction)
    params = request.GET.copy()
    params["outlet"] = outlet.pk
    params.pop("page", None)
    context = {
        "outlet": outlet,
        "form": form,
        "q": filters.get("q", ""),
        "page": page,
        "correction": correction,
        "export_query": params.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "articles/outlet_detail.html#results", context)
    top = list(
        own.exclude(speaker=None)
        .values("speaker")
        .annotate(n=Count("id"))
        .order_by("-n", "speaker")[:OUTLET_TOP_SPEAKERS]
    )
    names = Speaker.objects.in_bulk([row["speaker"] for row in top])
    context.update(
        n_articles=outlet.articles.count(),
        undated=outlet.articles.filter(published=None).count(),
        top_speakers=[(names[row["speaker"]], row["n"]) for row in top],
        differences=_wording_differences(outlet),
    )
    return render(request, "articles/outlet_detail.html", context)


def _wording_differences(outlet) -> list:
    """This outlet's versions of statements other outlets reported too, each with the words
    it adds or drops compared with another outlet's version (the earliest dated one)."""
    mine = list(
        Quote.objects.public()
        .by_outlet(outlet)
        .exclude(statement=None)
        .select_related("speaker", "article")
        .defer("article__text")
        .order_by("-statement__updated_at", "statement_id", "start")[: OUTLET_DIFFERENCES * 3]
    )
    others: dict[int, Quote] = {}
    for other in (
        Quote.objects.public()
        .filter(statement_id__in={q.statement_id for q in mine})
        .exclude(article_outlet=outlet)
        .exclude(article_outlet=None)
        .select_related("article__outlet")
        .defer("article__text")
        .order_by(F("published").asc(nulls_last=True), "article_id", "start")
    ):
        others.setdefault(other.statement_id, other)
    differences, seen = [], set()
    for quote in mine:
        other = others.get(quote.statement_id)
        if other is None or quote.statement_id in seen or other.text == quote.text:
            continue
        seen.add(quote.statement_id)
        quote.other = other
        quote.diff = word_diff(other.text, quote.text)
        differences.append(quote)
        if len(differences) == OUTLET_DIFFERENCES:
            break
    return differences
