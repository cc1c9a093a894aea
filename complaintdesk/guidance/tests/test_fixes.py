"""Regressions found by the tester: a double click or a retry records a script's use once; the
settling note shows once on the timeline; the history names answers by their text; and the
two messages makemessages missed are in the catalog's reach."""

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
import time_machine
from django.db import connections
from django.test import Client
from django.urls import reverse

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventKind, Nature, Status
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.guidance import services
from complaintdesk.guidance.models import ScriptUse
from complaintdesk.guidance.selectors import entry_for
from complaintdesk.guidance.services import entry_snapshot
from complaintdesk.testing import make_store_with_staff

T0 = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)


def client_for(user, lang="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def post_json(client, url, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def accepted(shop, nature) -> Complaint:
    return workflow.perform("accept", new_complaint(shop).pk, actor=shop.manager, nature=nature)


def api_uses(c) -> str:
    return f"/api/guidance/complaints/{c.pk}/script-uses"


def script_events(c) -> int:
    return c.events.filter(kind=EventKind.SCRIPT_USED).count()


# --- 1. a repeat records nothing twice ---------------------------------------------------------


def test_double_click_records_one_use_and_one_event(shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    client = client_for(shop.specialist)
    body = {"script": "parts-price", "branch": "asks-discount", "note": "客户希望打九折"}
    with time_machine.travel(T0, tick=False) as clock:
        first = client.post(reverse("guidance:script-use", args=[c.pk]), body)
        clock.shift(dt.timedelta(milliseconds=150))
        second = client.post(reverse("guidance:script-use", args=[c.pk]), body)
    assert (first.status_code, second.status_code) == (302, 302)
    assert ScriptUse.objects.filter(complaint=c).count() == 1
    assert script_events(c) == 1


def test_service_repeat_returns_the_first_and_another_answer_is_a_second(shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    args = {"actor": shop.specialist, "complaint_id": c.pk, "script": "parts-price"}
    with time_machine.travel(T0, tick=False) as clock:
        use, _ = services.script_use_record(**args, branch="asks-discount", note="九折")
        clock.shift(dt.timedelta(seconds=29))
        again, _ = services.script_use_record(**args, branch="asks-discount", note="九折")
        assert again.pk == use.pk
        assert (ScriptUse.objects.filter(complaint=c).count(), script_events(c)) == (1, 1)
        # A different answer, a different note, or another person is another conversation.
        services.script_use_record(**args, branch="not-satisfied", note="九折")
        services.script_use_record(**args, branch="asks-discount", note="八折")
        services.script_use_record(
            **{**args, "actor": shop.advisor}, branch="asks-discount", note="九折"
        )
        assert (ScriptUse.objects.filter(complaint=c).count(), script_events(c)) == (4, 4)
        # Past the 30 seconds the same answer is a new conversation.
        clock.shift(dt.timedelta(seconds=31))
        services.script_use_record(**args, branch="asks-discount", note="九折")
    assert (ScriptUse.objects.filter(complaint=c).count(), script_events(c)) == (5, 5)


def test_repeated_closing_answer_returns_the_first_instead_of_closed(shop):
    c = accepted(shop, Nature.DELAY)
    client = client_for(shop.advisor)
    body = {"script": "delay", "branch": "waits-informed", "note": "同意再等"}
    first = post_json(client, api_uses(c), body)
    again = post_json(client, api_uses(c), body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["complaint"]["status"]["code"] == "completed"
    assert ScriptUse.objects.filter(complaint=c).count() == 1
    assert c.events.filter(action="settle_by_script", kind=EventKind.SCRIPT_USED).count() == 1
    # Another answer once it is completed is refused, as before: the delay script does not fit
    # the archive step.
    other = post_json(client, api_uses(c), {"script": "delay", "branch": "wants-loan-car"})
    assert other.status_code == 422
    assert [e["field"] for e in other.json()["errors"]] == ["script"]
    assert ScriptUse.objects.filter(complaint=c).count() == 1


def test_idempotency_key_returns_the_first_record(shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    client = client_for(shop.specialist)
    key = {"HTTP_IDEMPOTENCY_KEY": "app-7f3a"}
    with time_machine.travel(T0, tick=False) as clock:
        first = post_json(client, api_uses(c), {"script": "parts-price", "branch": "accepts-x"})
        assert first.status_code == 422  # nothing stored: the key is free
        first = post_json(
            client, api_uses(c), {"script": "parts-price", "branch": "asks-discount"}, **key
        )
        clock.shift(dt.timedelta(minutes=5))  # beyond the 30 s: only the key makes it a retry
        again = post_json(
            client, api_uses(c), {"script": "parts-price", "branch": "asks-discount"}, **key
        )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (ScriptUse.objects.filter(complaint=c).count(), script_events(c)) == (1, 1)
    # The same key on another complaint is a mistake, named on its field.
    other = accepted(shop, Nature.PARTS_PRICE)
    r = post_json(
        client, api_uses(other), {"script": "parts-price", "branch": "asks-discount"}, **key
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["idempotency_key"]
    assert ScriptUse.objects.filter(complaint=other).count() == 0
    # Keys are per user.
    mine = post_json(
        client_for(shop.advisor),
        api_uses(c),
        {"script": "parts-price", "branch": "not-satisfied"},
        **key,
    )
    assert mine.status_code == 201


def test_repeat_checks_still_refuse_the_person_complained_about(shop):
    c = workflow.perform(
        "accept",
        new_complaint(shop, involved_staff=[shop.advisor.pk]).pk,
        actor=shop.manager,
        nature=Nature.PARTS_PRICE,
    )
    services.script_use_record(
        actor=shop.specialist, complaint_id=c.pk, script="parts-price", branch="asks-discount"
    )
    r = post_json(
        client_for(shop.advisor), api_uses(c), {"script": "parts-price", "branch": "asks-discount"}
    )
    assert (r.status_code, r.json()["code"]) == (403, "conflict_of_interest")


def test_repeat_on_another_stores_complaint_is_not_found(shop, other_shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    r = post_json(
        client_for(other_shop.director),
        api_uses(c),
        {"script": "parts-price", "branch": "asks-discount"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert r.status_code == 404
    assert ScriptUse.objects.filter(complaint=c).count() == 0


@pytest.mark.django_db(transaction=True)
def test_six_concurrent_posts_make_one_use():
    shop = make_store_with_staff("gfix")
    c = accepted(shop, Nature.PARTS_PRICE)
    barrier = threading.Barrier(6)
    codes, errors = [], []

    def post():
        try:
            client = client_for(shop.specialist)
            barrier.wait(timeout=30)
            r = post_json(client, api_uses(c), {"script": "parts-price", "branch": "asks-discount"})
            codes.append(r.status_code)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == [200, 200, 200, 200, 200, 201]
    assert ScriptUse.objects.filter(complaint=c).count() == 1
    assert script_events(c) == 1


# --- 2. the two messages makemessages missed ------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (
            "services.py",
            '"Someone else edited this entry after you opened it. Reload it and make your change',
        ),
        ("selectors.py", '"The complaint is closed: nothing more is recorded on it."'),
    ],
)
def test_messages_are_marked_with_a_name_makemessages_extracts(module, message):
    source = (Path(services.__file__).parent / module).read_text(encoding="utf-8")
    at = source.index(message)
    call = source[:at].rstrip().rsplit("\n", 1)[-1]
    assert call.endswith(("gettext_lazy(", "gettext(", " _(", "=_(")), call
    assert "as _lazy" not in source


# --- 3. the settling note once on the timeline ---------------------------------------------------


def test_settling_note_shows_once_on_the_timeline(shop):
    c = accepted(shop, Nature.DELAY)
    note = "客户同意再等两小时，已致歉"
    r = post_json(
        client_for(shop.advisor),
        api_uses(c),
        {"script": "delay", "branch": "waits-informed", "note": note},
    )
    assert r.status_code == 201
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.status == Status.COMPLETED
    assert fresh.outcome_explanation.endswith("\n" + note)  # the form keeps it
    html = client_for(shop.director).get(reverse("complaint-detail", args=[c.pk])).content
    html = html.decode()
    timeline = html[html.index('id="timeline"') :]
    assert timeline.count(note) == 1
    assert f'<div class="ms-2 text-block comment">{note}</div>' in timeline
    assert "同意在店等候，接受进度通报" in timeline  # the explanation itself is still shown


# --- 4. the history names an answer by its text, not its code ------------------------------------


def test_history_names_answers_by_their_text(shop):
    branches = entry_snapshot(entry_for(shop.store, "delay"))["branches"]
    changed = [{**b, "effect": "ends"} if b["code"] == "still-complains" else b for b in branches]
    services.entry_update(
        actor=shop.director,
        store=shop.store,
        code="delay",
        expected_version=1,
        branches=changed,
    )
    url = reverse("guidance:entry-history", args=[shop.store.pk, "delay"])
    html = client_for(shop.director).get(url).content.decode()
    assert "答复“仍要投诉或要求赔偿”：结果" in html
    assert "still-complains" not in html
    html = client_for(shop.director, "en").get(url).content.decode()
    assert "Answer “Still wants to complain, or asks for compensation”: effect" in html.replace(
        "&#x27;", "'"
    )
