"""The speakers the registry starts with: four people (migration 0002) and the organisations
whose names news writes many ways (migration 0004)."""

SPEAKERS = [
    {
        "name": "Sergey Lavrov",
        "slug": "sergey-lavrov",
        "role": "Russian Foreign Minister",
        "organisation": "Ministry of Foreign Affairs of Russia",
        "country": "Russia",
        "description": "Minister of Foreign Affairs of the Russian Federation since 2004.",
        "aliases": [
            "Sergey Lavrov",
            "Sergei Lavrov",
            "Sergej Lavrov",
            "Sergey Viktorovich Lavrov",
            "Lavrov",
            "Сергей Лавров",
        ],
    },
    {
        "name": "Mike Pompeo",
        "slug": "mike-pompeo",
        "role": "US Secretary of State",
        "organisation": "US Department of State",
        "country": "United States",
        "description": "70th United States Secretary of State (2018-2021).",
        "aliases": ["Mike Pompeo", "Michael Pompeo", "Michael R. Pompeo", "Pompeo", "Майк Помпео"],
    },
    {
        "name": "Yury Ushakov",
        "slug": "yury-ushakov",
        "role": "Russian presidential aide",
        "organisation": "Presidential Executive Office of Russia",
        "country": "Russia",
        "description": "Aide to the President of Russia on foreign policy.",
        "aliases": ["Yury Ushakov", "Yuri Ushakov", "Yuriy Ushakov", "Ushakov", "Юрий Ушаков"],
    },
    {
        "name": "Alexei Arbatov",
        "slug": "alexei-arbatov",
        "role": "Head of the Center for International Security",
        "organisation": "IMEMO, Russian Academy of Sciences",
        "country": "Russia",
        "description": (
            "Head of the Center for International Security at the Primakov Institute of World "
            "Economy and International Relations (IMEMO), Russian Academy of Sciences."
        ),
        "aliases": [
            "Alexei Arbatov",
            "Alexey Arbatov",
            "Aleksei Arbatov",
            "Aleksey Arbatov",
            "Arbatov",
            "Алексей Арбатов",
        ],
    },
]

# Canonical organisations and their spellings. ``capitals``: the capital named for the
# government ("Washington said"), recorded as an alias that is shown as such.
ORGANISATIONS = [
    {
        "name": "Government of the United States",
        "slug": "government-of-the-united-states",
        "country": "United States",
        "aliases": [
            "US",
            "U.S.",
            "the US",
            "the U.S.",
            "United States",
            "the United States",
            "US government",
            "the US government",
            "U.S. government",
            "United States government",
            "US administration",
            "the US administration",
        ],
        "capitals": ["Washington"],
    },
    {
        "name": "US Department of State",
        "slug": "us-department-of-state",
        "country": "United States",
        "aliases": [
            "State Department",
            "the State Department",
            "US State Department",
            "the US State Department",
            "U.S. State Department",
            "US Department of State",
            "United States Department of State",
            "Department of State",
        ],
        "capitals": [],
    },
    {
        "name": "Government of Russia",
        "slug": "government-of-russia",
        "country": "Russia",
        "aliases": ["Russia", "Russian government", "the Russian government"],
        "capitals": ["Moscow"],
    },
    {
        "name": "Russian Foreign Ministry",
        "slug": "russian-foreign-ministry",
        "country": "Russia",
        "aliases": [
            "Russian Foreign Ministry",
            "the Russian Foreign Ministry",
            "Russian Ministry of Foreign Affairs",
            "Ministry of Foreign Affairs of Russia",
            "Russian MFA",
        ],
        "capitals": [],
    },
]
