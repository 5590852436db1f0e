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
    place = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="Where it was filed from (the dateline).",
    )
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


class Upload(models.Model):
    """What a staff member pasted or uploaded on /ingest/, ingested by a queued job."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, help_text="The file's suffix: .txt, .html, .json...")
    data = models.BinaryField()
    meta = models.JSONField(default=dict, blank=True, help_text="title, url, outlet, published")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    results = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label
