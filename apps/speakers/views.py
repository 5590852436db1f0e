from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from apps.core.paging import paginate
from apps.core.views import with_snippets
from apps.quotes.forms import QuoteFilterForm
from apps.quotes.models import Quote, QuoteCount, Statement, Topic
from apps.quotes.querysets import SEARCH_CANDIDATES
from apps.quotes.rendering import timeline_svg
from apps.speakers.models import Speaker, SpeakerAlias, SpeakerRedirect


@require_safe
def speaker_list(request):
    name = request.GET.get("name", "").strip()[:100]
    # Counts kept by triggers (QuoteCount), not counted over every quote per request.
    speakers = Speaker.objects.annotate(n_quotes=QuoteCount.objects.subquery("speaker")).order_by(
        "-n_quotes", "name"
    )
    if name:
        speakers = speakers.filter(
            Q(name__icontains=name)
            | Exists(SpeakerAlias.objects.filter(speaker=OuterRef("pk"), name__icontains=name))
        )
    page = paginate(request, speakers, per_page=100)
    template = "speakers/speaker_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#list"
    return render(request, template, {"page": page, "name": name})


@require_safe
def speaker_detail(request, slug):
    speaker = Speaker.objects.prefetch_related("aliases").filter(slug=slug).first()
    if speaker is None:  # merged into another, or renamed: its old address redirects
        moved = SpeakerRedirect.objects.select_related("speaker").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No such speaker.")
        target = reverse("speaker_detail", args=[moved.speaker.slug])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    form = QuoteFilterForm(request.GET, exclude=["speaker"])
    filters = form.filters
    own = Quote.objects.public().by_speaker(speaker).listed()
    results, correction = own.find_with_fallback(filters, ranked_limit=SEARCH_CANDIDATES)
    page = paginate(request, results.for_listing())
    with_snippets(page, filters.get("q", ""), correction)
    context = {
        "speaker": speaker,
        "form": form,
        "q": filters.get("q", ""),
        "page": page,
        "correction": correction,
        "export_query": _with_param(request.GET, "speaker", speaker.slug),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "speakers/speaker_detail.html#results", context)
    months = list(  # undated quotes come as the month None: counted apart, and said so
        own.annotate(month=TruncMonth("published"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    context.update(
        timeline=timeline_svg([(row["month"], row["n"]) for row in months if row["month"]]),
        undated=sum(row["n"] for row in months if row["month"] is None),
        top_topics=top_topics(speaker),
        # From the speaker's own quotes linked to a statement (index quote_speaker_statement),
        # not by testing every statement reported by several articles for the speaker.
        statements=Statement.objects.filter(
            pk__in=Quote.objects.filter(speaker=speaker, statement__isnull=False).values(
                "statement"
            )
        ).reported_by_several()[:10],
    )
    return render(request, "speakers/speaker_detail.html", context)


def top_topics(speaker: Speaker, n: int = 8):
    """The topics the speaker's public quotes are most on, counted by triggers (QuoteCount)."""
    counts = (
        QuoteCount.objects.filter(scope="spk_topic", key=speaker.pk, key2=OuterRef("pk"))
        .order_by()
        .values("key2")
        .annotate(total=Sum("n"))
        .values("total")
    )
    return (
        Topic.objects.annotate(n_quotes=Subquery(counts))
        .filter(n_quotes__gt=0)
        .order_by("-n_quotes", "name")[:n]
    )


def _with_param(query_dict, key, value) -> str:
    params = query_dict.copy()
    params[key] = value
    params.pop("page", None)
    return params.urlencode()
