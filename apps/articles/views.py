from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_safe

from apps.articles.forms import IngestForm
from apps.articles.models import Article
from apps.articles.services import article_ingest
from apps.articles.sources import SUFFIXES, items_from_bytes
from apps.quotes.rendering import marked_paragraphs


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
    """Staff paste an article or upload a file; the same rules as ``manage.py ingest``."""
    form = IngestForm(request.POST or None, request.FILES or None)
    results = []
    if request.method == "POST" and form.is_valid():
        results = _ingest_submission(form.cleaned_data)
    return render(request, "articles/ingest.html", {"form": form, "results": results})


def _ingest_submission(data: dict) -> list[dict]:
    upload = data.get("file")
    if upload is not None:
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUFFIXES:
            return [
                {"label": upload.name, "error": f"unsupported file type {suffix or '(none)'!r}"}
            ]
        limit = settings.INGEST_MAX_BYTES
        if upload.size > limit:
            error = f"too large: {upload.size:,} bytes (the limit is {limit:,})"
            return [{"label": upload.name, "error": error}]
        items = items_from_bytes(upload.read(), label=upload.name, kind=suffix)
    else:
        text = data["text"].replace("\r\n", "\n")
        meta = {"title": data.get("title"), "url": data.get("url"), "outlet": data.get("outlet")}
        items = items_from_bytes(text.encode("utf-8"), label="pasted text", kind=".txt", meta=meta)
    results = []
    for item in items:
        if item.error:
            results.append({"label": item.label, "error": item.error})
            continue
        if upload is None:
            item.article.url = data.get("url") or ""
            item.article.outlet = data.get("outlet") or ""
        try:
            result = article_ingest(**item.article.as_kwargs())
        except Exception as exc:
            results.append({"label": item.label, "error": f"{type(exc).__name__}: {exc}"})
        else:
            results.append(
                {
                    "label": item.label,
                    "outcome": result.outcome,
                    "article": result.article,
                    "quotes": result.article.quotes.count(),
                }
            )
    return results
