import pytest

from apps.quotes.extraction.document import Article, SpacyParser
from apps.quotes.extraction.pipeline import load_pipeline


@pytest.fixture(scope="session")
def parser():
    return SpacyParser(load_pipeline())


@pytest.fixture
def parsed(parser):
    """An Article of the given text, parsed: the input every stage after parsing takes."""

    def make(text: str, hints=()) -> Article:
        art = Article(text, tuple(hints))
        art.parse(parser)
        return art

    return make
