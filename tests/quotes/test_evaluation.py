"""The measurement harness: gold loading and scoring as the PolNeAR README defines them."""

import os
import re

import pytest
from django.core.management import call_command

from apps.quotes.extraction.evaluation import (
    load_polnear,
    load_seed_gold,
    matches,
    quote_stretches,
    score,
    speaker_right,
)
from apps.quotes.extraction.types import ExtractedQuote
from tests.conftest import POLNEAR, ROOT, SEEDS

TEXT = (
    "Title line\n"
    "\n"
    "“We will win this election,” Senator Jane Smith said on Monday.\n"
    "\n"
    "“The economy is strong,” he added, “and jobs are coming back.”\n"
)
# Offsets computed, not typed: the test reads the way the annotation file does.
Q1 = TEXT.index("We will")
Q1_END = TEXT.index(",” Senator")
SRC1 = TEXT.index("Senator Jane Smith")
SRC1_END = SRC1 + len("Senator Jane Smith")
CUE1 = TEXT.index("said")
PART1 = TEXT.index("“The economy")
PART1_END = TEXT.index(" he added")
PART2 = TEXT.index("“and jobs")
PART2_END = TEXT.index("back.”") + len("back.”")
HE = TEXT.index("he added")
ADDED = HE + 3

ANN = (
    f"T1\tSource {SRC1} {SRC1_END}\tSenator Jane Smith\n"
    f"T2\tCue {CUE1} {CUE1 + 4}\tsaid\n"
    f"T3\tContent {Q1 - 1} {Q1_END + 2}\t{TEXT[Q1 - 1 : Q1_END + 2]}\n"
    f"T4\tAttribution {CUE1} {CUE1 + 4}\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    f"T5\tSource {HE} {HE + 2}\the\n"
    f"T6\tCue {ADDED} {ADDED + 5}\tadded\n"
    # A discontinuous Content, its pieces listed out of order as annotators' files have them.
    f"T7\tContent {PART2} {PART2_END};{PART1} {PART1_END}\t…\n"
    f"T8\tAttribution {ADDED} {ADDED + 5}\tadded\n"
    "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
    "#1\tAnnotatorNotes T3\ta note, ignored\n"
)


def quote(text, start, end, **fields):
    return ExtractedQuote(start=start, end=end, text=text[start:end], kind="direct", **fields)


@pytest.fixture
def article(tmp_path):
    folder = tmp_path / "train"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "story.txt").write_text(TEXT, encoding="utf-8")
    (folder / "attributions" / "story_b2.ann").write_text("T1\tSource 0 5\tTitle\n")
    (folder / "attributions" / "story_a1.ann").write_text(ANN, encoding="utf-8")
    [article] = load_polnear(folder)
    return article


def test_gold_quotes_are_the_stretches_between_marks_of_the_first_annotator(article):
    assert [q.text for q in article.quotes] == [
        "We will win this election,",
        "The economy is strong,",
        "and jobs are coming back.",
    ]
    first, second, third = article.quotes
    assert first.source_text == "Senator Jane Smith"
    assert first.sources == ((SRC1, SRC1_END),)
    assert second.source_text == third.source_text == "he"


def test_straight_marks_and_marks_just_outside_the_content():
    text = 'He said "it is over" and "done."'
    assert [text[s:e] for s, e in quote_stretches(text, 0, len(text))] == ["it is over", "done."]
    inner = text.index("it is")
    assert [text[s:e] for s, e in quote_stretches(text, inner, inner + 10)] == ["it is over"]


def test_a_quote_over_several_paragraphs_gives_a_stretch_per_paragraph():
    text = "“First paragraph.\n“Second paragraph.”"
    assert [text[s:e] for s, e in quote_stretches(text, 0, len(text))] == [
        "First paragraph.",
        "Second paragraph.",
    ]


def test_a_quote_covering_half_is_found_and_less_than_half_is_not(article):
    gold = article.quotes[0]
    length = gold.end - gold.start
    half = quote(TEXT, gold.start, gold.start + (length + 1) // 2)
    assert matches(half, gold)
    assert not matches(quote(TEXT, gold.start, gold.start + length // 2 - 1), gold)


def test_an_extracted_quote_twice_as_long_as_the_overlap_does_not_count(article):
    gold = article.quotes[0]
    # Covers the whole gold quote, but the gold quote is less than half of it.
    sprawling = quote(TEXT, gold.start, len(TEXT) - 1)
    assert not matches(sprawling, gold)
    result = score([article], [[sprawling]])
    assert (result.found, result.predicted_matched, result.predicted) == (0, 0, 1)


def test_speaker_right_by_mention_overlap(article):
    gold = article.quotes[0]
    smith = TEXT.index("Smith")
    extracted = quote(
        TEXT,
        gold.start,
        gold.end,
        speaker="Someone Else",
        speaker_mention="Smith",
        speaker_start=smith,
        speaker_end=smith + 5,
    )
    assert speaker_right(extracted, gold)
    elsewhere = quote(
        TEXT, gold.start, gold.end, speaker="Someone Else", speaker_mention="x", speaker_start=0
    )
    elsewhere.speaker_end = 5
    assert not speaker_right(elsewhere, gold)


def test_speaker_right_by_surname_in_the_source(article):
    gold = article.quotes[0]
    assert speaker_right(quote(TEXT, gold.start, gold.end, speaker="Jane Smith"), gold)
    assert speaker_right(quote(TEXT, gold.start, gold.end, speaker="Dr. Smith"), gold)
    assert not speaker_right(quote(TEXT, gold.start, gold.end, speaker="Jane Smithers"), gold)
    assert not speaker_right(quote(TEXT, gold.start, gold.end), gold)


def test_discontinuous_content_and_pronoun_source(article):
    _, second, third = article.quotes
    he = {
        "speaker": "Jane Smith",
        "speaker_mention": "he",
        "speaker_start": HE,
        "speaker_end": HE + 2,
    }
    extracted = [
        quote(TEXT, second.start, second.end, **he),
        quote(TEXT, third.start, third.end, **he),
    ]
    assert all(speaker_right(q, g) for q, g in zip(extracted, (second, third), strict=True))


def test_precision_recall_and_f1(article):
    first, second, third = article.quotes
    extracted = [
        quote(TEXT, first.start, first.end, speaker="Jane Smith"),  # found, speaker right
        quote(TEXT, second.start, second.end, speaker="Bob Jones"),  # found, speaker wrong
        quote(TEXT, 0, 5),  # the title: no gold quote, no speaker
        ExtractedQuote(start=third.start, end=third.end, text=third.text, kind="indirect"),
    ]
    result = score([article], [extracted])
    assert result.quote == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert result.speaker == pytest.approx((1 / 2, 1 / 3, 0.4))


def test_reported_claims_are_contents_with_no_quote_marks_scored_apart(tmp_path):
    text = (
        "Title\n"
        "Jane Smith said the economy is strong. ''We will win,'' Bob Jones said.\n"
        "Bob Jones argued that taxes are too high.\n"
    )
    claim, newswire = text.index("the economy"), text.index("''We")
    argued = text.index("taxes")
    source, jones = text.index("Jane Smith"), text.index("Bob Jones said")
    second = text.index("Bob Jones argued")
    ann = (
        f"T1\tSource {source} {source + 10}\tJane Smith\n"
        f"T2\tContent {claim} {claim + 21}\tthe economy is strong\n"
        "E1\tAttribution:T9 Content:T2 Source:T1\n"
        f"T3\tSource {jones} {jones + 9}\tBob Jones\n"
        f"T4\tContent {newswire} {newswire + 15}\t''We will win,''\n"
        "E2\tAttribution:T9 Content:T4 Source:T3\n"
        f"T5\tSource {second} {second + 9}\tBob Jones\n"
        f"T6\tContent {argued} {argued + 18}\ttaxes are too high\n"
        "E3\tAttribution:T9 Content:T6 Source:T5\n"
    )
    folder = tmp_path / "train"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    (folder / "text" / "a.txt").write_text(text, encoding="utf-8")
    (folder / "attributions" / "a_x.ann").write_text(ann, encoding="utf-8")
    [article] = load_polnear(folder)
    # two apostrophes quote as a double mark does; that Content is a quote, not a claim
    assert [q.text for q in article.quotes] == ["We will win,"]
    assert [q.text for q in article.indirect] == ["the economy is strong", "taxes are too high"]

    def claim_by(start, end, speaker):
        return ExtractedQuote(
            start=start, end=end, text=text[start:end], kind="indirect", speaker=speaker
        )

    extracted = [
        claim_by(claim, claim + 21, "Jane Smith"),  # right
        claim_by(argued, argued + 18, "Jane Smith"),  # wrong speaker
        claim_by(0, 5, "Jane Smith"),  # the title: no claim at all
    ]
    result = score([article], [extracted])
    assert result.claim == pytest.approx((1 / 3, 1 / 2, 0.4))


def test_seed_gold_loads_with_every_quote_at_a_valid_offset():
    articles = load_seed_gold(ROOT / "tests" / "quotes" / "seed_gold.jsonl", SEEDS)
    assert {a.name for a in articles} == {p.name for p in SEEDS.glob("*.txt")}
    lines = [q for a in articles for q in (*a.quotes, *a.indirect, *a.scare)]
    rows = (ROOT / "tests/quotes/seed_gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == sum(1 for row in rows if row.strip())
    for a in articles:
        for q in (*a.quotes, *a.indirect, *a.scare):
            assert a.text[q.start : q.end] == q.text
        assert all(q.kind in ("direct", "partial") for q in a.quotes)


def test_seed_speaker_right_by_normalised_name_or_surname():
    [article] = [
        a
        for a in load_seed_gold(ROOT / "tests" / "quotes" / "seed_gold.jsonl", SEEDS)
        if any(q.speaker == "Sergey Lavrov" for q in a.quotes)
    ][:1]
    gold = next(q for q in article.quotes if q.speaker == "Sergey Lavrov")
    for name, right in [
        ("Sergei Lavrov", True),
        ("Lavrov", True),
        ("Mike Pompeo", False),
        (None, False),
    ]:
        assert speaker_right(quote(article.text, gold.start, gold.end, speaker=name), gold) is right


def test_scare_quotes_attributed_are_counted(tmp_path):
    text = 'He denied "election meddling" again, Lavrov said.\n'
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"article": "a.txt", "quote": "election meddling", "occurrence": 1, "kind": "scare",'
        ' "speaker": null, "mention": null}\n'
    )
    (tmp_path / "a.txt").write_text(text)
    [article] = load_seed_gold(gold, tmp_path)
    start = text.index("election")
    scare = quote(text, start, start + 17, speaker="Sergey Lavrov")
    assert score([article], [[scare]]).scare_attributed == 1
    assert score([article], [[quote(text, start, start + 17)]]).scare_attributed == 0


def test_seed_gold_line_not_in_its_article_is_an_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"article": "a.txt", "quote": "absent", "occurrence": 2, "kind": "direct"}\n')
    (tmp_path / "a.txt").write_text("absent once")
    with pytest.raises(ValueError, match="occurrence 2"):
        load_seed_gold(gold, tmp_path)


@pytest.mark.corpus
@pytest.mark.skipif(not (POLNEAR / "train").is_dir(), reason="no ../shared/corpora/polnear")
def test_polnear_loads_with_gold_quotes_inside_their_articles():
    articles = load_polnear(POLNEAR / "train", limit=20)
    assert len(articles) == 20
    assert sum(len(a.quotes) for a in articles) > 50
    for a in articles:
        for q in a.quotes:
            assert a.text[q.start : q.end] == q.text and q.text.strip() == q.text


def test_evaluate_command_runs_without_the_database(capsys, tmp_path, article):
    """No django_db mark: any query would fail the test."""
    folder = tmp_path / "train"
    call_command("evaluate", "--polnear", str(folder), "--no-baseline", "--no-speed")
    out = capsys.readouterr().out
    assert re.search(r"^seeds +ours ", out, re.M)
    # the model learnt from PolNeAR: scored there by cross-validation only
    assert re.search(r"^polnear +rules ", out, re.M)
    # the held-out half: the rules were written from the even-numbered articles' errors only
    assert re.search(r"^polnear even +rules ", out, re.M)
    assert re.search(r"^polnear odd +rules ", out, re.M)
    assert "cross-validation skipped: 1 PolNeAR articles are too few for 5 folds" in out
    for layout in ("qa", "dash", "british", "social", "press_release"):
        assert re.search(rf"^layout: {layout} +ours ", out, re.M)
    call_command("evaluate", "--polnear", str(tmp_path / "absent"), "--no-baseline", "--no-speed")
    assert "PolNeAR skipped" in capsys.readouterr().out


def test_textacy_baseline_offsets_point_into_the_article():
    pytest.importorskip("textacy")
    from apps.quotes.extraction.evaluation import load_spacy, textacy_quotes

    text = 'Intro line.\n\n"We must act on climate now," Senator Jane Smith said on Monday.\n'
    [found] = textacy_quotes([text], load_spacy())
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == found[0].text == "We must act on climate now,"
    assert text[found[0].speaker_start : found[0].speaker_end] == found[0].speaker_mention
    assert "Smith" in found[0].speaker_mention


def fake_extract(text):
    """Module level, so that worker processes can import it."""
    if text == "boom":
        raise RuntimeError(text)
    return [quote(text, 0, len(text))]


@pytest.mark.parametrize("processes", [1, 2])
def test_run_extractor_keeps_order_and_counts_articles_it_raised_on(processes):
    from apps.quotes.extraction.evaluation import run_extractor

    texts = ["one", "boom", "three", "four", "five"]
    results, errors = run_extractor(texts, fake_extract, processes=processes)
    assert errors == 1
    assert [[q.text for q in quotes] for quotes in results] == [
        ["one"],
        [],
        ["three"],
        ["four"],
        ["five"],
    ]


def crashing_extract(text):
    """Dies the way a crash in native code does, on one article only."""
    if text == "crash":
        os._exit(139)
    return [quote(text, 0, len(text))]


def test_a_worker_crash_costs_only_its_own_article():
    from apps.quotes.extraction.evaluation import run_extractor

    texts = ["one", "two", "crash", "four", "five", "six", "seven"]
    results, errors = run_extractor(texts, crashing_extract, processes=2)
    assert errors == 1
    assert [len(quotes) for quotes in results] == [1, 1, 0, 1, 1, 1, 1]
