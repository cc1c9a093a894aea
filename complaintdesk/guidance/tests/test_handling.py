"""Using the playbook on a complaint (SPEC §8): the panel, recording the customer's answer, and
the delay script's "agrees" closing the complaint on the record. Expected states are worked out
by hand from the spec (tiers of SPEC §1, callbacks of SPEC §6)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import EventKind, Nature, Outcome, Status, StepKind
from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.guidance.models import ScriptUse


def client_for(user, lang="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def accepted(shop, nature, **fields) -> Complaint:
    c = new_complaint(shop, **fields)
    return workflow.perform("accept", c.pk, actor=shop.manager, nature=nature)


def use_url(c) -> str:
    return reverse("guidance:script-use", args=[c.pk])


def api_uses(c) -> str:
    return f"/api/guidance/complaints/{c.pk}/script-uses"


def detail(client, c) -> str:
    return client.get(reverse("complaint-detail", args=[c.pk])).content.decode()


def nothing_written(c: Complaint, events_before: int) -> None:
    fresh = Complaint.objects.get(pk=c.pk)
    assert (fresh.status, fresh.version) == (c.status, c.version)
    assert ScriptUse.objects.filter(complaint=c).count() == 0
    assert ComplaintEvent.objects.filter(complaint=c).count() == events_before


# --- the panel ---------------------------------------------------------------------------------


def test_panel_shows_principles_and_the_fitting_script_in_chinese_and_english(shop):
    c = accepted(shop, Nature.DELAY)
    html = detail(client_for(shop.advisor), c)
    assert 'id="guidance-panel"' in html
    assert "耐心倾听，让客户把话说完" in html  # a principle
    assert "工期延误" in html and "同意在店等候，接受进度通报" in html  # the delay script
    assert "配件价格太高" not in html  # parts price does not fit a delay
    assert "Delay of the work" not in html
    assert f'action="{use_url(c)}"' in html and 'hx-post="' in html
    assert "csrfmiddlewaretoken" in html

    html = detail(client_for(shop.advisor, "en"), c)
    assert (
        "Delay of the work" in html and "Agrees to wait at the store with progress updates" in html
    )
    assert "工期延误" not in html


def test_panel_is_not_shown_to_the_person_complained_about(shop):
    c = accepted(shop, Nature.DELAY, involved_staff=[shop.advisor.pk])
    html = detail(client_for(shop.advisor), c)
    assert 'id="guidance-panel"' not in html


# --- an answer that lets the complaint continue -------------------------------------------------


def test_continuing_answer_is_recorded_and_the_complaint_stays(shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    events = c.events.count()
    client = client_for(shop.advisor)
    response = client.post(
        use_url(c),
        {"script": "parts-price", "branch": "asks-discount", "note": "客户希望打九折"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("complaint-detail", args=[c.pk])
    fresh = Complaint.objects.get(pk=c.pk)
    # Nothing on the form changed: same state, same version (no one's open form goes stale).
    assert (fresh.status, fresh.version, fresh.outcome) == (Status.INVESTIGATING, c.version, "")
    use = ScriptUse.objects.get(complaint=c)
    assert (use.script_code, use.branch_code, use.effect, use.ended, use.used_by) == (
        "parts-price",
        "asks-discount",
        "continues",
        False,
        shop.advisor,
    )
    assert c.events.count() == events + 1
    event = c.events.get(kind=EventKind.SCRIPT_USED)
    assert (event.actor, event.from_status, event.to_status, event.comment) == (
        shop.advisor,
        Status.INVESTIGATING,
        Status.INVESTIGATING,
        "客户希望打九折",
    )
    assert {k: event.data[k] for k in ("script", "branch", "effect")} == {
        "script": "parts-price",
        "branch": "asks-discount",
        "effect": "continues",
    }
    # The timeline names the script and the answer, in the reader's language.
    html = detail(client, c)
    timeline = html[html.index('id="timeline"') :]
    assert "配件价格太高" in timeline and "希望价格上有优惠" in timeline
    html = detail(client_for(shop.advisor, "en"), c)
    timeline = html[html.index('id="timeline"') :]
    assert "Parts price too high" in timeline and "Asks for a discount" in timeline


def test_a_receptionist_records_an_answer_but_cannot_close(shop):
    """First-responder duty (SPEC §1): any staff may record; closing is the tier's decision."""
    c = accepted(shop, Nature.DELAY)
    client = client_for(shop.reception)
    ok = post_json(client, api_uses(c), {"script": "delay", "branch": "wants-loan-car"})
    assert ok.status_code == 201
    assert ok.json()["complaint"]["status"]["code"] == "investigating"
    assert ok.json()["ended"] is False
    events = c.events.count()
    refused = post_json(client, api_uses(c), {"script": "delay", "branch": "waits-informed"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_permitted"
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.status == Status.INVESTIGATING
    assert ScriptUse.objects.filter(complaint=c).count() == 1
    assert c.events.count() == events
    # The page offers the closing answers disabled, with the reason.
    html = detail(client, c)
    assert 'value="waits-informed" id="answer-delay-waits-informed" disabled' in html


# --- the delay script's "agrees" ends the complaint on the record --------------------------------


def test_delay_agrees_closes_an_investigating_complaint(shop):
    c = accepted(shop, Nature.DELAY)
    response = post_json(
        client_for(shop.advisor),
        api_uses(c),
        {"script": "delay", "branch": "waits-informed", "note": "客户同意再等两小时"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ended"] is True
    assert body["complaint"]["status"]["code"] == "completed"
    fresh = Complaint.objects.get(pk=c.pk)
    # Resolved and completed: no callback owed (not marked, no further service), so the form
    # goes to the CS center's archive check (SPEC §4, §7).
    assert (fresh.status, fresh.outcome, fresh.remedies, fresh.callback_required) == (
        Status.COMPLETED,
        Outcome.RESOLVED,
        ["apology"],
        False,
    )
    assert fresh.closed_at is not None
    assert fresh.current_step.kind == StepKind.ARCHIVE
    assert "工期延误" in fresh.outcome_explanation
    assert "同意在店等候，接受进度通报" in fresh.outcome_explanation
    assert "客户同意再等两小时" in fresh.outcome_explanation
    # One timeline row records the answer and the closing (the other is the archive step's
    # assignment, written by the workflow for every new step).
    assert sorted(
        fresh.events.filter(action="settle_by_script").values_list("kind", flat=True)
    ) == [
        EventKind.ASSIGNED,
        EventKind.SCRIPT_USED,
    ]
    event = fresh.events.get(action="settle_by_script", kind=EventKind.SCRIPT_USED)
    assert (event.from_status, event.to_status, event.actor) == (
        Status.INVESTIGATING,
        Status.COMPLETED,
        shop.advisor,
    )
    assert (event.data["script"], event.data["branch"], event.data["effect"]) == (
        "delay",
        "waits-informed",
        "ends",
    )
    use = ScriptUse.objects.get(complaint=c)
    assert (use.ended, use.effect, event.data["use"]) == (True, "ends", use.pk)


def test_delay_shuttle_is_further_service_and_goes_to_callback(shop):
    """SPEC §6: ended in further service (the shuttle) → called back within 3 working days."""
    c = accepted(shop, Nature.DELAY)
    response = client_for(shop.manager).post(
        use_url(c), {"script": "delay", "branch": "shuttle-agreed"}
    )
    assert response.status_code == 302
    fresh = Complaint.objects.get(pk=c.pk)
    assert (fresh.status, fresh.outcome, fresh.remedies, fresh.callback_required) == (
        Status.CALLBACK,
        Outcome.RESOLVED,
        ["apology", "loan_car"],
        True,
    )
    assert (fresh.current_step.kind, fresh.current_step.deadline) == (
        StepKind.CALLBACK,
        "callback_after_service",
    )


def test_closing_answer_with_a_callback_asked_for(shop):
    c = accepted(shop, Nature.PARTS_PRICE)
    client_for(shop.director).post(
        use_url(c), {"script": "parts-price", "branch": "accepts", "callback_required": "on"}
    )
    fresh = Complaint.objects.get(pk=c.pk)
    assert (fresh.status, fresh.outcome, fresh.remedies) == (
        Status.CALLBACK,
        Outcome.RESOLVED,
        ["explanation"],
    )
    assert (fresh.current_step.kind, fresh.current_step.deadline) == (StepKind.CALLBACK, "callback")


def test_received_form_without_nature_needs_one_to_close(shop):
    c = new_complaint(shop)  # received at the desk, nature not judged yet
    client = client_for(shop.advisor)
    missing = post_json(client, api_uses(c), {"script": "delay", "branch": "waits-informed"})
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["nature"]
    assert ScriptUse.objects.filter(complaint=c).count() == 0
    wrong = post_json(
        client, api_uses(c), {"script": "delay", "branch": "waits-informed", "nature": "quality"}
    )
    assert wrong.status_code == 422  # the delay script does not fit a quality problem
    assert [e["field"] for e in wrong.json()["errors"]] == ["script"]
    ok = post_json(
        client, api_uses(c), {"script": "delay", "branch": "waits-informed", "nature": "delay"}
    )
    assert ok.status_code == 201
    fresh = Complaint.objects.get(pk=c.pk)
    assert (fresh.status, fresh.nature, fresh.outcome) == (
        Status.COMPLETED,
        Nature.DELAY,
        Outcome.RESOLVED,
    )


def test_tier_decides_who_may_close(shop):
    """SPEC §1: tier 1 = CS director + service advisor (+ callback agent, who only calls back);
    a major complaint is at tier 2, where the department manager and technical director handle
    with the CS center, and the service advisor no longer may close it."""
    c = accepted(shop, Nature.DELAY)
    for user in (shop.caller, shop.finance):
        r = post_json(
            client_for(user), api_uses(c), {"script": "delay", "branch": "waits-informed"}
        )
        assert r.status_code == 403, user
    major = workflow.perform(
        "set_severity", accepted(shop, Nature.DELAY).pk, actor=shop.director, severity="major"
    )
    assert major.tier == 2
    body = {"script": "delay", "branch": "waits-informed"}
    assert post_json(client_for(shop.advisor), api_uses(major), body).status_code == 403
    assert post_json(client_for(shop.techdir), api_uses(major), body).status_code == 201
    assert Complaint.objects.get(pk=major.pk).status == Status.COMPLETED


def test_answers_are_refused_once_responsibility_is_determined(shop):
    from complaintdesk.complaints.tests.factories import walk

    c = walk(shop, new_complaint(shop), to="determine", nature=Nature.DELAY)
    r = post_json(
        client_for(shop.director), api_uses(c), {"script": "delay", "branch": "waits-informed"}
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["script"]
    assert Complaint.objects.get(pk=c.pk).status == Status.MANAGEMENT_REVIEW


# --- who may not ---------------------------------------------------------------------------------


@pytest.mark.parametrize("branch", ["waits-informed", "wants-loan-car"])
def test_the_person_complained_about_is_refused(shop, branch):
    c = accepted(shop, Nature.DELAY, involved_staff=[shop.advisor.pk])
    events = c.events.count()
    ui = client_for(shop.advisor).post(use_url(c), {"script": "delay", "branch": branch})
    assert ui.status_code == 403
    api = post_json(client_for(shop.advisor), api_uses(c), {"script": "delay", "branch": branch})
    assert api.status_code == 403
    assert api.json()["code"] == "conflict_of_interest"
    nothing_written(c, events)
    # The direct workflow action refuses too.
    act = post_json(
        client_for(shop.advisor),
        f"/api/complaints/{c.pk}/actions/settle_by_script",
        {"script": "delay", "branch": "waits-informed"},
    )
    assert act.status_code == 403
    nothing_written(c, events)


def test_another_stores_staff_get_not_found(shop, other_shop):
    c = accepted(shop, Nature.DELAY)
    events = c.events.count()
    outsider = client_for(other_shop.director)
    assert (
        outsider.post(use_url(c), {"script": "delay", "branch": "waits-informed"}).status_code
        == 404
    )
    assert outsider.get(f"/api/guidance/complaints/{c.pk}").status_code == 404
    assert outsider.get(api_uses(c)).status_code == 404
    r = post_json(outsider, api_uses(c), {"script": "delay", "branch": "waits-informed"})
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    nothing_written(c, events)


# --- the API read -------------------------------------------------------------------------------


def test_api_guidance_for_a_complaint(shop):
    c = accepted(shop, Nature.LABOUR_CHARGE)
    body = client_for(shop.advisor, "en").get(f"/api/guidance/complaints/{c.pk}").json()
    assert body["complaint"]["step"]["code"] == "determine"
    assert (body["can_record"], body["can_settle"]) == (True, True)
    assert [e["code"] for e in body["scripts"]] == ["labour-charge"]
    assert body["scripts"][0]["title"] == "Labour charge too high"
    assert [b["code"] for b in body["scripts"][0]["branches"]] == [
        "accepts",
        "asks-waiver",
        "not-satisfied",
    ]
    assert len(body["principles"]) == 10 and len(body["phrases"]) == 5
    reception = client_for(shop.reception).get(f"/api/guidance/complaints/{c.pk}").json()
    assert (reception["can_record"], reception["can_settle"]) == (True, False)

    post_json(
        client_for(shop.advisor), api_uses(c), {"script": "labour-charge", "branch": "accepts"}
    )
    uses = client_for(shop.director).get(api_uses(c)).json()
    assert [(u["script"], u["branch"], u["ended"]) for u in uses] == [
        ("labour-charge", "accepts", True)
    ]
    assert uses[0]["complaint"]["status"]["code"] == "completed"


def test_api_bad_input_names_the_field(shop):
    c = accepted(shop, Nature.DELAY)
    client = client_for(shop.advisor)
    cases = [
        ({"script": "nope", "branch": "x"}, "script"),
        ({"script": "listen"}, "script"),  # a principle is read, not "used"
        ({"script": "delay"}, "branch"),
        ({"script": "delay", "branch": "nope"}, "branch"),
        ({"script": "delay", "branch": "waits-informed", "extra": 1}, "extra"),
        ({"script": "delay", "branch": "wants-loan-car", "note": "x" * 5001}, "note"),
    ]
    for body, field in cases:
        r = post_json(client, api_uses(c), body)
        assert r.status_code == 422, body
        assert field in [e["field"] for e in r.json()["errors"]], body
    assert ScriptUse.objects.filter(complaint=c).count() == 0


# --- escaping -----------------------------------------------------------------------------------


def test_text_in_the_panel_is_escaped(shop):
    c = accepted(shop, Nature.DELAY)
    client_for(shop.advisor).post(
        use_url(c),
        {"script": "delay", "branch": "still-complains", "note": "<script>alert(1)</script>"},
    )
    html = detail(client_for(shop.advisor), c)
    assert "<script>alert(1)</script>" not in html
    panel = html[html.index('id="guidance-panel"') :]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel


def test_htmx_form_errors_come_back_in_the_panel(shop):
    c = new_complaint(shop)
    response = client_for(shop.advisor).post(
        use_url(c),
        {"script": "delay", "branch": "waits-informed", "note": "<b>x</b>"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="card mb-3" id="guidance-panel">')
    assert "invalid-feedback" in html  # the nature is needed to close
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert ScriptUse.objects.filter(complaint=c).count() == 0


def test_htmx_error_for_a_script_not_listed_is_still_shown(shop):
    c = accepted(shop, Nature.QUALITY)  # the delay script does not fit a quality problem
    response = client_for(shop.advisor, "en").post(
        use_url(c),
        {"script": "delay", "branch": "wants-loan-car"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This script does not fit the complaint" in response.content.decode()
    assert ScriptUse.objects.filter(complaint=c).count() == 0
