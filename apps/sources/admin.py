"""Staff add, pause and poll sources here, and see each source's recent fetches, jobs and
errors."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from procrastinate.contrib.django.models import ProcrastinateJob

from apps.sources import fetcher
from apps.sources.models import Fetch, Source
from apps.sources.pages import PageError
from apps.sources.services import detect_kind
from apps.sources.tasks import poll_source_defer

RECENT = 20


class SourceForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=2000, assume_scheme="https")
    kind = forms.ChoiceField(
        choices=[("", "Detect from what the URL serves"), *Source.Kind.choices],
        required=False,
    )

    class Meta:
        model = Source
        fields = ["url", "kind", "outlet", "every", "active"]

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("kind"):
            try:
                response = fetcher.fetch(data["url"], accept=fetcher.ANY_TEXT)
                data["kind"] = detect_kind(response)
            except (fetcher.FetchError, PageError) as exc:
                raise forms.ValidationError(
                    f"Cannot tell what {data['url']} is: {exc}. Choose its kind, or fix the URL."
                ) from None
        return data


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = [
        "url",
        "kind",
        "outlet",
        "every",
        "active",
        "last_polled_at",
        "next_poll_at",
        "articles_found",
        "error",
    ]
    list_filter = ["kind", "active", ("outlet", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["url", "outlet__name"]
    list_select_related = ["outlet"]
    autocomplete_fields = ["outlet"]
    actions = ["poll_now", "pause", "resume"]
    readonly_fields = [
        "last_polled_at",
        "next_poll_at",
        "articles_found",
        "last_error",
        "last_error_at",
        "recent_fetches",
        "recent_jobs",
    ]
    fieldsets = [
        (None, {"fields": ["url", "kind", "outlet", "every", "active"]}),
        (
            "Polling",
            {"fields": ["last_polled_at", "next_poll_at", "articles_found"]},
        ),
        ("Errors", {"fields": ["last_error", "last_error_at"]}),
        ("Recent work", {"fields": ["recent_fetches", "recent_jobs"]}),
    ]

    @admin.display(description="Last error")
    def error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.display(description=f"Last {RECENT} article fetches")
    def recent_fetches(self, obj):
        rows = Fetch.objects.filter(source=obj).order_by("-created_at")[:RECENT]
        if not rows:
            return "none yet"
        return format_html(
            "<table><tr><th>URL</th><th>Status</th><th>Error</th><th>Fetched</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((f.url, f.get_status_display(), f.error, f.fetched_at or "") for f in rows),
            ),
        )

    @admin.display(description=f"Last {RECENT} jobs")
    def recent_jobs(self, obj):
        jobs = (
            ProcrastinateJob.objects.filter(task_name="sources.poll_source", args__source_id=obj.pk)
            | ProcrastinateJob.objects.filter(
                task_name="sources.fetch_article",
                args__fetch_id__in=list(
                    Fetch.objects.filter(source=obj)
                    .order_by("-created_at")
                    .values_list("pk", flat=True)[: RECENT * 5]
                ),
            )
        ).order_by("-id")[:RECENT]
        if not jobs:
            return "none yet"
        return format_html(
            "<table><tr><th>Job</th><th>Task</th><th>Status</th><th>Attempts</th>"
            "<th>Scheduled</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((j.id, j.task_name, j.status, j.attempts, j.scheduled_at or "") for j in jobs),
            ),
        )

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request, queryset):
        queued = sum(poll_source_defer(pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{queued} poll(s) queued; a worker runs them.")

    @admin.action(description="Pause (stop polling)", permissions=["change"])
    def pause(self, request, queryset):
        self.message_user(request, f"{queryset.update(active=False)} source(s) paused.")

    @admin.action(description="Resume polling", permissions=["change"])
    def resume(self, request, queryset):
        count = queryset.update(active=True)
        self.message_user(request, f"{count} source(s) resumed.", messages.SUCCESS)
