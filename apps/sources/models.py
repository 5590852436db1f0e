"""Tracked sources (a feed, a news sitemap or one page) and every article URL they led to."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SourceQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active sources whose next poll has come."""
        now = now or timezone.now()
        return self.filter(active=True).filter(
            Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
        )


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", "RSS/Atom feed"
        SITEMAP = "sitemap", "News sitemap"
        PAGE = "page", "Single page"

    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    outlet = models.ForeignKey(
        "articles.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="sources"
    )
    every = models.PositiveIntegerField(
        "poll every (minutes)", default=60, help_text="How often the source is polled."
    )
    active = models.BooleanField(default=True, help_text="Paused sources are not polled.")
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    articles_found = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # The feed's own validators, for a conditional GET next time.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(condition=Q(every__gte=1), name="source_every_positive"),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.every)


class Fetch(models.Model):
    """One article URL a source led to (canonicalised, so each is fetched once), its outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        STORED = "stored", "Stored"
        UPDATED = "updated", "Updated"
        UNCHANGED = "unchanged", "Unchanged"
        REFUSED = "refused", "Refused"
        GONE = "gone", "Gone (404/410)"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="fetches")
    url = models.URLField(max_length=2000, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Where the last attempt's time went: download, text + quote extraction, storing.
    fetch_seconds = models.FloatField(null=True, blank=True)
    extract_seconds = models.FloatField(null=True, blank=True)
    store_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["source", "-created_at"])]
        verbose_name_plural = "fetches"

    def __str__(self) -> str:
        return self.url


class Host(models.Model):
    """When the next request to a host may start: politeness shared by every worker."""

    name = models.CharField(max_length=300, primary_key=True)
    next_request_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
