"""Topic precision and recall against the hand-labelled seed quotes (what `evaluate` prints)."""

from pathlib import Path

from apps.quotes.models import Topic
from apps.quotes.services import TopicMatcher
from apps.quotes.topic_scoring import GoldTopics, score_seed_topics, score_topics

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_shipped_taxonomy_is_precise_on_the_hand_labelled_seed_quotes():
    score = score_seed_topics(ROOT)
    assert score.quotes >= 130 and score.skipped == 0
    assert score.precision >= 0.85 and score.recall >= 0.8, score.line()
    assert "precision 0." in score.line()


def test_scoring_counts_right_wrong_and_missed_topics_per_quote():
    text = "Title\n\nLavrov said sanctions on Syria were useless. He added it was fine.\n"
    matcher = TopicMatcher(
        [
            Topic(slug="sanctions", name="Sanctions", keywords=["sanction*"]),
            Topic(slug="syria", name="Syria", keywords=["Syria"]),
        ]
    )
    claim = "sanctions on Syria were useless"
    gold = [
        GoldTopics("a.txt", text.index(claim), claim, frozenset({"sanctions"})),
        GoldTopics("a.txt", text.index("it was fine"), "it was fine", frozenset({"iran"})),
        GoldTopics("a.txt", 0, "not at its offset", frozenset()),
    ]
    score = score_topics(gold, {"a.txt": text}, matcher)
    # claim: sanctions right, syria wrong; 'it was fine' (from its paragraph): both wrong,
    # iran missed; the third line no longer matches the text.
    assert (score.tp, score.fp, score.fn, score.quotes, score.skipped) == (1, 3, 1, 2, 1)
    assert round(score.precision, 2) == 0.25 and score.recall == 0.5
