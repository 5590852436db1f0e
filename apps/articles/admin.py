"""Articles are read-only evidence: their text is exactly as ingested, their quotes listed."""

from django.contrib import admin
from django.db.models import Count

from apps.articles.models import Article, Outlet
from apps.quotes.models import Quote


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "article_count"]
    search_fields = ["name", "domain"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


class ArticleQuoteInline(admin.TabularInline):
    model = Quote
    fields = ["text", "speaker", "speaker_mention", "kind", "status", "confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["start"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "language", "quote_count", "ingested_at"]
    list_filter = [("outlet", admin.RelatedOnlyFieldListFilter), "language", "published"]
    search_fields = ["title", "url", "source", "author"]
    list_select_related = ["outlet"]
    date_hierarchy = "published"
    inlines = [ArticleQuoteInline]
    ordering = ["-published", "-ingested_at"]
    readonly_fields = [
        "text",
        "content_hash",
        "source",
        "ingested_at",
        "updated_at",
        "translated_from",
        "original_title",
    ]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "published", "author", "url"]}),
        ("Language", {"fields": ["language", "translated_from", "original_title"]}),
        ("Text exactly as ingested", {"fields": ["text"]}),
        ("Provenance", {"fields": ["source", "content_hash", "ingested_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes"))

    def has_add_permission(self, request):
        return False  # Articles arrive by ingestion, which extracts their quotes.

    @admin.display(description="Quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count
