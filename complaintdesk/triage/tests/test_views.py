"""The triage pages through HTTP: the suggestion panel of the intake form, the complaint page's
box, and the CS director's rule editor with its history and its scope per dealer group."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.org.models import DealerGroup
from complaintdesk.testing import make_store_with_staff
from complaintdesk.triage import selectors, services
from complaintdesk.triage.models import TriageRule, TriageRuleRevision

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def far(db):
    """A store of another dealer group, with its own CS director."""
    group = DealerGroup.objects.create(code="far-group", name="远方集团")
    return make_store_with_staff("far", group=group, prefix="far-")


def suggest(client, **data):
    return client.post(reverse("triage:suggest"), data)


# ---------------------------------------------------------------------------------------------
# The suggestion panel.


def test_panel_suggests_with_reasons_and_apply_values(shop, calibration):
    calibration(
        {"nature": {"quality": {"precision": 0.9, "predicted": 30, "support": 30, "tp": 27}}}
    )
    response = suggest(
        login(shop.reception),
        summary="发动机异响",
        description="底盘漏油",
        store=shop.store.pk,
    )
    assert response.status_code == 200
    html = response.content.decode()
    button = re.search(r"<button[^>]*data-triage-apply[^>]*>", html).group(0)
    assert 'data-nature="quality"' in button
    assert 'data-severity="ordinary"' in button
    assert f'data-department="{shop.department("service").pk}"' in button
    assert re.search(r'triage-nature[^"]*" data-confidence="high"', html)
    # Severity and department were never measured here: shown as guesses.
    assert re.search(r'triage-severity text-body-secondary fst-italic" data-confidence="low"', html)
    assert '<mark class="px-0">异响</mark>' in html and "漏油" in html


def test_panel_without_text_is_a_hint(shop):
    response = suggest(login(shop.reception), summary="  ", store=shop.store.pk)
    assert response.status_code == 200
    assert "data-triage-apply" not in response.content.decode()


def test_panel_refuses_bad_input(shop, other_shop):
    client = login(shop.reception)
    assert suggest(client, summary="异" * 201, store=shop.store.pk).status_code == 400
    assert suggest(client, summary="异响", store=other_shop.store.pk).status_code == 404
    assert suggest(client, summary="异响", store="abc").status_code == 404
    assert client.get(reverse("triage:suggest")).status_code == 405
    anonymous = Client().post(reverse("triage:suggest"), {"summary": "异响"})
    assert anonymous.status_code == 302


def test_panel_escapes_customer_text(shop):
    client = login(shop.director)
    html = suggest(
        client, description="<script>alert(1)</script>发动机异响", store=shop.store.pk, tokens="1"
    ).content.decode()
    assert "<script>" not in html
    assert "&lt;" in html  # the segmentation shown by the rule tester, escaped
    html = suggest(
        client, description="<b>The dealer can't duplicate the noise</b>", store=shop.store.pk
    ).content.decode()
    assert "<b>" not in html
    assert "can&#x27;t duplicate" in html  # the matched words, escaped


def test_intake_form_carries_the_panel_and_the_department_choice(shop):
    html = login(shop.reception).get(reverse("complaint-new")).content.decode()
    assert 'id="triage-panel"' in html
    assert f'hx-post="{reverse("triage:suggest")}"' in html
    assert 'hx-trigger="keyup changed delay:600ms, input changed delay:600ms"' in html
    assert 'name="concerned_department"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_complaint_page_shows_suggested_and_chosen(shop, other_shop):
    c = new_complaint(shop, summary="发动机异响", description="4S店态度也差", nature="attitude")
    html = login(shop.manager).get(reverse("complaint-detail", args=[c.pk])).content.decode()
    box = html[html.index('id="triage-record"') :]
    assert "✗" in box  # attitude chosen against the suggested quality
    assert "异响" in box
    assert (
        login(other_shop.manager).get(reverse("complaint-detail", args=[c.pk])).status_code == 404
    )


def test_the_person_complained_about_sees_the_box_but_nothing_to_act_on(shop):
    c = new_complaint(shop, summary="发动机异响", involved_staff=[shop.advisor.pk])
    html = login(shop.advisor).get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert 'id="triage-record"' in html and 'id="involved-notice"' in html
    assert "data-triage-apply" not in html


# ---------------------------------------------------------------------------------------------
# The rule editor.


def rule_data(**changes):
    data = {
        "keyword": "机油灯",
        "language": "zh",
        "match": "part",
        "target": "nature",
        "value": "quality",
        "weight": "3",
        "enabled": "on",
        "note": "仪表机油灯",
    }
    data.update(changes)
    return data


def test_only_the_cs_director_edits_rules(shop):
    assert login(shop.director).get(reverse("triage:rules")).status_code == 200
    for user in (shop.manager, shop.reception, shop.gm):
        client = login(user)
        assert client.get(reverse("triage:rules")).status_code == 403
        assert client.post(reverse("triage:rule-new"), rule_data()).status_code == 403
    assert not TriageRule.objects.filter(group__isnull=False).exists()
    assert Client().get(reverse("triage:rules")).status_code == 302


def test_director_adds_edits_and_disables_with_history(shop):
    client = login(shop.director)
    response = client.post(reverse("triage:rule-new"), rule_data())
    assert response.status_code == 302
    rule = TriageRule.objects.get(group=shop.store.group)
    assert (rule.keyword, rule.value, str(rule.weight), rule.created_by) == (
        "机油灯",
        "quality",
        "3.0",
        shop.director,
    )
    client.post(
        reverse("triage:rule-edit", args=[rule.pk]),
        rule_data(weight="4.5", value="unclear_quality"),
    )
    client.post(reverse("triage:rule-toggle", args=[rule.pk]), {"enabled": "0"})
    revisions = list(TriageRuleRevision.objects.filter(rule=rule).order_by("id"))
    assert [r.action for r in revisions] == ["created", "edited", "disabled"]
    assert revisions[0].before is None and revisions[0].actor == shop.director
    assert (revisions[1].before["weight"], revisions[1].after["weight"]) == ("3.0", "4.5")
    assert (revisions[1].before["value"], revisions[1].after["value"]) == (
        "quality",
        "unclear_quality",
    )
    assert (revisions[2].before["enabled"], revisions[2].after["enabled"]) == (True, False)
    history = client.get(reverse("triage:rule-history", args=[rule.pk])).content.decode()
    assert history.count("<tr>") == 1 + 3  # header and three changes
    # Labels, not codes: the nature's Chinese name, and 否 for the disabled rule.
    assert "质量问题（责任暂不明确）" in history and "unclear_quality" not in history


def test_bad_rule_input_lands_on_the_form_and_writes_nothing(shop):
    client = login(shop.director)
    for bad, field in (
        ({"weight": "12"}, "weight"),
        ({"keyword": "!!!"}, "keyword"),
        ({"target": "severity", "value": "quality"}, "value"),
        ({"keyword": "异响", "value": "quality"}, "keyword"),  # a built-in rule already says so
    ):
        response = client.post(reverse("triage:rule-new"), rule_data(**bad))
        assert response.status_code == 200, bad
        assert field in response.context["form"].errors, bad
    assert not TriageRule.objects.filter(group__isnull=False).exists()
    assert not TriageRuleRevision.objects.exists()


def test_adapting_a_built_in_rule_changes_it_for_the_group_only(shop, far):
    builtin = TriageRule.objects.get(group=None, keyword="异响", target="nature")
    client = login(shop.director)
    client.post(reverse("triage:rule-toggle", args=[builtin.pk]), {"enabled": "0"})
    copy = TriageRule.objects.get(group=shop.store.group, replaces=builtin)
    assert copy.enabled is False
    builtin.refresh_from_db()
    assert builtin.enabled is True  # the shipped rule is untouched
    assert TriageRuleRevision.objects.get(rule=copy).action == "overridden"
    ours = services.suggest(group_id=shop.store.group_id, summary="异响")
    theirs = services.suggest(group_id=far.store.group_id, summary="异响")
    assert ours.nature.value == ""
    assert theirs.nature.value == "quality"
    # Editing the built-in rule again goes to the group's copy.
    response = client.get(reverse("triage:rule-edit", args=[builtin.pk]))
    assert response.status_code == 302
    assert reverse("triage:rule-edit", args=[copy.pk]) in response["Location"]


def test_another_groups_rules_are_not_found(shop, far):
    rule = services.rule_create(actor=shop.director, **rule_data(enabled=True))
    client = login(far.director)
    assert client.get(reverse("triage:rule-edit", args=[rule.pk])).status_code == 404
    assert client.get(reverse("triage:rule-history", args=[rule.pk])).status_code == 404
    assert (
        client.post(reverse("triage:rule-toggle", args=[rule.pk]), {"enabled": "0"}).status_code
        == 404
    )
    listing = client.get(reverse("triage:rules"), {"q": "机油灯"}).content.decode()
    assert not re.findall(r'data-rule="\d+"', listing)
    assert client.get(reverse("triage:rules"), {"group": shop.store.group_id}).status_code == 404
    rule.refresh_from_db()
    assert rule.enabled is True
    assert selectors.directed_group_ids(far.director) == {far.store.group_id}


def test_a_store_of_the_same_group_shares_the_groups_rules(shop, other_shop):
    rule = services.rule_create(actor=shop.director, **rule_data(enabled=True))
    response = login(other_shop.director).get(reverse("triage:rule-edit", args=[rule.pk]))
    assert response.status_code == 200


def test_rule_list_filters_and_shows_the_tester(shop):
    client = login(shop.director)
    html = client.get(reverse("triage:rules"), {"target": "severity", "q": "律师"}).content.decode()
    assert 'id="tester-text"' in html
    rows = re.findall(r'<tr class="[^"]*" data-rule="\d+">', html)
    assert len(rows) == 1


def test_nav_filter_tells_who_edits_rules(shop):
    from complaintdesk.triage.templatetags.triage import edits_triage_rules

    assert edits_triage_rules(shop.director) is True
    assert edits_triage_rules(shop.manager) is False


def test_built_in_rule_notes_read_in_the_readers_language(shop):
    builtin = TriageRule.objects.get(group=None, keyword="异响", target="nature")
    assert builtin.note == "a defect symptom"  # stored as written in default_rules.py
    zh = login(shop.director)
    zh.cookies["django_language"] = "zh-hans"
    html = zh.get(reverse("triage:rules"), {"q": "异响", "target": "nature"}).content.decode()
    row = html[html.index(f'data-rule="{builtin.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "故障症状" in row and "a defect symptom" not in row
    en = login(shop.director)
    en.cookies["django_language"] = "en"
    html = en.get(reverse("triage:rules"), {"q": "异响", "target": "nature"}).content.decode()
    assert "a defect symptom" in html
    # The edit form shows the note as read; sent back unchanged, the stored text stays.
    form = zh.get(reverse("triage:rule-edit", args=[builtin.pk])).content.decode()
    assert 'value="故障症状"' in form
    data = rule_data(keyword="异响", match="part", weight="4", note="故障症状")
    assert zh.post(reverse("triage:rule-edit", args=[builtin.pk]), data).status_code == 302
    copy = TriageRule.objects.get(group=shop.store.group, replaces=builtin)
    assert (copy.note, copy.weight) == ("a defect symptom", 4)
    history = zh.get(reverse("triage:rule-history", args=[copy.pk])).content.decode()
    assert "a defect symptom" not in history  # no note change recorded or shown
    # Disabling a built-in rule makes a copy whose note reads the same way.
    other = TriageRule.objects.get(group=None, keyword="漏油", target="nature")
    zh.post(reverse("triage:rule-toggle", args=[other.pk]), {"enabled": "0"})
    html = zh.get(reverse("triage:rules"), {"q": "漏油", "target": "nature"}).content.decode()
    assert "a defect symptom" not in html and "故障症状" in html
    # A note the director wrote reads as written.
    services.rule_create(actor=shop.director, **rule_data(enabled=True))
    html = zh.get(reverse("triage:rules"), {"q": "机油灯"}).content.decode()
    assert "仪表机油灯" in html


def test_toggle_needs_a_clear_yes_or_no(shop):
    rule = services.rule_create(actor=shop.director, **rule_data(enabled=True))
    client = login(shop.director)
    client.cookies["django_language"] = "en"
    r = client.post(
        reverse("triage:rule-toggle", args=[rule.pk]), {"enabled": "maybe"}, follow=True
    )
    assert "Say whether to enable (1) or disable (0) the rule." in r.content.decode()
    rule.refresh_from_db()
    assert rule.enabled is True
