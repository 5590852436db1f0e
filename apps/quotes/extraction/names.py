"""Name normalisation: one key for every spelling of a name."""

import re
import unicodedata

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


def normalise_name(name: str) -> str:
    """The key two spellings of one name share: 'Sergei Lavrov' and 'Sergey Lavrov' alike."""
    words = fold(name).split()
    return " ".join(_VARIANTS.get(word, word) for word in words)


def surname(name: str) -> str:
    words = [w for w in fold(name).split() if w not in _TITLES]
    return words[-1] if words else ""
