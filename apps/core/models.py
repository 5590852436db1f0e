from django.db import models


class RateLimitCounter(models.Model):
    """How many times a client did one limited thing in one window of time (``ratelimit``).

    In the database, so every worker and every restart sees the same count.
    """

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(
        help_text="The window's start, in seconds since the epoch."
    )
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="ratelimit_key_window_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"
