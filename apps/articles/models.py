from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="outlet_domain_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    title = models.CharField(max_length=1000)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    # Only web links: a ``javascript:`` or ``data:`` URL would run in readers' browsers when
    # rendered as the article's link. The check constraint holds whatever path writes the row.
    url = models.URLField(
        max_length=2000, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    published = models.DateField(null=True, blank=True)
    author = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=16, default="en")
    translated_from = models.CharField(max_length=16, blank=True)
    original_title = models.CharField(max_length=1000, blank=True)
    text = models.TextField(help_text="The full text exactly as ingested; quote spans index it.")
    content_hash = models.CharField(max_length=64, unique=True)
    source = models.CharField(
        max_length=2000, blank=True, help_text="The file path or URL the article came from."
    )
    ingested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published", "-ingested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique"
            ),
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="article_source_unique"
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__iregex=r"^https?://"),
                name="article_url_http",
                violation_error_message="Only http and https links are stored.",
            ),
        ]
        indexes = [models.Index(fields=["published"])]

    def __str__(self) -> str:
        return self.title
