"""How right the topics are: the seed quotes' hand-labelled topics against those assigned.

``tests/quotes/seed_topics.jsonl`` holds, for every quote of the seed articles, its file, start,
text and the topics a reader gives it (hand-labelled; ``[]`` where none of the taxonomy fits).
Topics are assigned to those gold spans (so extraction errors do not count here) with the
shipped taxonomy (``apps.quotes.taxonomy``) and ``topics_for_span``, exactly as ingest does,
and scored per (quote, topic) pair. Needs no database.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class GoldTopics:
    file: str
    start: int
    text: str
    topics: frozenset[str]

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class TopicScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    quotes: int = 0
    skipped: int = 0  # gold lines whose text is no longer at their offset in the seed
    per_topic: Counter = field(default_factory=Counter)  # (slug, 'tp'|'fp'|'fn') -> n
    mistakes: list = field(default_factory=list)  # (quote text, assigned, gold)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def line(self) -> str:
        return (
            f"topics (seed quotes, hand-labelled): precision {self.precision:.3f}, "
            f"recall {self.recall:.3f} over {self.quotes} quotes "
            f"({self.tp} right, {self.fp} wrong, {self.fn} missed"
            + (f"; {self.skipped} gold lines no longer match the seeds" if self.skipped else "")
            + ")"
        )


def load_topic_gold(path: Path) -> list[GoldTopics]:
    with path.open(encoding="utf-8") as lines:
        return [
            GoldTopics(row["file"], row["start"], row["text"], frozenset(row["topics"]))
            for row in map(json.loads, filter(str.strip, lines))
        ]


def score_topics(gold: list[GoldTopics], texts: dict[str, str], matcher=None) -> TopicScore:
    """Assign topics to every gold span as ingest does and count right, wrong and missed."""
    from apps.quotes.services import ArticleParagraphs, TopicMatcher, enclosing, topics_for_span
    from apps.quotes.taxonomy import taxonomy_topics

    matcher = matcher or TopicMatcher(taxonomy_topics())
    score = TopicScore()
    by_file: dict[str, list[GoldTopics]] = defaultdict(list)
    for item in gold:
        by_file[item.file].append(item)
    for name, items in by_file.items():
        text = texts.get(name, "")
        items = [g for g in items if text[g.start : g.end] == g.text]
        score.skipped += len(by_file[name]) - len(items)
        paragraphs = ArticleParagraphs(text)
        held = enclosing([(g.start, g.end) for g in items])
        for g in items:
            found = {
                t.slug
                for t in topics_for_span(
                    matcher,
                    text,
                    g.start,
                    g.end,
                    within=held.get((g.start, g.end), ()),
                    paragraphs=paragraphs,
                )
            }
            score.quotes += 1
            if found != g.topics:
                score.mistakes.append((g.text, sorted(found), sorted(g.topics)))
            for slug in found & g.topics:
                score.tp += 1
                score.per_topic[slug, "tp"] += 1
            for slug in found - g.topics:
                score.fp += 1
                score.per_topic[slug, "fp"] += 1
            for slug in g.topics - found:
                score.fn += 1
                score.per_topic[slug, "fn"] += 1
    return score


def score_seed_topics(root: Path) -> TopicScore:
    """The score on the seeds in ``root / 'seeds'`` against ``tests/quotes/seed_topics.jsonl``."""
    from apps.articles.sources import iter_items

    gold = load_topic_gold(root / "tests" / "quotes" / "seed_topics.jsonl")
    texts = {
        Path(item.article.source).name: item.article.text
        for item in iter_items([str(root / "seeds")])
        if item.article is not None
    }
    return score_topics(gold, texts)
