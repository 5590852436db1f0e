"""The beat's shipped topic taxonomy: what a fresh database starts with (migrations) and what
``evaluate`` scores. Editors change topics and keywords in the admin, then run ``retopic``.

Keywords: whole words or phrases, matched case-insensitively with their usual endings (-s, -es,
-ed, -ing); a trailing * matches any ending; an all-capitals keyword (INF, JCPOA) matches only
in capitals. A keyword belongs here only if a quote whose own words hold it is about the topic
("meeting", "business" or "import*" ("important") are not).
"""

from __future__ import annotations

# fmt: off
TOPICS = [
    (
        "Arms control",
        "arms-control",
        "Nuclear weapons and the treaties that limit them: INF, New START, non-proliferation.",
        [
            "arms control", "arms race", "arms treaty", "arms treaties", "INF", "New START",
            "START", "nuclear arms", "nuclear weapon*", "nuclear arsenal*",
            "nuclear forces", "missile*", "warhead*", "disarmament", "non-proliferation",
            "nonproliferation", "strategic stability", "Intermediate-Range Nuclear Forces",
            "weapons treaty", "weapons treaties", "weapon systems", "weapons systems",
        ],
    ),
    (
        "Syria",
        "syria",
        "The war in Syria, its settlement and the foreign forces there.",
        ["Syria", "Syrian", "Damascus", "Assad", "Idlib", "Astana format", "Geneva process",
         "constitutional committee"],
    ),
    (
        "Ukraine",
        "ukraine",
        "Ukraine, Crimea, Donbas and the Minsk agreements.",
        ["Ukraine", "Ukrainian", "Kiev", "Kyiv", "Crimea", "Crimean", "Minsk", "Donbas",
         "Donbass", "Donetsk", "Luhansk", "Lugansk", "Zelensky", "Zelenskiy", "Poroshenko",
         "Normandy format", "Kerch", "ceasefire"],
    ),
    (
        "Venezuela",
        "venezuela",
        "The political crisis in Venezuela.",
        ["Venezuela", "Venezuelan", "Maduro", "Guaido", "Guaidó", "Caracas"],
    ),
    (
        "Election interference",
        "election-interference",
        "Allegations of interference in elections and domestic politics.",
        ["election meddling", "meddling", "meddle", "interference", "interfere in",
         "interfered in", "interferes in", "interfering in", "election*", "Mueller",
         "collusion", "hacking", "hack", "disinformation", "influence campaign",
         "domestic processes"],
    ),
    (
        "Sanctions",
        "sanctions",
        "Economic and political sanctions and counter-sanctions.",
        ["sanction*", "embargo", "blacklist*", "restrictive measures", "countersanction*",
         "counter-sanction*"],
    ),
    (
        "Iran",
        "iran",
        "Iran and its nuclear deal (JCPOA).",
        ["Iran", "Iranian", "Tehran", "JCPOA", "Joint Comprehensive Plan of Action",
         "Iran nuclear deal", "Iran deal", "Rouhani", "Zarif", "Strait of Hormuz"],
    ),
    (
        "North Korea",
        "north-korea",
        "North Korea and the denuclearisation of the Korean peninsula.",
        ["North Korea", "North Korean", "DPRK", "Pyongyang", "Kim Jong Un", "Kim Jong-un",
         "Korean Peninsula", "denucleari*"],
    ),
    (
        "Afghanistan",
        "afghanistan",
        "Afghanistan, the Taliban and the peace process.",
        ["Afghanistan", "Afghan", "Taliban", "Kabul"],
    ),
    (
        "Terrorism",
        "terrorism",
        "Terrorism and counter-terrorism.",
        ["terror*", "counterterror*", "counter-terror*", "ISIS", "ISIL", "Islamic State",
         "Daesh", "al-Qaeda", "al Qaeda", "Nusra", "extremis*", "jihadist*"],
    ),
    (
        "Trade and economy",
        "trade-and-economy",
        "Trade, investment, energy and the economy.",
        ["trade", "economy", "economic", "economics", "tariff*", "investment*",
         "business community", "business group", "oil", "gas", "Nord Stream", "energy",
         "export", "import", "market"],
    ),
    (
        "Bilateral relations and summits",
        "bilateral-relations",
        "Relations between Russia and the United States, visits, talks and summits.",
        ["bilateral", "relations", "relationship", "summit*", "talks", "dialogue",
         "visit", "negotiation*", "Helsinki", "Osaka", "G20", "diplomat*", "embassy",
         "embassies", "ambassador*", "cooperation", "cooperate", "joint work"],
    ),
]
# fmt: on


# Themes many quotes touch: not inherited from a paragraph that names a narrower topic.
BROAD = {"bilateral-relations"}


def taxonomy_topics() -> list:
    """The taxonomy as unsaved ``Topic`` objects (for ``TopicMatcher`` without a database)."""
    from apps.quotes.models import Topic

    return [
        Topic(
            name=name,
            slug=slug,
            description=description,
            keywords=list(keywords),
            broad=slug in BROAD,
        )
        for name, slug, description, keywords in TOPICS
    ]
