"""The four speakers the registry starts with (data for migration 0002)."""

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
