"""/api/triage/rules: the CS director's rule editor through the API. Scope as in the UI (only a
CS director; another dealer group's rule is 404), every write through the services with its
revision, and the effect of a rule on the suggestions of POST /api/triage/suggest."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaintdesk.org.models import DealerGroup, Role
from complaintdesk.org.services import api_token_create, role_grant
from complaintdesk.testing import make_store_with_staff
from complaintdesk.triage import services
from complaintdesk.triage.models import TriageRule, TriageRuleRevision

pytestmark = pytest.mark.django_db

RULES = "/api/triage/rules"
# 2026-03-02 10:30 in Shanghai (UTC+8, no daylight saving).
T0 = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client, method, url, body=None, **extra):
    data = json.dumps(body, ensure_ascii=False) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json", **extra)


def suggest(client, store, text):
    response = send(client, "post", "/api/triage/suggest", {"summary": text, "store": store.pk})
    assert response.status_code == 200, response.content
    return response.json()


def field_names(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.fixture
def far(db):
    """A store of another dealer group, with its own CS director."""
    group = DealerGroup.objects.create(code="far-group", name="远方集团")
    return make_store_with_staff("far", group=group, prefix="far-")


def rule_body(**changes) -> dict:
    # A made-up word that no built-in rule knows (checked in the tests that rely on it).
    body = {
        "keyword": "蓝莓果酱",
        "language": "zh",
        "match": "part",
        "target": "nature",
        "value": "parts_price",
        "weight": 5,
        "note": "测试用词",
    }
    body.update(changes)
    return body


def group_rule(shop, **changes) -> TriageRule:
    data = {**rule_body(), "weight": "3", **changes}
    return services.rule_create(actor=shop.director, now=T0, **data)


# ---------------------------------------------------------------------------------------------
# Listing.


def test_director_lists_the_built_in_rules_and_finds_a_known_one(shop):
    response = login(shop.director).get(RULES, {"q": "异响"})
    assert response.status_code == 200, response.content
    data = response.json()
    group = shop.store.group
    assert data["group"] == {"id": group.pk, "code": group.code, "name": group.name}
    # default_rules.py: 异响 is one of the Chinese defect symptoms, quality, weight 3, "part".
    assert data["count"] == 1
    (item,) = data["items"]
    builtin = TriageRule.objects.get(group=None, keyword="异响")
    assert item["id"] == builtin.pk
    assert (item["keyword"], item["weight"], item["enabled"], item["note"]) == (
        "异响",
        3.0,
        True,
        "a defect symptom",
    )
    assert item["language"]["code"] == "zh"
    assert item["match"]["code"] == "part"
    assert item["target"]["code"] == "nature"
    assert item["value"]["code"] == "quality"
    assert (item["builtin"], item["group"], item["replaces"], item["adapted_by"]) == (
        True,
        None,
        None,
        None,
    )
    assert item["in_force"] is True
    assert item["updated_at"].endswith("+08:00")  # the store's zone, Asia/Shanghai


def test_list_has_the_groups_rules_and_pages(shop):
    with time_machine.travel(T0, tick=False):
        rule = group_rule(shop)
    client = login(shop.director)
    found = client.get(RULES, {"q": "蓝莓", "target": "nature", "value": "parts_price"}).json()
    assert found["count"] == 1
    item = found["items"][0]
    assert item["id"] == rule.pk
    assert item["builtin"] is False
    assert item["group"]["id"] == shop.store.group_id
    assert item["created_by"]["username"] == shop.director.username
    assert item["created_at"] == "2026-03-02T10:30:00+08:00"
    assert item["weight"] == 3.0

    everything = client.get(RULES, {"limit": 200}).json()
    assert everything["count"] == TriageRule.objects.count()
    page = client.get(RULES, {"limit": 2, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"]) == (everything["count"], 2, 1)
    assert [r["id"] for r in page["items"]] == [r["id"] for r in everything["items"][1:3]]
    severity = client.get(RULES, {"target": "severity", "limit": 200}).json()
    assert severity["count"] == TriageRule.objects.filter(target="severity").count()
    assert {r["target"]["code"] for r in severity["items"]} == {"severity"}


def test_list_reads_no_row_twice(shop):
    """The page is built from two queries of rules however many rows it shows."""
    client = login(shop.director)
    client.get(RULES)  # warm the session and the auth lookups
    with CaptureQueriesContext(connection) as one:
        assert client.get(RULES, {"limit": 1}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(RULES, {"limit": 200}).json()["items"]) == 200
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"target": "colour"}, "target"),
        ({"target": "severity", "value": "quality"}, "value"),
        ({"value": "purple"}, "value"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"group": "abc"}, "group"),
        ({"q": "x" * 61}, "q"),
    ],
)
def test_list_refuses_bad_filters(shop, query, field):
    response = login(shop.director).get(RULES, query)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_failed"
    assert field in field_names(response)


# ---------------------------------------------------------------------------------------------
# Writing, and the effect on the suggestions.


def test_a_created_rule_drives_the_suggestion_and_disabling_removes_it(shop):
    client = login(shop.director)
    text = "客户说蓝莓果酱洒了"
    before = suggest(client, shop.store, text)
    assert before["nature"]["value"] is None  # no rule knows the word yet

    response = send(client, "post", RULES, rule_body())
    assert response.status_code == 201, response.content
    created = response.json()
    rule = TriageRule.objects.get(pk=created["id"])
    assert (rule.group_id, rule.keyword, str(rule.weight), rule.created_by) == (
        shop.store.group_id,
        "蓝莓果酱",
        "5.0",
        shop.director,
    )
    assert (created["builtin"], created["in_force"], created["enabled"]) == (False, True, True)
    assert created["value"]["code"] == "parts_price"

    after = suggest(client, shop.store, text)
    assert after["nature"]["value"]["code"] == "parts_price"
    reason = after["nature"]["reasons"][0]
    assert (reason["rule"], reason["keyword"], reason["found"], reason["weight"]) == (
        rule.pk,
        "蓝莓果酱",
        "蓝莓果酱",
        5.0,
    )

    response = send(client, "post", f"{RULES}/{rule.pk}/disable")
    assert response.status_code == 200, response.content
    assert (response.json()["enabled"], response.json()["in_force"]) == (False, False)
    assert suggest(client, shop.store, text)["nature"]["value"] is None

    response = send(client, "post", f"{RULES}/{rule.pk}/enable")
    assert response.json()["enabled"] is True
    assert suggest(client, shop.store, text)["nature"]["value"]["code"] == "parts_price"
    actions = client.get(f"{RULES}/{rule.pk}/revisions").json()
    assert [r["action"]["code"] for r in actions] == ["enabled", "disabled", "created"]


def test_patch_changes_only_what_is_sent_and_writes_a_revision(shop):
    rule = group_rule(shop)
    client = login(shop.director)
    with time_machine.travel(T1, tick=False):
        response = send(
            client, "patch", f"{RULES}/{rule.pk}", {"weight": "4.5", "value": "labour_charge"}
        )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["weight"], data["value"]["code"]) == (rule.pk, 4.5, "labour_charge")
    assert (data["keyword"], data["note"]) == ("蓝莓果酱", "测试用词")  # not sent: unchanged
    assert data["updated_at"] == "2026-03-02T14:00:00+08:00"

    revisions = client.get(f"{RULES}/{rule.pk}/revisions").json()
    assert [r["action"]["code"] for r in revisions] == ["edited", "created"]
    edited, created = revisions
    assert edited["changes"] == {
        "value": ["parts_price", "labour_charge"],
        "weight": ["3.0", "4.5"],
    }
    assert (edited["before"]["weight"], edited["after"]["weight"]) == ("3.0", "4.5")
    assert edited["actor"]["username"] == shop.director.username
    assert edited["created_at"] == "2026-03-02T14:00:00+08:00"
    assert edited["rule"] == rule.pk
    assert created["before"] is None
    assert created["after"]["keyword"] == "蓝莓果酱"
    assert created["created_at"] == "2026-03-02T10:30:00+08:00"

    # Nothing changed (an empty body, or the same values): no revision.
    assert send(client, "patch", f"{RULES}/{rule.pk}", {}).status_code == 200
    assert send(client, "patch", f"{RULES}/{rule.pk}", {"weight": 4.5}).status_code == 200
    assert TriageRuleRevision.objects.filter(rule=rule).count() == 2

    # PATCH enabled=false is a disable, as in the UI; a null note clears it.
    response = send(client, "patch", f"{RULES}/{rule.pk}", {"enabled": False})
    assert response.json()["enabled"] is False
    assert TriageRuleRevision.objects.filter(rule=rule).first().action == "disabled"
    assert send(client, "patch", f"{RULES}/{rule.pk}", {"note": None}).json()["note"] == ""


def test_patching_a_built_in_rule_makes_the_groups_copy(shop, far):
    builtin = TriageRule.objects.get(group=None, keyword="异响", target="nature")
    client = login(shop.director)
    response = send(client, "patch", f"{RULES}/{builtin.pk}", {"weight": 1})
    assert response.status_code == 200, response.content
    copy = response.json()
    assert copy["id"] != builtin.pk
    assert (copy["builtin"], copy["replaces"], copy["group"]["id"]) == (
        False,
        builtin.pk,
        shop.store.group_id,
    )
    assert (copy["keyword"], copy["weight"], copy["in_force"]) == ("异响", 1.0, True)
    builtin.refresh_from_db()
    assert str(builtin.weight) == "3.0"  # the shipped rule is untouched

    shown = client.get(f"{RULES}/{builtin.pk}").json()
    assert (shown["adapted_by"], shown["in_force"]) == (copy["id"], False)
    # Another group still has the built-in rule in force.
    theirs = login(far.director).get(f"{RULES}/{builtin.pk}").json()
    assert (theirs["adapted_by"], theirs["in_force"]) == (None, True)

    (rev,) = client.get(f"{RULES}/{copy['id']}/revisions").json()
    assert rev["action"]["code"] == "overridden"
    assert rev["before"]["built_in_rule"] == builtin.pk
    assert rev["changes"] == {"weight": ["3.0", "1.0"]}
    assert client.get(f"{RULES}/{builtin.pk}/revisions").json() == []

    # Disabling through the built-in id goes to the group's copy: no second copy.
    response = send(client, "post", f"{RULES}/{builtin.pk}/disable")
    assert response.json()["id"] == copy["id"]
    assert response.json()["enabled"] is False
    assert TriageRule.objects.filter(replaces=builtin).count() == 1
    assert suggest(client, shop.store, "异响")["nature"]["value"] is None
    assert suggest(login(far.director), far.store, "异响")["nature"]["value"]["code"] == "quality"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight": 12}, "weight"),
        ({"weight": 0}, "weight"),
        ({"weight": "heavy"}, "weight"),
        ({"keyword": ""}, "keyword"),
        ({"keyword": "!!!"}, "keyword"),
        ({"keyword": "蓝" * 61}, "keyword"),
        ({"keyword": 5}, "keyword"),
        ({"target": "colour"}, "target"),
        ({"target": "severity", "value": "parts_price"}, "value"),
        ({"value": "purple"}, "value"),
        ({"language": "fr"}, "language"),
        ({"note": "注" * 201}, "note"),
        ({"colour": "red"}, "colour"),
        # A built-in rule in force already says 异响 → quality in Chinese.
        ({"keyword": "异响", "value": "quality"}, "keyword"),
    ],
)
def test_create_refuses_bad_input_with_the_field(shop, changes, field):
    response = send(login(shop.director), "post", RULES, rule_body(**changes))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_failed"
    assert field in field_names(response)
    assert not TriageRule.objects.filter(group__isnull=False).exists()
    assert not TriageRuleRevision.objects.exists()


@pytest.mark.parametrize("weight", ["1e400", '"NaN"', '"Infinity"', "[]", "true", "null", "{}"])
def test_any_bad_weight_gets_the_services_message(shop, weight):
    start = json.dumps({k: v for k, v in rule_body().items() if k != "weight"})
    body = f'{start[:-1]}, "weight": {weight}}}'
    response = login(shop.director).post(
        RULES, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [
        {"field": "weight", "message": "A weight from 0.1 to 9.9."}
    ]
    assert not TriageRule.objects.filter(group__isnull=False).exists()


def test_create_needs_the_target_and_value(shop):
    body = rule_body()
    del body["target"], body["value"]
    response = send(login(shop.director), "post", RULES, body)
    assert response.status_code == 422
    assert field_names(response) == {"target", "value"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"keyword": None}, "keyword"),
        ({"enabled": None}, "enabled"),
        ({"weight": 10}, "weight"),
        ({"target": "department"}, "value"),  # parts_price is no department
        ({"keyword": "异响", "value": "quality"}, "keyword"),
    ],
)
def test_patch_refuses_bad_input_and_changes_nothing(shop, changes, field):
    rule = group_rule(shop)
    response = send(login(shop.director), "patch", f"{RULES}/{rule.pk}", changes)
    assert response.status_code == 422, response.content
    assert field in field_names(response)
    rule.refresh_from_db()
    assert (rule.keyword, str(rule.weight), rule.target, rule.enabled) == (
        "蓝莓果酱",
        "3.0",
        "nature",
        True,
    )
    assert TriageRuleRevision.objects.filter(rule=rule).count() == 1


# ---------------------------------------------------------------------------------------------
# Who may do it.


def test_only_a_cs_director_uses_the_rules(shop):
    rule = group_rule(shop)
    for user in (shop.advisor, shop.manager, shop.gm):
        client = login(user)
        for response in (
            client.get(RULES),
            send(client, "post", RULES, rule_body(keyword="果酱")),
            client.get(f"{RULES}/{rule.pk}"),
            send(client, "patch", f"{RULES}/{rule.pk}", {"weight": 1}),
            send(client, "post", f"{RULES}/{rule.pk}/disable"),
            client.get(f"{RULES}/{rule.pk}/revisions"),
        ):
            assert response.status_code == 403, (user, response.content)
            assert response.json()["code"] == "not_permitted"
    rule.refresh_from_db()
    assert (str(rule.weight), rule.enabled) == ("3.0", True)
    assert TriageRule.objects.filter(group__isnull=False).count() == 1
    assert TriageRuleRevision.objects.count() == 1


def test_anonymous_is_401_and_bearer_token_and_session_csrf_work(shop):
    assert Client().get(RULES).status_code == 401
    assert send(Client(), "post", RULES, rule_body()).status_code == 401

    _token, raw = api_token_create(user=shop.director, name="dms")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get(RULES, **auth).status_code == 200
    response = send(Client(), "post", RULES, rule_body(), **auth)
    assert response.status_code == 201, response.content

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(shop.director)
    assert strict.get(RULES).status_code == 200
    response = send(strict, "post", RULES, rule_body(keyword="果酱"))
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not TriageRule.objects.filter(keyword="果酱").exists()


def test_another_groups_director_finds_nothing(shop, far):
    rule = group_rule(shop)
    client = login(far.director)
    for response in (
        client.get(f"{RULES}/{rule.pk}"),
        send(client, "patch", f"{RULES}/{rule.pk}", {"weight": 1}),
        send(client, "post", f"{RULES}/{rule.pk}/enable"),
        send(client, "post", f"{RULES}/{rule.pk}/disable"),
        client.get(f"{RULES}/{rule.pk}/revisions"),
        client.get(RULES, {"group": shop.store.group_id}),
        send(client, "post", f"{RULES}?group={shop.store.group_id}", rule_body(keyword="果酱")),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    listing = client.get(RULES, {"q": "蓝莓"}).json()
    assert (listing["group"]["id"], listing["count"]) == (far.store.group_id, 0)
    rule.refresh_from_db()
    assert (str(rule.weight), rule.enabled) == ("3.0", True)
    assert TriageRuleRevision.objects.count() == 1
    assert not TriageRule.objects.filter(keyword="果酱").exists()


def test_a_director_of_another_store_of_the_same_group_edits_the_groups_rule(shop, other_shop):
    rule = group_rule(shop)
    client = login(other_shop.director)
    assert client.get(f"{RULES}/{rule.pk}").status_code == 200
    response = send(client, "patch", f"{RULES}/{rule.pk}", {"weight": 2})
    assert response.status_code == 200
    assert TriageRuleRevision.objects.filter(rule=rule).first().actor == other_shop.director


def test_a_director_of_two_groups_picks_the_group(shop, far):
    role_grant(user=shop.director, role=Role.CS_DIRECTOR, store=far.store)
    theirs = services.rule_create(actor=far.director, group_id=far.store.group_id, **rule_body())
    client = login(shop.director)
    # The rule's own group is found without ?group=; the other group's view of it is 404.
    assert client.get(f"{RULES}/{theirs.pk}").json()["group"]["id"] == far.store.group_id
    assert client.get(f"{RULES}/{theirs.pk}", {"group": shop.store.group_id}).status_code == 404
    listing = client.get(RULES, {"group": far.store.group_id, "q": "蓝莓"}).json()
    assert [r["id"] for r in listing["items"]] == [theirs.pk]
    response = send(
        client, "post", f"{RULES}?group={far.store.group_id}", rule_body(keyword="果酱")
    )
    assert response.status_code == 201
    assert response.json()["group"]["id"] == far.store.group_id


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/abc", 404, None),
        ("/999999999", 404, None),
        ("/-3", 404, None),
        ("/0", 422, "rule_id"),
        (f"/{2**63}", 422, "rule_id"),
        (f"/{2**63}/revisions", 422, "rule_id"),
        ("/999999999/disable", 404, None),
    ],
)
def test_odd_rule_ids_are_404_or_422(shop, path, status, field):
    client = login(shop.director)
    method = "post" if path.endswith("disable") else "get"
    response = send(client, method, RULES + path)
    assert response.status_code == status, response.content
    if field:
        assert field in field_names(response)
    else:
        assert response.json()["code"] == "not_found"


def test_bad_json_is_422(shop):
    response = login(shop.director).post(RULES, "{not json", content_type="application/json")
    assert response.status_code == 422
    assert field_names(response) == {"body"}
