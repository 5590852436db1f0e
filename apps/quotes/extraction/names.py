"""Name normalisation: one key for every spelling of a name."""

import functools
import re
import unicodedata

from apps.quotes.extraction.lexicon import TITLES as TITLE_WORDS

# Transliteration variants of Russian (and other) first names that news spells both ways.
_VARIANTS = {
    "sergei": "sergey",
    "sergej": "sergey",
    "yuri": "yury",
    "yuriy": "yury",
    "iouri": "yury",
    "alexey": "alexei",
    "aleksei": "alexei",
    "aleksey": "alexei",
    "alexej": "alexei",
    "andrey": "andrei",
    "andrej": "andrei",
    "dmitri": "dmitry",
    "dmitriy": "dmitry",
    "mikhail": "mikhail",
    "nikolai": "nikolay",
    "vasily": "vasiliy",
    "yevgeny": "evgeny",
    "evgeniy": "evgeny",
    "valery": "valeriy",
    "grigori": "grigory",
    "georgi": "georgy",
    "maksim": "maxim",
    "aleksandr": "alexander",
    "aleksander": "alexander",
    "arkadi": "arkady",
    "anatoli": "anatoly",
    "yevgeni": "evgeny",
    "mohammad": "mohammed",
    "muhammad": "mohammed",
}

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "president",
    "minister",
    "secretary",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "gen",
    "general",
    "prime",
    "foreign",
    "the",
}


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`]s\b", "", text)  # possessive
    text = re.sub(r"[^\w\s-]", " ", text.lower()).replace("-", " ")
    return " ".join(text.split())


# Honours, degrees and offices written after a name: 'Leonard Asante KC', 'Jo Bell MP'.
POSTNOMINALS = {
    "kc", "qc", "mp", "mep", "msp", "ms", "am", "obe", "cbe", "mbe", "kbe", "dbe", "frs",
    "phd", "md", "esq", "jr", "sr", "ii", "iii",
}  # fmt: skip


def without_postnominals(name: str) -> str:
    words = name.split()
    while len(words) > 2 and words[-1].strip(".,").lower() in POSTNOMINALS:
        words.pop()
    return " ".join(words)


def normalise_name(name: str) -> str:
    """The key two spellings of one name share: 'Sergei Lavrov' and 'Sergey Lavrov' alike."""
    words = fold(name).split()
    return " ".join(_VARIANTS.get(word, word) for word in words)


def surname(name: str) -> str:
    words = [w for w in fold(name).split() if w not in _TITLES]
    return words[-1] if words else ""


@functools.cache
def _gender_detector():
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


# 'mostly_female' names (Bernie, Kim) are used for both: no guess from them
_GENDERS = {"male": "m", "female": "f"}


def first_name_gender(first: str) -> str | None:
    """'m', 'f' or None (unknown or used for both) for a first name, from gender-guesser's
    list of first names."""
    if len(first) < 2 or not first[0].isalpha():
        return None
    return _GENDERS.get(_gender_detector().get_gender(first))


def name_parts(name: str) -> tuple[str, str, str]:
    """(title, first name, the name without its title) with nameparser: 'Senator Jane Roe' ->
    ('Senator', 'Jane', 'Jane Roe'). A single word is a surname: no first name."""
    from nameparser import HumanName

    if len(name.split()) < 2:
        return "", "", name
    parsed = HumanName(name)
    if parsed.title and not all(w in TITLE_WORDS for w in fold(parsed.title).split()):
        return "", "", name  # 'Dean Baquet': a first name nameparser also knows as a title
    rest = " ".join(p for p in (parsed.first, parsed.middle, parsed.last, parsed.suffix) if p)
    if not parsed.last or not rest:
        return "", "", name
    return parsed.title, parsed.first if parsed.first != parsed.last else "", rest
