from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=200, help_text="Canonical name.")
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(max_length=300, blank=True, help_text="Role or title.")
    role_stated_on = models.DateField(
        null=True, blank=True, help_text="The date of the article that stated the role."
    )
    surname = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        db_index=True,
        editable=False,
        help_text="Family name, folded: a surname alone joins the one person who has it.",
    )
    wikidata_id = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        default="",
        db_default="",
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata QID looks like Q123.")],
        help_text="Optional: the Wikidata item of this person or organisation (Q123).",
    )
    organisation = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="speaker_wikidata_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """A name variant. ``normalised`` is unique: one spelling points to one speaker."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, unique=True, editable=False)
    is_capital = models.BooleanField(
        default=False,
        db_default=False,
        help_text="A capital named for its government ('Moscow' for the Russian government).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "speaker aliases"

    def __str__(self) -> str:
        return self.name


class SpeakerRedirect(models.Model):
    """The address of a speaker merged into another: ``/speakers/<old_slug>/`` redirects."""

    old_slug = models.SlugField(max_length=220, unique=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} -> {self.speaker}"
