"""Fill the database with a synthetic corpus for benchmarks (no spaCy, no extraction).

Articles are made by recombining real sentences and clause fragments from ``seeds/``; speakers
by recombining common first names and surnames (plus the people the seed articles quote), each
with its name as an alias, as ``speaker_create`` would make them. Every quote is a real span of its
article (``quote.text == article.text[start:end]``), some are shared by several articles as one
statement (a few with conflicting attributions), and rows go in with PostgreSQL COPY.

    python manage.py seed_synthetic --articles 100000 --quotes 1000000 --speakers 300
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.articles.models import Article, Outlet
from apps.core.analyse import tables_analyse
from apps.quotes.extraction.names import normalise_name
from apps.quotes.models import Quote, Statement, Topic
from apps.speakers.models import Speaker, SpeakerAlias

SENTENCE = re.compile(r"[^.!?\n]{25,300}[.!?]")
SPLIT = re.compile(r",\s+|\s+(?=(?:and|but|that|which|while|because)\s)")
CUES = ["said", "told", "added", "stressed", "noted", "according to", "claimed", "warned"]
OUTLETS = [
    "RT",
    "TASS",
    "Reuters",
    "Associated Press",
    "BBC News",
    "The Guardian",
    "Al Jazeera",
    "Sputnik",
    "Interfax",
    "Kommersant",
    "The Washington Post",
    "The New York Times",
    "Politico",
    "Deutsche Welle",
    "France 24",
    "Euronews",
    "CNN",
    "Fox News",
    "The Moscow Times",
    "Axios",
    "Bloomberg",
    "Financial Times",
    "NPR",
    "Meduza",
    "Novaya Gazeta",
    "Izvestia",
    "RIA Novosti",
    "ABC News",
    "CBS News",
    "The Hill",
]
# The people the seed articles quote, then names recombined from common first names and surnames.
REAL_PEOPLE = [
    "Sergey Lavrov",
    "Mike Pompeo",
    "Yury Ushakov",
    "Alexei Arbatov",
    "Maria Zakharova",
    "Dmitry Peskov",
    "John Bolton",
    "Vladimir Putin",
    "Donald Trump",
    "Rex Tillerson",
]
FIRST_NAMES = [
    "Alexander",
    "Alexei",
    "Andrei",
    "Anna",
    "Boris",
    "Catherine",
    "Charles",
    "Daniel",
    "David",
    "Dmitry",
    "Elena",
    "Emily",
    "Emmanuel",
    "Ivan",
    "James",
    "Jennifer",
    "John",
    "Katarzyna",
    "Laura",
    "Linda",
    "Marco",
    "Maria",
    "Mark",
    "Michael",
    "Mikhail",
    "Natalia",
    "Nikolai",
    "Olga",
    "Patricia",
    "Paul",
    "Peter",
    "Robert",
    "Sarah",
    "Sergey",
    "Sophie",
    "Stefan",
    "Susan",
    "Thomas",
    "Tatiana",
    "Victoria",
    "Viktor",
    "William",
    "Yulia",
    "Yury",
]
SURNAMES = [
    "Anderson",
    "Arbatov",
    "Bauer",
    "Becker",
    "Bennett",
    "Bolton",
    "Carter",
    "Clarke",
    "Dubois",
    "Fischer",
    "Garcia",
    "Hoffmann",
    "Ivanov",
    "Jensen",
    "Kovalenko",
    "Kowalski",
    "Kuznetsov",
    "Lavrov",
    "Lebedev",
    "Martin",
    "Medvedev",
    "Mitchell",
    "Morozov",
    "Novak",
    "Orlov",
    "Peskov",
    "Petrov",
    "Pompeo",
    "Popov",
    "Rossi",
    "Schmidt",
    "Smirnov",
    "Sokolov",
    "Stewart",
    "Thompson",
    "Ushakov",
    "Volkov",
    "Walker",
    "Weber",
    "Zakharov",
]
ROLES = [
    "Foreign Minister",
    "Secretary of State",
    "presidential aide",
    "senator",
    "ambassador",
    "spokesperson",
    "defence minister",
    "analyst",
    "professor",
    "deputy minister",
]


class Command(BaseCommand):
    help = "Fill the database with a synthetic corpus for benchmarks (recombined seed sentences)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--quotes", type=int, default=100_000)
        parser.add_argument("--speakers", type=int, default=300)
        parser.add_argument(
            "--statement-share",
            type=float,
            default=0.02,
            help="Share of quotes that belong to a multi-article statement.",
        )
        parser.add_argument("--batch", type=int, default=2000, help="Articles per COPY batch.")
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, articles, quotes, speakers, statement_share, batch, seed, **opts):
        rng = random.Random(seed)
        t0 = time.perf_counter()
        sentences = self.material(Path(settings.BASE_DIR) / "seeds")
        fragments = [f.strip() for s in sentences for f in SPLIT.split(s) if len(f.split()) >= 4]
        outlets = self.make_outlets()
        people = self.make_speakers(rng, speakers)
        topics = list(Topic.objects.values_list("id", "keywords"))
        per_article = max(1, round(quotes / max(articles, 1)))
        statements = self.make_statements(
            rng, people, sentences, int(quotes * statement_share / 2.5)
        )
        self.stdout.write(
            f"{len(sentences)} seed sentences, {len(fragments)} fragments, {len(people)} speakers, "
            f"{len(statements)} statements; ~{per_article} quotes per article"
        )
        ids = self.next_ids()
        made_articles = made_quotes = 0
        for start in range(0, articles, batch):
            n = min(batch, articles - start)
            a_rows, q_rows, t_rows = [], [], []
            for _ in range(n):
                art_id = ids["article"]
                ids["article"] += 1
                text, spans = self.article_text(rng, sentences, fragments, statements, per_article)
                published = date(2015, 1, 1) + timedelta(days=rng.randrange(6 * 365))
                outlet_id = rng.choice(outlets)
                digest = hashlib.sha256(f"{art_id}:{text}".encode()).hexdigest()
                a_rows.append(
                    (
                        art_id,
                        f"Synthetic report {art_id}: {text[:80]}",
                        outlet_id,
                        published,
                        "en",
                        text,
                        digest,
                        f"synthetic:{art_id}",
                    )
                )
                for q_start, q_end, paragraph, st in spans:
                    q_id = ids["quote"]
                    ids["quote"] += 1
                    if st is not None:
                        speaker_id, statement_id = (
                            st["speakers"][rng.randrange(len(st["speakers"]))],
                            st["id"],
                        )
                    else:
                        speaker_id, statement_id = rng.choice(people), None
                    q_text = text[q_start:q_end]
                    kind = rng.choices(["direct", "partial", "indirect"], [5, 3, 2])[0]
                    q_rows.append(
                        (
                            q_id,
                            art_id,
                            speaker_id,
                            q_text,
                            kind,
                            q_start,
                            q_end,
                            paragraph,
                            "",
                            rng.choice(CUES),
                            round(rng.uniform(0.3, 1.0), 3),
                            rng.choices(
                                ["machine", "confirmed", "corrected", "rejected"], [90, 6, 2, 2]
                            )[0],
                            statement_id,
                        )
                    )
                    lower = q_text.lower()
                    matched = [
                        tid for tid, kws in topics if any(k.lower() in lower for k in kws[:8])
                    ]
                    for tid in (matched or [rng.choice(topics)[0]])[:3]:
                        t_rows.append((q_id, tid))
            self.copy(a_rows, q_rows, t_rows)
            made_articles += n
            made_quotes += len(q_rows)
            self.stdout.write(
                f"  {made_articles} articles, {made_quotes} quotes "
                f"({time.perf_counter() - t0:.0f}s)"
            )
        self.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {made_articles} articles, {made_quotes} quotes "
                f"in {time.perf_counter() - t0:.0f}s"
            )
        )

    # Material -------------------------------------------------------------------------------

    def material(self, folder: Path) -> list[str]:
        sentences = []
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            sentences += [s.strip() for s in SENTENCE.findall(text) if len(s.split()) >= 5]
        return sorted(set(sentences))

    def make_outlets(self) -> list[int]:
        for name in OUTLETS:
            Outlet.objects.get_or_create(name=name, defaults={"domain": ""})
        return list(Outlet.objects.filter(name__in=OUTLETS).values_list("id", flat=True))

    def make_speakers(self, rng, n) -> list[int]:
        wanted = max(0, n - Speaker.objects.count())
        combos = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
        names = REAL_PEOPLE + rng.sample(combos, len(combos))
        taken = set(Speaker.objects.values_list("slug", flat=True))
        known = set(SpeakerAlias.objects.values_list("normalised", flat=True))
        new = []
        for name in names:
            if len(new) >= wanted:
                break
            slug = slugify(name)
            if slug in taken or normalise_name(name) in known:
                continue  # already a speaker (the migrations add the seeds' people)
            taken.add(slug)
            new.append(Speaker(name=name, slug=slug, role=rng.choice(ROLES)))
        Speaker.objects.bulk_create(new, batch_size=1000)
        SpeakerAlias.objects.bulk_create(
            [SpeakerAlias(speaker=s, name=s.name, normalised=normalise_name(s.name)) for s in new],
            batch_size=1000,
        )
        return list(Speaker.objects.values_list("id", flat=True))

    def make_statements(self, rng, people, sentences, n) -> list[dict]:
        out = []
        for _ in range(n):
            speaker = rng.choice(people)
            text = rng.choice(sentences)
            conflict = rng.random() < 0.05
            st = Statement.objects.create(text=text, speaker_id=speaker, has_conflict=conflict)
            speakers = [speaker, rng.choice(people)] if conflict else [speaker]
            out.append({"id": st.id, "text": text, "speakers": speakers})
        return out

    def article_text(self, rng, sentences, fragments, statements, n_quotes):
        """Paragraphs of recombined sentences; returns text and quote spans."""
        parts, spans, pos, paragraph = [], [], 0, 0
        n_sentences = n_quotes + rng.randrange(3, 10)
        quoted = set(rng.sample(range(n_sentences), min(n_quotes, n_sentences)))
        for i in range(n_sentences):
            st = None
            if statements and i in quoted and rng.random() < 0.03:
                st = rng.choice(statements)
                sentence = st["text"]
            elif rng.random() < 0.5:
                sentence = rng.choice(sentences)
            else:
                a, b = rng.choice(fragments), rng.choice(fragments)
                sentence = (
                    f"{a[0].upper()}{a[1:].rstrip('.!?')}, {b[0].lower()}{b[1:].rstrip('.!?')}."
                )
            lead = "" if not parts else ("\n\n" if i % 4 == 0 else " ")
            if lead == "\n\n":
                paragraph += 1
            pos += len(lead)
            if i in quoted:
                start, end = pos, pos + len(sentence)
                words = sentence.split(" ")
                if st is None and len(words) > 8 and rng.random() < 0.3:  # a partial quote
                    k = rng.randrange(2, len(words) - 4)
                    start = pos + len(" ".join(words[:k])) + 1
                spans.append((start, end, paragraph, st))
            parts.append(lead + sentence)
            pos += len(sentence)
        return "".join(parts), spans

    # Storage --------------------------------------------------------------------------------

    def next_ids(self) -> dict:
        with connection.cursor() as c:
            c.execute("SELECT coalesce(max(id), 0) + 1 FROM articles_article")
            article = c.fetchone()[0]
            c.execute("SELECT coalesce(max(id), 0) + 1 FROM quotes_quote")
            quote = c.fetchone()[0]
        return {"article": article, "quote": quote}

    def copy(self, a_rows, q_rows, t_rows):
        now = timezone.now()
        a_table, q_table = Article._meta.db_table, Quote._meta.db_table
        t_table = Quote.topics.through._meta.db_table
        with transaction.atomic(), connection.cursor() as c:
            with c.copy(
                f"COPY {a_table} (id, title, outlet_id, published, language, text, content_hash, "
                "source, author, translated_from, original_title, url, ingested_at, updated_at) "
                "FROM STDIN"
            ) as cp:
                for row in a_rows:
                    cp.write_row((*row, "", "", "", "", now, now))
            with c.copy(
                f'COPY {q_table} (id, article_id, speaker_id, text, kind, start, "end", paragraph, '
                "speaker_mention, cue, confidence, status, statement_id, created_at, updated_at) "
                "FROM STDIN"
            ) as cp:
                for row in q_rows:
                    cp.write_row((*row, now, now))
            with c.copy(f"COPY {t_table} (quote_id, topic_id) FROM STDIN") as cp:
                for row in t_rows:
                    cp.write_row(row)

    def finish(self):
        with connection.cursor() as c:
            for model in (Article, Quote):
                table = model._meta.db_table
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: E501, S608 - model table names only
                c.execute(sql)
        # Pages are slow on fresh statistics-less tables until autovacuum comes by.
        tables_analyse(vacuum=True)
