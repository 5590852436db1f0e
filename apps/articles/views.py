from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.articles.forms import IngestForm
from apps.articles.models import Article, Upload
from apps.articles.sources import SUFFIXES
from apps.quotes.rendering import marked_paragraphs


@require_GET
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
@require_GET
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
