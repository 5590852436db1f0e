"""The editorial admin as an editor who can change things, and as readers who are refused."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from apps.quotes.models import Quote, Report
from apps.speakers.models import Speaker, SpeakerAlias
from tests.editorial import make_article, make_quote, make_speaker, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:quotes_quote_review")
CHANGELIST = reverse("admin:quotes_quote_changelist")


@pytest.fixture
def editor():
    return make_user("edith", groups=["editors"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def quotes():
    article = make_article()
    ivana = make_speaker("Ivana Testerova")
    return {
        "sure": make_quote(article, "We are not going to give up,", speaker=ivana, confidence=0.9),
        "doubt": make_quote(
            article, "Nothing is agreed until everything is agreed,", speaker=ivana, confidence=0.2
        ),
        "middle": make_quote(
            article, "hindered by a wave of suspicion", speaker=ivana, confidence=0.6
        ),
    }


def decide(client, quote, **data):
    return client.post(reverse("admin:quotes_quote_decide", args=[quote.pk]), data)


# The groups -------------------------------------------------------------------------------


def test_migration_creates_the_editorial_groups():
    editors = set(Group.objects.get(name="editors").permissions.values_list("codename", flat=True))
    assert {"change_quote", "change_speaker", "change_topic", "add_speaker"} <= editors
    assert {"view_article", "view_outlet", "view_statement"} <= editors
    assert not {"delete_quote", "change_article", "delete_article", "change_user"} & editors
    admins = set(Group.objects.get(name="admins").permissions.values_list("codename", flat=True))
    assert {"delete_quote", "change_article", "delete_topic", "change_user"} <= admins


# An editor ----------------------------------------------------------------------------------


def test_editor_sees_the_list_with_sentence_mention_and_band(editor_client, quotes):
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    # The quote in its sentence: the words around it, the quote itself marked.
    assert "<mark>Nothing is agreed until everything is agreed,</mark>” Marco Examplo" in html
    assert "qt-band-low" in html and "qt-band-high" in html
    assert "Review queue (3 to review" in html


def test_editor_filters_by_confidence_band_and_searches(editor_client, quotes):
    response = editor_client.get(CHANGELIST, {"band": "low"})
    assert [q.pk for q in response.context["cl"].result_list] == [quotes["doubt"].pk]
    response = editor_client.get(CHANGELIST, {"q": "suspicion"})
    assert [q.pk for q in response.context["cl"].result_list] == [quotes["middle"].pk]


def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, quotes, django_assert_max_num_queries
):
    article = make_article(text="“One,” he said. “Two,” she said. “Three,” they said.")
    for word in ("One,", "Two,", "Three,"):
        make_quote(article, word)
    with django_assert_max_num_queries(16):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_editor_changes_speaker_and_span_on_the_change_page(editor_client, editor, quotes):
    quote = quotes["middle"]
    marco = make_speaker("Marco Examplo")
    url = reverse("admin:quotes_quote_change", args=[quote.pk])
    assert editor_client.get(url).status_code == 200
    start = quote.article.text.index("the talks were")
    response = editor_client.post(
        url,
        {
            "speaker": marco.pk,
            "kind": Quote.Kind.PARTIAL,
            "status": Quote.Status.MACHINE,
            "start": start,
            "end": quote.end,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.speaker == marco
    assert quote.text == "the talks were “hindered by a wave of suspicion"
    assert quote.text == quote.article.text[quote.start : quote.end]
    assert quote.status == Quote.Status.CORRECTED
    assert quote.history.first().history_user == editor


def test_change_page_refuses_a_span_outside_the_article(editor_client, quotes):
    quote = quotes["middle"]
    response = editor_client.post(
        reverse("admin:quotes_quote_change", args=[quote.pk]),
        {"kind": quote.kind, "status": quote.status, "start": 0, "end": 999_999},
    )
    assert response.status_code == 200
    assert "article" in str(response.context["adminform"].form.errors["end"])
    quote.refresh_from_db()
    assert quote.text == "hindered by a wave of suspicion"


def test_change_page_offers_the_speaker_autocomplete_with_add_another(editor_client, quotes):
    response = editor_client.get(reverse("admin:quotes_quote_change", args=[quotes["sure"].pk]))
    html = response.content.decode()
    assert "admin-autocomplete" in html
    assert 'id="add_id_speaker"' in html
    autocomplete = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Tester", "app_label": "quotes", "model_name": "quote", "field_name": "speaker"},
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == ["Ivana Testerova"]


def test_editor_creates_a_speaker_inline_and_its_name_becomes_an_alias(editor_client):
    response = editor_client.post(
        reverse("admin:speakers_speaker_add") + "?_to_field=id&_popup=1",
        {
            "name": "Nova Speakerson",
            "slug": "nova-speakerson",
            "kind": "person",
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
            "_popup": 1,
            "_to_field": "id",
        },
    )
    assert response.status_code == 200  # the popup's "close me" page
    speaker = Speaker.objects.get(slug="nova-speakerson")
    assert speaker.aliases.get().normalised == "nova speakerson"


def test_editor_confirms_and_rejects_with_bulk_actions(editor_client, editor, quotes):
    response = editor_client.post(
        CHANGELIST,
        {
            "action": "confirm_selected",
            "_selected_action": [quotes["sure"].pk, quotes["middle"].pk],
        },
    )
    assert response.status_code == 302
    editor_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [quotes["doubt"].pk]}
    )
    statuses = dict(Quote.objects.values_list("pk", "status"))
    assert statuses == {
        quotes["sure"].pk: "confirmed",
        quotes["middle"].pk: "confirmed",
        quotes["doubt"].pk: "rejected",
    }


def test_editor_assigns_quotes_to_a_speaker_through_an_intermediate_form(editor_client, quotes):
    marco = make_speaker("Marco Examplo")
    selected = [quotes["doubt"].pk, quotes["middle"].pk]
    page = editor_client.post(
        CHANGELIST, {"action": "assign_speaker", "_selected_action": selected}
    )
    assert page.status_code == 200
    assert b"Assign quotes to a speaker" in page.content
    assert Quote.objects.filter(speaker=marco).count() == 0  # nothing happens before "Assign"
    done = editor_client.post(
        CHANGELIST,
        {
            "action": "assign_speaker",
            "_selected_action": selected,
            "apply": "Assign",
            "speaker": marco.pk,
        },
    )
    assert done.status_code == 302
    assert set(Quote.objects.filter(speaker=marco).values_list("pk", flat=True)) == set(selected)
    assert set(Quote.objects.filter(pk__in=selected).values_list("status", flat=True)) == {
        "corrected"
    }


# The review queue ---------------------------------------------------------------------------


def test_queue_lists_machine_quotes_lowest_confidence_first_with_reports(editor_client, quotes):
    quote_confirmed = quotes["sure"]
    quote_confirmed.status = Quote.Status.CONFIRMED
    quote_confirmed.save()
    Report.objects.create(
        quote=quotes["middle"], message="That was Marco", suggested_speaker="Marco"
    )
    response = editor_client.get(QUEUE)
    assert response.status_code == 200
    assert [q.pk for q, _form in response.context["rows"]] == [
        quotes["doubt"].pk,
        quotes["middle"].pk,
    ]
    html = response.content.decode()
    assert "That was Marco" in html
    assert "csrfmiddlewaretoken" in html
    assert 'value="confirm"' in html and 'value="correct"' in html


def test_queue_confirm_is_one_post_and_the_quote_leaves_the_queue(editor_client, editor, quotes):
    response = decide(editor_client, quotes["doubt"], decision="confirm", page="1")
    assert response.status_code == 302
    assert response["Location"].startswith(QUEUE)
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.CONFIRMED
    assert quotes["doubt"].history.first().history_user == editor
    rows = editor_client.get(QUEUE).context["rows"]
    assert quotes["doubt"].pk not in [q.pk for q, _ in rows]


def test_queue_correct_reassigns_to_the_chosen_speaker(editor_client, quotes):
    marco = make_speaker("Marco Examplo")
    quote = quotes["doubt"]
    decide(editor_client, quote, decision="correct", **{f"q{quote.pk}-speaker": marco.pk})
    quote.refresh_from_db()
    assert (quote.speaker, quote.status) == (marco, Quote.Status.CORRECTED)


def test_queue_resolves_a_report(editor_client, quotes):
    report = Report.objects.create(quote=quotes["sure"], message="Not her")
    response = editor_client.post(reverse("admin:quotes_report_resolve", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved


def test_queue_decisions_must_be_posts(editor_client, quotes):
    response = editor_client.get(
        reverse("admin:quotes_quote_decide", args=[quotes["doubt"].pk]), {"decision": "confirm"}
    )
    assert response.status_code == 405
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.MACHINE


def test_queue_decisions_need_the_csrf_token(editor, quotes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = decide(client, quotes["doubt"], decision="confirm")
    assert response.status_code == 403
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.MACHINE


def test_history_page_shows_who_changed_the_quote(editor_client, quotes):
    decide(editor_client, quotes["doubt"], decision="reject")
    response = editor_client.get(reverse("admin:quotes_quote_history", args=[quotes["doubt"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "edith" in html
    assert "Rejected as not a quote" in html


# Speakers -----------------------------------------------------------------------------------


def test_editor_merges_speakers_after_a_confirmation_page(editor_client, editor):
    keep = make_speaker("Ivana Testerova")
    dupe = make_speaker("I. Testerova")
    quote = make_quote(make_article(), "We are not going to give up,", speaker=dupe)
    url = reverse("admin:speakers_speaker_changelist")
    selected = {"action": "merge_speakers", "_selected_action": [keep.pk, dupe.pk]}
    page = editor_client.post(url, selected)
    assert page.status_code == 200
    assert b"Keep which speaker?" in page.content
    assert Speaker.objects.filter(pk=dupe.pk).exists()
    done = editor_client.post(url, {**selected, "post": "yes", "target": keep.pk})
    assert done.status_code == 302
    assert not Speaker.objects.filter(pk=dupe.pk).exists()
    quote.refresh_from_db()
    assert quote.speaker == keep
    assert quote.history.first().history_user == editor


def test_editor_adds_an_alias_inline_and_a_taken_one_is_refused(editor_client):
    ivana = make_speaker("Ivana Testerova")
    marco = make_speaker("Marco Examplo")
    url = reverse("admin:speakers_speaker_change", args=[marco.pk])
    marco_alias = marco.aliases.get()

    def post(new_alias):
        return editor_client.post(
            url,
            {
                "name": "Marco Examplo",
                "slug": "marco-examplo",
                "kind": "person",
                "aliases-TOTAL_FORMS": 2,
                "aliases-INITIAL_FORMS": 1,
                "aliases-0-id": marco_alias.pk,
                "aliases-0-speaker": marco.pk,
                "aliases-0-name": "Marco Examplo",
                "aliases-1-speaker": marco.pk,
                "aliases-1-name": new_alias,
            },
        )

    refused = post("Ivana  Testerova")
    assert refused.status_code == 200
    assert "already names Ivana Testerova" in refused.content.decode()
    assert SpeakerAlias.objects.get(normalised="ivana testerova").speaker == ivana

    assert post("M. Examplo").status_code == 302
    assert SpeakerAlias.objects.get(normalised="m examplo").speaker == marco


# Readers and staff without permission are refused --------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_are_sent_to_the_login_page(client, quotes, who):
    if who == "reader":
        client.force_login(make_user("reader", staff=False))
    for url in [CHANGELIST, QUEUE, reverse("admin:quotes_quote_change", args=[quotes["doubt"].pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    response = decide(client, quotes["doubt"], decision="reject")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.MACHINE


def test_staff_without_permission_is_refused(client, quotes):
    client.force_login(make_user("intern"))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(QUEUE).status_code == 403
    assert decide(client, quotes["doubt"], decision="reject").status_code == 403
    merge = client.post(
        reverse("admin:speakers_speaker_changelist"),
        {"action": "merge_speakers", "_selected_action": [quotes["doubt"].speaker_id]},
    )
    assert merge.status_code == 403
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.MACHINE


def test_staff_with_view_permission_only_can_read_but_not_write(client, quotes):
    client.force_login(make_user("viewer", perms=["quotes.view_quote", "speakers.view_speaker"]))
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert 'value="confirm"' not in queue.content.decode()
    assert decide(client, quotes["doubt"], decision="confirm").status_code == 403
    change = client.post(
        reverse("admin:quotes_quote_change", args=[quotes["doubt"].pk]),
        {"kind": "direct", "status": "confirmed", "start": 0, "end": 5},
    )
    assert change.status_code == 403
    bulk = client.post(
        CHANGELIST, {"action": "confirm_selected", "_selected_action": [quotes["doubt"].pk]}
    )
    assert bulk.status_code in (200, 302)  # Django ignores an action the user may not run
    quotes["doubt"].refresh_from_db()
    assert quotes["doubt"].status == Quote.Status.MACHINE


def test_articles_are_read_only_for_editors(editor_client):
    article = make_article()
    make_quote(article, "We are not going to give up,")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert b"We are not going to give up," in response.content
    assert editor_client.post(url, {"title": "Hacked"}).status_code == 403
    assert editor_client.get(reverse("admin:articles_article_add")).status_code == 403
