"""The editorial admin for quotes: list, filters, the review queue, and actions that call services.

Every write goes through apps.quotes.review so history records the editor and the reason.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest, Substr
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from simple_history.admin import SimpleHistoryAdmin

from apps.core.paging import CappedPaginator
from apps.quotes import review
from apps.quotes.models import Quote, QuoteCount, Report, Statement, Topic
from apps.quotes.querysets import SEARCH_CONFIG
from apps.speakers.models import Speaker

CONTEXT_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?][\"”’')]*(?:\s+|$)|\n")


def with_context(quotes: list[Quote]) -> list[Quote]:
    """Give each quote of a page the article text just before and after it, cut in SQL for
    those rows only (one query): listings never read the articles' texts of every row."""
    low = Greatest(F("start") - CONTEXT_CHARS, Value(0))
    cut = (
        Quote.objects.filter(pk__in=[q.pk for q in quotes])
        .order_by()
        .values_list(
            "pk",
            Substr("article__text", low + 1, F("start") - low),
            Substr("article__text", F("end") + 1, CONTEXT_CHARS),
        )
    )
    around = {pk: (before, after) for pk, before, after in cut}
    for quote in quotes:
        quote.context_before, quote.context_after = around.get(quote.pk, ("", ""))
    return quotes


_WINDOW_SQL = """
SELECT id FROM (
    SELECT id, search_vector FROM quotes_quote ORDER BY id DESC LIMIT %s
) AS newest
WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)
LIMIT %s
"""


def newest_matches(q: str, limit: int) -> list[int]:
    """Ids of the newest ``limit`` quotes (any status) whose words match ``q``, newest first.

    Looked for first among the newest ``ADMIN_SEARCH_WINDOW`` quotes, read backwards along
    the primary key: a common word or phrase fills the list there at once, where the
    planner, which takes a phrase's words to be independent, would read all of its tens of
    thousands of matches from the table to sort them. Otherwise from the full-text index.
    Read once: the page and its count then look up these ids, not the index again.
    """
    with connection.cursor() as cursor:
        cursor.execute(_WINDOW_SQL, [ADMIN_SEARCH_WINDOW, SEARCH_CONFIG, q, limit])
        ids = sorted((pk for (pk,) in cursor.fetchall()), reverse=True)
    if len(ids) >= limit:
        return ids
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    return list(
        Quote.objects.filter(search_vector=query)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )


class QuoteChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        self.result_list = with_context(list(self.result_list))


def in_sentence(before: str, text: str, after: str):
    """The quote marked inside its sentence: text before back to the sentence start, and after."""
    ends = list(_SENTENCE_END.finditer(before))
    before = before[ends[-1].end() :] if ends else "…" + before.lstrip()
    end = _SENTENCE_END.search(after)
    after = after[: end.end()].rstrip() if end else after + "…"
    return format_html('<span class="qt-sentence">{}<mark>{}</mark>{}</span>', before, text, after)


def quote_in_sentence(quote: Quote):
    before = getattr(quote, "context_before", None)
    if before is None:
        article_text = quote.article.text
        before = article_text[max(0, quote.start - CONTEXT_CHARS) : quote.start]
        after = article_text[quote.end : quote.end + CONTEXT_CHARS]
    else:
        after = quote.context_after
    return in_sentence(before, quote.text, after)


def band_badge(confidence: float):
    band = review.confidence_band(confidence)
    return format_html(
        '<span class="qt-band qt-band-{}" title="confidence {}">{} {}</span>',
        band,
        f"{confidence:.2f}",
        band,
        f"{confidence:.2f}",
    )


class ConfidenceBandFilter(admin.SimpleListFilter):
    title = "confidence band"
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return [(key, label) for key, label, _low, _high in review.CONFIDENCE_BANDS]

    def queryset(self, request, queryset):
        for key, _label, low, high in review.CONFIDENCE_BANDS:
            if self.value() == key:
                return queryset.filter(confidence__gte=low, confidence__lt=high)
        return queryset


class TopicFilter(admin.SimpleListFilter):
    """By topic, as a semi-join: filtering on the many-to-many field itself would make the
    admin count DISTINCT over every quote of the topic (340,000 at a million quotes)."""

    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return list(Topic.objects.values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            on_topic = Quote.topics.through.objects.filter(quote_id=OuterRef("pk"), topic_id=value)
            return queryset.filter(Exists(on_topic))
        return queryset


class OutletFilter(admin.SimpleListFilter):
    """By outlet, from the copy of the article's outlet each quote keeps (no join); every
    outlet is offered, without first scanning the quotes for the outlets they use."""

    title = "outlet"
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        from apps.articles.models import Outlet

        return list(Outlet.objects.order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(article_outlet_id=value)
        return queryset


class SpeakerFilter(admin.SimpleListFilter):
    """By speaker: every speaker is offered, without scanning the quotes for those they use."""

    title = "speaker"
    parameter_name = "speaker"

    def lookups(self, request, model_admin):
        return list(Speaker.objects.order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(speaker_id=value)
        return queryset


class QuoteAdminPaginator(CappedPaginator):
    """The change list counts at most ``ADMIN_COUNT_CAP`` rows (then says so)."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True):
        super().__init__(
            object_list,
            per_page,
            cap=ADMIN_COUNT_CAP,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )


ADMIN_COUNT_CAP = 5_000
# A search lists its newest matches, at most this many (20 pages), looked for first among
# this many newest quotes (newest_matches()).
ADMIN_SEARCH_CAP = 1_000
ADMIN_SEARCH_WINDOW = 50_000


class SpeakerChoiceForm(forms.Form):
    """One speaker, picked with the admin's autocomplete (the assign action and the queue)."""

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        widget = AutocompleteSelect(
            Quote._meta.get_field("speaker"),
            admin_site,
            attrs={"data-placeholder": "Type a name…", "style": "width: 16em"},
        )
        self.fields["speaker"] = forms.ModelChoiceField(
            queryset=Speaker.objects.all(), label="Speaker", widget=widget
        )


class QuoteAdminForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["speaker", "kind", "status", "start", "end", "topics"]
        help_texts = {
            "start": "First character of the quote in the article (0-based).",
            "end": "One past its last character. The text is re-cut from the article on save.",
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and self.instance.pk:
            try:
                review.quote_span_validate(quote=self.instance, start=start, end=end)
            except ValidationError as error:
                self.add_error("end", error)
        return cleaned


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    form = QuoteAdminForm
    change_list_template = "admin/quotes/quote/change_list.html"
    list_display = [
        "quote_in_context",
        "speaker",
        "speaker_mention",
        "kind",
        "status",
        "confidence_band",
        "outlet",
    ]
    list_display_links = ["quote_in_context"]
    list_filter = ["status", "kind", ConfidenceBandFilter, SpeakerFilter, OutletFilter, TopicFilter]
    # Searched with the full-text index (get_search_results), not substring scans.
    search_fields = ["text", "speaker_mention", "cue"]
    search_help_text = (
        "Words of the quote, its speaker's mention or cue (web search syntax: "
        f'"exact phrase", -word, or); the newest {ADMIN_SEARCH_CAP:,} matches are listed. '
        "For a speaker's quotes, use the speaker filter."
    )
    paginator = QuoteAdminPaginator
    show_full_result_count = False
    autocomplete_fields = ["speaker", "topics"]
    list_select_related = ["speaker", "article__outlet"]
    list_per_page = 50
    actions = ["confirm_selected", "reject_selected", "assign_speaker"]
    readonly_fields = [
        "in_context",
        "text",
        "article_link",
        "speaker_mention",
        "cue",
        "confidence_band",
        "paragraph",
        "statement_link",
        "open_reports",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["in_context", "article_link", "open_reports"]}),
        ("Attribution", {"fields": ["speaker", "speaker_mention", "cue", "confidence_band"]}),
        ("Review", {"fields": ["status", "kind", "topics"]}),
        (
            "Span (the text is always the article's own characters)",
            {"fields": ["start", "end", "text", "paragraph"], "classes": ["collapse"]},
        ),
        ("Provenance", {"fields": ["statement_link", "created_at", "updated_at"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("speaker", "article__outlet")
        return queryset.defer("article__text")  # the page's rows get with_context()

    def get_changelist(self, request, **kwargs):
        return QuoteChangeList

    def get_search_results(self, request, queryset, search_term):
        """Words through the full-text index (the quote's text, the speaker's mention and the
        cue), never a substring scan over quotes and their articles: the newest
        ``ADMIN_SEARCH_CAP`` matches, found from the index alone before anything is joined.
        Quotes of one speaker are what the speaker filter is for."""
        search_term = search_term.strip()
        if not search_term:
            return queryset, False
        newest = newest_matches(search_term, ADMIN_SEARCH_CAP)
        return queryset.filter(pk__in=newest), False

    def get_ordering(self, request):
        if request.GET.get(SEARCH_VAR):
            return ["-pk"]  # the newest matches first, as get_search_results picks them
        return super().get_ordering(request)

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the paragraph around the quote: it needs the article's text.
        queryset = Quote.objects.select_related("speaker", "article__outlet", "statement")
        try:
            return queryset.get(pk=object_id)
        except (Quote.DoesNotExist, ValueError, ValidationError):
            return None

    def has_add_permission(self, request):
        return False  # Quotes come from ingestion only.

    def view_on_site(self, obj):
        try:
            return reverse("quote_detail", args=[obj.pk])
        except NoReverseMatch:
            return f"/quotes/{obj.pk}/"

    # Columns --------------------------------------------------------------------------------

    @admin.display(description="Quote in its sentence", ordering="text")
    def quote_in_context(self, obj):
        return quote_in_sentence(obj)

    @admin.display(description="Confidence", ordering="confidence")
    def confidence_band(self, obj):
        return band_badge(obj.confidence)

    @admin.display(description="Outlet", ordering="article__outlet__name")
    def outlet(self, obj):
        return obj.article.outlet or "—"

    @admin.display(description="In its article")
    def in_context(self, obj):
        return quote_in_sentence(obj)

    @admin.display(description="Article")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            url,
            obj.article.title,
            obj.article.outlet or "no outlet",
            obj.article.published or "undated",
        )

    @admin.display(description="Statement")
    def statement_link(self, obj):
        if obj.statement_id is None:
            return "—"
        url = reverse("admin:quotes_statement_change", args=[obj.statement_id])
        return format_html('<a href="{}">{}</a>', url, obj.statement)

    @admin.display(description="Open reports")
    def open_reports(self, obj):
        reports = obj.reports.filter(resolved=False)
        if not reports:
            return "none"
        return format_html_join(
            "",
            '<p class="qt-report">“{}”{}</p>',
            (
                (r.message, f" (suggests {r.suggested_speaker})" if r.suggested_speaker else "")
                for r in reports
            ),
        )

    # Writes go through the services ----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        edited = review.quote_edit(
            quote=obj,
            speaker=obj.speaker,
            kind=obj.kind,
            start=obj.start,
            end=obj.end,
            status=obj.status,
            user=request.user,
        )
        obj.text, obj.status = edited.text, edited.status

    @admin.action(description="Confirm the selected quotes", permissions=["change"])
    def confirm_selected(self, request, queryset):
        count = review.quotes_bulk_confirm(quotes=queryset, user=request.user)
        self.message_user(request, f"Confirmed {count} quote(s).", messages.SUCCESS)

    @admin.action(description="Reject the selected (not quotes)", permissions=["change"])
    def reject_selected(self, request, queryset):
        count = review.quotes_bulk_reject(quotes=queryset, user=request.user)
        self.message_user(request, f"Rejected {count} quote(s).", messages.SUCCESS)

    @admin.action(description="Assign the selected quotes to a speaker…", permissions=["change"])
    def assign_speaker(self, request, queryset):
        form = SpeakerChoiceForm(
            request.POST if "apply" in request.POST else None, admin_site=self.admin_site
        )
        if form.is_valid():
            speaker = form.cleaned_data["speaker"]
            count = review.quotes_bulk_reassign(quotes=queryset, speaker=speaker, user=request.user)
            self.message_user(request, f"Assigned {count} quote(s) to {speaker}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign quotes to a speaker",
            "opts": self.model._meta,
            "form": form,
            "quotes": queryset.select_related("speaker"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/quotes/quote/assign_speaker.html", context)

    # The review queue ----------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_queue_view), name="quotes_quote_review"),
            path("<int:pk>/decide/", view(self.decide_view), name="quotes_quote_decide"),
            path(
                "review/reports/<int:pk>/resolve/",
                view(self.resolve_report_view),
                name="quotes_report_resolve",
            ),
            *super().get_urls(),
        ]

    def review_queue(self):
        """Machine attributions, least confident first; reviewed quotes whose words the article
        changed (``needs_another_look``) head the queue (index ``quote_review_queue``)."""
        # Open reports are counted for the page's rows only (a subquery per row shown), and
        # the article's text is cut around each of them: never read for the whole queue.
        open_reports = (
            Report.objects.filter(quote=OuterRef("pk"), resolved=False)
            .order_by()
            .values("quote")
            .annotate(n=Count("*"))
            .values("n")
        )
        queryset = (
            Quote.objects.filter(Q(status=Quote.Status.MACHINE) | Q(needs_another_look=True))
            .select_related("speaker", "article__outlet")
            .defer("article__text")
            .annotate(open_reports=Subquery(open_reports))
            .order_by("-needs_another_look", "confidence", "id")
        )
        return queryset

    @staticmethod
    def _queue_url(request) -> str:
        url = reverse("admin:quotes_quote_review")
        page = request.POST.get("page") or request.GET.get("page")
        return f"{url}?page={int(page)}" if page and page.isdigit() else url

    def review_queue_view(self, request):
        return require_GET(self._review_queue_view)(request)

    def _review_queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        # Counted up to RESULT_CAP rows; the whole queue's size comes from QuoteCount.
        page = CappedPaginator(self.review_queue(), 25).get_page(request.GET.get("page"))
        page.object_list = with_context(list(page.object_list))
        can_change = self.has_change_permission(request)
        for quote in page:
            quote.sentence = quote_in_sentence(quote)
            quote.badge = band_badge(quote.confidence)
        rows = [
            (
                quote,
                SpeakerChoiceForm(prefix=f"q{quote.pk}", admin_site=self.admin_site)
                if can_change
                else None,
            )
            for quote in page
        ]
        reports = (
            Report.objects.filter(resolved=False)
            .select_related("quote__speaker", "quote__article__outlet")
            .defer("quote__article__text")
        )
        media = self.media + SpeakerChoiceForm(admin_site=self.admin_site).media
        context = {
            **self.admin_site.each_context(request),
            "title": "Review queue",
            "subtitle": "Machine attributions, least confident first",
            "opts": self.model._meta,
            "page": page,
            "queue_count": QuoteCount.objects.total("machine"),
            "rows": rows,
            "reports": reports[:50],
            "report_count": reports.count(),
            "can_change": can_change,
            "media": media,
        }
        return TemplateResponse(request, "admin/quotes/quote/review_queue.html", context)

    def decide_view(self, request, pk):
        return require_POST(self._decide_view)(request, pk)

    def _decide_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        quote = Quote.objects.filter(pk=pk).first()
        if quote is None:
            self.message_user(request, "That quote no longer exists.", messages.WARNING)
            return HttpResponseRedirect(self._queue_url(request))
        decision = request.POST.get("decision")
        label = f"“{quote.text[:60]}”"
        if decision == "confirm":
            review.quote_confirm(quote=quote, user=request.user)
            self.message_user(request, f"Confirmed {label}.", messages.SUCCESS)
        elif decision == "reject":
            review.quote_reject(quote=quote, user=request.user)
            self.message_user(request, f"Rejected {label}.", messages.SUCCESS)
        elif decision == "correct":
            form = SpeakerChoiceForm(request.POST, prefix=f"q{pk}", admin_site=self.admin_site)
            if not form.is_valid():
                self.message_user(request, "Pick a speaker to correct to.", messages.ERROR)
                return HttpResponseRedirect(self._queue_url(request))
            speaker = form.cleaned_data["speaker"]
            review.quote_reassign(quote=quote, speaker=speaker, user=request.user)
            self.message_user(request, f"Attributed {label} to {speaker}.", messages.SUCCESS)
        else:
            self.message_user(request, "Unknown decision.", messages.ERROR)
        next_url = request.POST.get("next")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(self._queue_url(request))

    def resolve_report_view(self, request, pk):
        return require_POST(self._resolve_report_view)(request, pk)

    def _resolve_report_view(self, request, pk):
        if not self.admin_site._registry[Report].has_change_permission(request):
            raise PermissionDenied
        count = review.reports_resolve(reports=Report.objects.filter(pk=pk))
        if count:
            self.message_user(request, "Report marked as resolved.", messages.SUCCESS)
        return HttpResponseRedirect(self._queue_url(request))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "queue_count": QuoteCount.objects.total("machine"),
            "open_report_count": Report.objects.filter(resolved=False).count(),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "keyword_list", "quote_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "keywords"]
    ordering = ["name"]

    def get_queryset(self, request):
        # Public quotes, as counted by the triggers (QuoteCount), not a count per request.
        return (
            super().get_queryset(request).annotate(quote_count=QuoteCount.objects.subquery("topic"))
        )

    @admin.display(description="Keywords")
    def keyword_list(self, obj):
        return ", ".join(obj.keywords)

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


class StatementQuoteInline(admin.TabularInline):
    model = Quote
    fields = ["text", "speaker", "article", "status", "confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "article__outlet")


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text_excerpt", "speaker", "has_conflict", "quote_count", "updated_at"]
    list_filter = ["has_conflict", ("speaker", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "speaker__name"]
    list_select_related = ["speaker"]
    readonly_fields = ["text", "speaker", "has_conflict", "created_at", "updated_at"]
    inlines = [StatementQuoteInline]
    ordering = ["-updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes"))

    def has_add_permission(self, request):
        return False  # Statements are grouped by ingestion.

    @admin.display(description="Statement", ordering="text")
    def text_excerpt(self, obj):
        return obj.text if len(obj.text) <= 120 else obj.text[:119] + "…"

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["message", "quote_link", "suggested_speaker", "created_at", "resolved"]
    list_filter = ["resolved", "created_at"]
    search_fields = ["message", "suggested_speaker", "quote__text"]
    list_select_related = ["quote"]
    readonly_fields = ["quote_link", "message", "suggested_speaker", "created_at"]
    fields = ["quote_link", "message", "suggested_speaker", "created_at", "resolved"]
    actions = ["resolve_selected"]

    def has_add_permission(self, request):
        return False  # Readers file reports from the public quote page.

    @admin.display(description="Quote")
    def quote_link(self, obj):
        url = reverse("admin:quotes_quote_change", args=[obj.quote_id])
        return format_html('<a href="{}">{}</a>', url, obj.quote)

    @admin.action(description="Mark the selected reports as resolved", permissions=["change"])
    def resolve_selected(self, request, queryset):
        count = review.reports_resolve(reports=queryset)
        self.message_user(request, f"Resolved {count} report(s).", messages.SUCCESS)
