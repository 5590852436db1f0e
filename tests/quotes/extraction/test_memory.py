"""Memory bounded in the article's length: the parses of paragraphs no later stage looks into
are let go as soon as they are read, not held for the whole article."""

import weakref

from apps.quotes.extraction import extract_many

LINES = 3000  # short paragraphs, each with a speech verb, so each gets a full parse


class Watching:
    """The spaCy parser, counting how many of the docs it handed over are still alive."""

    def __init__(self, parser):
        self.parser, self.alive, self.most = parser, [], 0

    def stream(self, full, names, **kwargs):
        for doc in self.parser.stream(full, names, **kwargs):
            self.alive = [ref for ref in self.alive if ref() is not None]
            self.most = max(self.most, len(self.alive))
            self.alive.append(weakref.ref(doc))
            yield doc


def article(lines: int) -> str:
    body = [f"Item {n} was noted." for n in range(lines)]
    body[lines // 2] = "“We will not sign it,” Anna Keller said."
    return "Synthetic\n\n" + "\n".join(body) + "\n"


def test_paragraphs_without_quotes_are_let_go_as_they_are_parsed(parser):
    watching = Watching(parser)
    [quotes] = extract_many([article(LINES)], parser=watching)
    assert [(q.text, q.speaker) for q in quotes if q.kind == "direct"] == [
        ("We will not sign it,", "Anna Keller")
    ]
    # one parser batch (64 texts) and the quote's paragraph, not 3,000 docs
    assert watching.most <= 70, watching.most


def test_the_parse_keeps_no_token_vectors(parser):
    docs = parser(["“We will not sign it,” Anna Keller said."], ["Anna Keller met Tom Brandt."])
    assert [doc.tensor.size for doc in docs] == [0, 0]
    assert docs[0][0].dep_ and docs[1].ents  # the parse and the names stay
