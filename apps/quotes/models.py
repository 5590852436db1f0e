from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Length
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from apps.quotes.querysets import QuoteCountQuerySet, QuoteQuerySet, StatementQuerySet


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    keywords = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Words, lemmas or phrases that put a quote on this topic.",
    )
    broad = models.BooleanField(
        default=False,
        db_default=False,
        help_text="A theme many quotes touch (relations, talks): given to a quote for its own "
        "words, or for its paragraph only when the paragraph names no narrower topic.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """The same words reported by one or more articles."""

    text = models.TextField(help_text="The longest version reported.")
    speaker = models.ForeignKey(
        "speakers.Speaker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    has_conflict = models.BooleanField(
        default=False, help_text="The same words are attributed to different speakers."
    )
    # How many articles report it, kept by PostgreSQL triggers (migration 0014) as quotes
    # join, leave or are deleted: the compare page lists and orders by it without counting.
    n_articles = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(
                F("has_conflict").desc(),
                F("n_articles").desc(),
                F("updated_at").desc(),
                F("id").desc(),
                name="statement_compare",
                condition=Q(n_articles__gt=1),
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Quote(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        PARTIAL = "partial", "Partial"
        INDIRECT = "indirect", "Indirect"

    class Status(models.TextChoices):
        MACHINE = "machine", "Machine"
        CONFIRMED = "confirmed", "Confirmed"
        CORRECTED = "corrected", "Corrected"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        "speakers.Speaker",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    text = models.TextField(help_text="Exactly article.text[start:end].")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    paragraph = models.PositiveIntegerField(default=0)
    speaker_mention = models.CharField(max_length=300, blank=True)
    mention_start = models.PositiveIntegerField(null=True, blank=True)
    mention_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    confidence = models.FloatField(default=0.0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.MACHINE)
    needs_another_look = models.BooleanField(
        default=False,
        db_default=False,  # bulk loaders (COPY) need not name it
        help_text="The article changed the words of this reviewed quote: the editor's decision "
        "stands but should be checked again (it heads the review queue until then).",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="quotes")
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The quote (a claim) whose span holds this one's: kept by quotes_link_parts.",
    )
    word_count = models.GeneratedField(
        expression=Func(
            Func(
                Func(F("text"), function="btrim"), Value(r"\s+"), function="regexp_split_to_array"
            ),
            Value(1),
            function="array_length",
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("text", weight="A", config="english")
        + SearchVector("speaker_mention", "cue", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Copies of article.published and article.outlet kept by database triggers (migration
    # 0005), so listings sort and filter by date and outlet from an index, without a join.
    published = models.DateField(null=True, editable=False)
    article_outlet = models.ForeignKey(
        "articles.Outlet",
        null=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["search_vector", "published", "article_outlet", "part_of", "word_count"]
    )

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="quote_span_unique"),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")), name="quote_span_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="quote_confidence_range",
            ),
            # With the provenance trigger (migration 0004): text is article.text[start:end].
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")), name="quote_text_fits_span"
            ),
        ]
        indexes = [
            models.Index(fields=["speaker", "status"]),
            models.Index(fields=["status", "confidence", "id"], name="quote_status_confidence"),
            # The review queue: reviewed quotes whose words changed first, then the least
            # confident machine attributions, read in order from the index at any size.
            models.Index(
                models.F("needs_another_look").desc(),
                models.F("confidence"),
                models.F("id"),
                condition=models.Q(status="machine") | models.Q(needs_another_look=True),
                name="quote_review_queue",
            ),
            # No pending list (fastupdate): statements_link looks each new quote up here, and
            # every lookup would read the whole pending list until a vacuum empties it.
            GinIndex(fields=["search_vector"], name="quote_search_vector", fastupdate=False),
            # newest_first(), overall and per speaker. Searching a common word reads the newest
            # public quotes' search vectors from the first alone (querysets.ranked_ids); a
            # speaker's page counts by month, topic and statement from the second alone.
            models.Index(
                F("published").desc(nulls_last=True),
                F("article").desc(),
                "start",
                name="quote_newest",
                include=["id", "search_vector"],
                condition=~Q(status="rejected"),
            ),
            models.Index(
                "speaker",
                F("published").desc(nulls_last=True),
                F("article").desc(),
                "start",
                name="quote_speaker_newest",
                include=["id", "status", "statement"],
            ),
            models.Index(
                "article_outlet",
                F("published").desc(nulls_last=True),
                F("article").desc(),
                "start",
                name="quote_outlet_newest",
                condition=~Q(status="rejected"),
            ),
            # A speaker's statements (the speaker page): the few quotes linked to one.
            models.Index(
                fields=["speaker", "statement"],
                condition=Q(statement__isnull=False),
                name="quote_speaker_statement",
            ),
            # The admin's outlet filter (rejected quotes included, unlike quote_outlet_newest).
            models.Index(fields=["article_outlet"], name="quote_article_outlet"),
            # Statements reported by several articles (the compare page).
            models.Index(
                fields=["statement", "article"],
                condition=Q(statement__isnull=False),
                name="quote_statement_article",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def display_text(self) -> str:
        """The words as shown alone: without the comma (or a partial's full stop) that stood
        inside the quotation marks in the article."""
        from apps.quotes.rendering import trim_trailing

        return trim_trailing(self.text, self.kind)

    @property
    def named_as(self) -> str:
        """How the article named an organisation that spoke, when that is not its name:
        'Moscow' for the Government of Russia, 'the State Department'."""
        from apps.quotes.extraction.names import normalise_name

        speaker, mention = self.speaker, (self.speaker_mention or "").strip()
        if speaker is None or speaker.kind != "organisation" or not mention:
            return ""
        if not any(ch.isupper() for ch in mention[:1] + mention.split(" ", 1)[-1][:1]):
            return ""  # 'it', 'the ministry': a pronoun or a description
        if normalise_name(mention) == normalise_name(speaker.name):
            return ""
        return mention

    @cached_property
    def marked(self):
        """The quote as shown in a listing: its partial quotes marked inside it (from the
        ``parts`` that ``for_listing()`` prefetches; none otherwise), trailing comma trimmed."""
        from apps.quotes.rendering import quote_with_parts

        parts = getattr(self, "_prefetched_objects_cache", {}).get("parts", ())
        return quote_with_parts(self, parts)


class QuoteFingerprint(models.Model):
    """One fingerprint of a quote's words: how ``statements_link`` finds the stored quotes that
    share a run of words with a new one, reading a bounded number of rows however many quotes
    share it.

    Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
    fingerprinting", 2003, as in MOSS): the quote's words, lower-cased and cut to their first
    five letters, are hashed three at a time, and the smallest hash of every three consecutive
    ones is kept, so two quotes that share a run of five words or more share a fingerprint.
    Kept by PostgreSQL triggers as quotes are written, changed or deleted (migration 0025,
    function ``quote_fingerprints``), whoever writes them. The primary key is the only index:
    a lookup reads one fingerprint's newest entries outside the new quote's own article, and a
    deleted quote's rows are found again from its text.
    """

    pk = models.CompositePrimaryKey("fingerprint", "article_id", "quote_id")
    fingerprint = models.BigIntegerField()
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.fingerprint} in quote {self.quote_id}"


class SearchWord(models.Model):
    """A word found in some quote: what a misspelt search word is corrected to.

    Filled by PostgreSQL triggers as quotes are written (migration 0006); only ever grows.
    """

    word = models.CharField(max_length=40, primary_key=True)

    class Meta:
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="searchword_trgm")]

    def __str__(self) -> str:
        return self.word


class QuoteCount(models.Model):
    """Counts of quotes kept by PostgreSQL triggers (migration 0010), as rows to add up.

    Scopes: ``public`` (quotes not rejected, key 0), ``speaker`` and ``topic`` (public quotes
    by speaker or topic id), ``spk_topic`` (public quotes of speaker ``key`` on topic
    ``key2``), ``machine`` (the review queue, key 0), ``article`` (articles, key 0; migration
    0013). Each statement that writes
    quotes or their topics inserts a row per key it changes (+n or -n), so concurrent ingests
    never wait on one another's counter row; ``QuoteCount.objects.totals()`` adds them up and
    folds them into one row per key when they have piled up.
    """

    scope = models.CharField(max_length=10)
    key = models.BigIntegerField(default=0)
    key2 = models.BigIntegerField(default=0, db_default=0)
    n = models.BigIntegerField()

    objects = QuoteCountQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["scope", "key", "key2"], include=["n"], name="quotecount_keys")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.n:+}"


class Report(models.Model):
    """A reader's report that a quote is wrongly attributed (no account needed)."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="reports")
    message = models.TextField(max_length=2000)
    suggested_speaker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Report on quote {self.quote_id}"
