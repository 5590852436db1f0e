"""What counts as speech: the verbs, their inflected forms, and the tests on a parsed word."""

import re

from apps.quotes.extraction import lexicon, marks
from apps.quotes.extraction.lexicon import FRAMING_LEMMAS, TAIL_ONLY_LEMMAS

# Speech as a verb and particle: 'Hillary shot back', 'Trump went on', 'Ana chimed in'.
PARTICLE_CUES = {
    "shoot": ("back",),
    "fire": ("back",),
    "hit": ("back", "out"),  # 'hit out at critics'
    "go": ("on",),
    "point": ("out",),
    "put": ("it",),  # 'as Cornyn put it:'
    "chime": ("in",),
    "cut": ("in",),  # '"Not so," she cut in
    "pipe": ("up",),
    "weigh": ("in",),
    "sum": ("up",),
    "lash": ("out",),
}
CUE_LEMMAS = lexicon.CUE_LEMMAS | FRAMING_LEMMAS | TAIL_ONLY_LEMMAS
# Cues that introduce a reported clause (indirect speech) as well as quotes.
INDIRECT_LEMMAS = (
    lexicon.CUE_LEMMAS - {"ask", "call", "describe", "continue", "echo", "urge", "post"}
) | {"worry", "fear", "boast", "brag", "lament", "charge", "pledge"}
IRREGULAR = {
    "say": ["said"],
    "tell": ["told"],
    "write": ["wrote", "written"],
    "speak": ["spoke", "spoken"],
    "go": ["went"],
    "shoot": ["shot"],
    "concur": ["concurred", "concurring"],
    "counsel": ["counselled", "counselling"],
    "hit": ["hitting"],
}


def _inflections(lemma: str) -> list[str]:
    """'agree' -> agree, agrees, agreed, agreeing (enough to find paragraphs worth parsing)."""
    stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
    forms = [lemma, lemma + "s", stem.removesuffix("e") + "ed", stem + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied"]
    if lemma.endswith(("sh", "ch", "ss", "x")):
        forms.append(lemma + "es")
    if lemma[-1] in "pgtbm" and lemma[-2] in "aeiou":  # 'quip' -> 'quipped'
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return forms + IRREGULAR.get(lemma, [])


# Paragraphs with none of these words (and no quote) are only scanned for names.
# (A verb that is a cue only after a quote needs none: a paragraph with a quote is parsed.)
_SPEECH_FORMS = {
    f for lemma in CUE_LEMMAS - TAIL_ONLY_LEMMAS | set(PARTICLE_CUES) for f in _inflections(lemma)
}
SPEECH_HINT = re.compile(
    r"\b(?:according to|(?:make|makes|made|making)(?: it)? clear|"
    + "|".join(sorted(_SPEECH_FORMS))
    + r")\b",
    re.IGNORECASE,
)
_WHO = (
    r"(?:he|she|they|(?:the\s+)?(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?"
    r"(?:[A-Z][\w’'-]+\s+){0,4}[A-Z][\w’'-]+|the(?:\s+[a-z][\w-]+){0,3}\s+(?!(?:"
    r"of|in|on|at|for|from|to|with|by|and|or)\b)[a-z][\w-]+)"
)
# The speech verbs after a quote, with every verb's past ('whispered', 'cried'): the present
# only as ``marks.CUE_FORMS`` has it, for 'their voices', 'that quote' are no one speaking.
_TAIL_FORMS = "|".join(
    sorted(
        {
            f
            for lemma in CUE_LEMMAS
            for f in _inflections(lemma)
            if f != lemma and not f.endswith(("s", "ing"))
        }
        | set(marks.CUE_FORMS.split("|"))
    )
)
# '..., “Lavrov said.' read off the text where the parser fails.
LEXICAL_TAIL = re.compile(
    rf"[\s,;:–—-]*(?:(?P<who>{_WHO})\s+(?P<verb>{_TAIL_FORMS})|"
    rf"(?P<verb2>{_TAIL_FORMS})\s+(?P<who2>{_WHO}))\b"
)


def speech_verb(token) -> bool:
    """'said', 'noted', 'shot back' -- not 'pointed at' or a noun."""
    if token.pos_ not in {"VERB", "AUX"} and not (
        token.pos_ == "NOUN" and any(c.dep_ == "ccomp" for c in token.children)
    ):  # 'could not help but state that ...', the verb tagged as a noun
        return False
    lemma = token.lemma_.lower()
    if lemma in PARTICLE_CUES:  # 'went on', not 'goes on recess'
        return any(
            c.lower_ in PARTICLE_CUES[lemma] and (c.dep_ == "prt" or c.lower_ == "it")
            for c in token.children
        )
    if lemma == "make":
        return made_clear(token) is not None
    if lemma in TAIL_ONLY_LEMMAS:
        # '"...," she cried'; or reporting a clause: 'proposed we "wake up and smell the
        # falafel"', 'swore that he had never met them'
        return after_quote(token) or any(c.dep_ == "ccomp" for c in token.children)
    return lemma in CUE_LEMMAS


def after_quote(verb) -> bool:
    """The verb right after a closing quote, with only its subject between: '"...," she
    cried', '"...!" cried Ana Ruiz', '"...", Oliver barked' -- not 'she cried at the funeral'."""
    doc = verb.doc
    before = verb.i - 1
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.i < verb.i:
        if subject.right_edge.i != verb.i - 1:
            return False
        before = subject.left_edge.i - 1
    if before < 1:
        return False
    if doc[before].text == ",":  # '"...", she cried': the mark, then the sentence's comma
        return _closing(doc[before - 1])
    return _closing(doc[before]) and doc[before - 1].text in {",", "!", "?", "…", "—", "–", "..."}


def _closing(token) -> bool:
    return token.is_quote and token.text not in marks.DOUBLE_OPEN


def made_clear(verb):
    """'made it clear that ...', 'made clear that ...': the word 'clear'."""
    return next((c for c in verb.children if c.lower_ == "clear" and c.i <= verb.i + 2), None)


def unrealised(verb) -> bool:
    """Speech still to come ('he will discuss', 'plans to talk') reports no words yet."""
    return verb.dep_ == "xcomp" or any(
        c.dep_ == "aux" and c.lower_ in {"will", "would", "shall", "'ll", "to"}
        for c in verb.children
    )


def speakers_own(conj) -> bool:
    """', and urged ...' after a reported clause, with no subject of its own: the parser hangs it
    on the clause, but it is the speaker's next act ('Moscow said the reaction was
    understandable, and urged Tehran to ...')."""
    if conj.dep_ != "conj" or conj.head.dep_ != "ccomp" or not speech_verb(conj.head.head):
        return False
    lemma = conj.lemma_.lower()
    if lemma not in CUE_LEMMAS and lemma not in lexicon.REQUEST_LEMMAS:
        return False
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in conj.children):
        return False
    before = conj.doc[max(conj.left_edge.i - 3, 0) : conj.left_edge.i]
    return any(t.text == "," for t in before)
