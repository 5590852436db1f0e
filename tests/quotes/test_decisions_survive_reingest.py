"""Editors' decisions survive when an article is ingested again with a changed text."""

import json

import pytest
from django.core.management import call_command, get_commands

from apps.articles.models import Article
from apps.quotes.models import Quote
from apps.quotes.review import quote_confirm, quote_reassign, quote_reject
from tests.editorial import make_speaker, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("ingest" not in get_commands(), reason="manage.py ingest not wired yet"),
]

PARAGRAPHS = [
    "Talks in Geneva ended without a deal on Tuesday.",
    '"We are not going to give up," said Ivana Testerova, the Ruritanian envoy.',
    '"Nothing is agreed until everything is agreed," Marco Examplo, the Freedonian negotiator, '
    "told reporters.",
    '"The door remains open for a third round," said Ivana Testerova.',
]


def write_article(path, paragraphs):
    text = "\n\n".join(paragraphs)
    path.write_text(
        json.dumps(
            {
                "title": "Envoys meet",
                "url": "https://example.org/envoys",
                "outlet": "Example Times",
                "published": "2019-03-01",
                "text": text,
            }
        )
    )


def quote_with(words: str) -> Quote:
    return Quote.objects.get(text__contains=words)


def test_confirmed_corrected_and_rejected_quotes_keep_the_editors_decision(tmp_path):
    editor = make_user("edith", groups=["editors"])
    source = tmp_path / "article.json"
    write_article(source, PARAGRAPHS)
    call_command("ingest", str(source), "--no-progress")
    assert Article.objects.count() == 1

    confirmed = quote_confirm(quote=quote_with("not going to give up"), user=editor)
    referee = make_speaker("Rita Refereeson")
    corrected = quote_reassign(quote=quote_with("Nothing is agreed"), speaker=referee, user=editor)
    rejected = quote_reject(quote=quote_with("door remains open"), user=editor)

    # The engine improves, the outlet edits the story: the text changes and spans shift.
    write_article(
        source, ["UPDATED: a new opening paragraph moves every quote along.", *PARAGRAPHS]
    )
    call_command("ingest", str(source), "--no-progress")

    article = Article.objects.get()
    assert article.text.startswith("UPDATED")
    for before in (confirmed, corrected, rejected):
        after = Quote.objects.get(pk=before.pk)
        assert after.status == before.status
        assert after.speaker_id == before.speaker_id
        assert after.text == before.text
        assert article.text[after.start : after.end] == after.text
        assert after.start > before.start  # moved with its words
    # Nothing duplicated; the rejected quote is not re-created by the machine.
    for words in ("not going to give up", "Nothing is agreed", "door remains open"):
        assert Quote.objects.filter(text__contains=words).count() == 1
    assert Quote.objects.get(pk=corrected.pk).speaker == referee
    assert Quote.objects.get(pk=rejected.pk).status == Quote.Status.REJECTED


def run_ingest(path) -> str:
    import io

    out = io.StringIO()
    call_command("ingest", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def test_a_one_word_edit_inside_a_reviewed_quote_keeps_the_decision(tmp_path):
    editor = make_user("edith", groups=["editors"])
    source = tmp_path / "article.json"
    write_article(source, PARAGRAPHS)
    run_ingest(source)
    rejected = quote_reject(quote=quote_with("door remains open"), user=editor)

    edited = [*PARAGRAPHS[:3], PARAGRAPHS[3].replace("third round", "fourth round")]
    write_article(source, edited)
    out = run_ingest(source)

    after = Quote.objects.get(pk=rejected.pk)
    assert after.status == Quote.Status.REJECTED  # not public again
    assert "fourth round" in after.text and not after.needs_another_look
    assert Article.objects.get().text[after.start : after.end] == after.text
    assert Quote.objects.filter(text__contains="door remains open").count() == 1
    assert Quote.objects.public().filter(text__contains="door remains open").count() == 0
    reasons = list(after.history.values_list("history_change_reason", flat=True))
    assert "Its words changed in the article; the decision stands" in reasons
    assert "another look" not in out


def test_reviewed_words_replaced_are_flagged_and_head_the_review_queue(tmp_path, admin_client):
    from django.urls import reverse

    editor = make_user("edith", groups=["editors"])
    source = tmp_path / "article.json"
    write_article(source, PARAGRAPHS)
    run_ingest(source)
    confirmed = quote_confirm(quote=quote_with("Nothing is agreed"), user=editor)

    replaced = PARAGRAPHS[2].replace(
        "Nothing is agreed until everything is agreed", "Every single point remains disputed"
    )
    write_article(source, [*PARAGRAPHS[:2], replaced, PARAGRAPHS[3]])
    out = run_ingest(source)

    assert "1 editor decision needs another look" in out
    after = Quote.objects.get(pk=confirmed.pk)
    assert after.status == Quote.Status.CONFIRMED and after.needs_another_look
    assert "remains disputed" in after.text
    reasons = list(after.history.values_list("history_change_reason", flat=True))
    assert "Its words changed in the article; needs another look" in reasons
    page = admin_client.get(reverse("admin:quotes_quote_review"))
    assert page.status_code == 200
    assert page.context["page"].object_list[0].pk == after.pk
    assert "Words changed: was confirmed" in page.content.decode()
    # an editor's decision clears the flag
    quote_confirm(quote=after, user=editor)
    assert not Quote.objects.get(pk=after.pk).needs_another_look
