"""The CS director keeps the store's playbook (SPEC §8): who may edit, the store's own copy of
shipped content, and the history of edits with what changed."""

import json

from django.test import Client
from django.urls import reverse

from complaintdesk.complaints import workflow
from complaintdesk.complaints.choices import Nature
from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.guidance import selectors
from complaintdesk.guidance.models import GuidanceEntry, GuidanceRevision
from complaintdesk.org.models import Role
from complaintdesk.org.services import role_grant
from complaintdesk.testing import make_store_with_staff


def client_for(user, lang="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    return client


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def edit_url(shop, code="delay"):
    return reverse("guidance:entry-edit", args=[shop.store.pk, code])


def shipped(code="delay") -> GuidanceEntry:
    return GuidanceEntry.objects.get(store__isnull=True, code=code)


def form_data(entry: GuidanceEntry, **changes) -> dict:
    """The edit form as the page renders it, with some fields changed."""
    data = {
        "title_zh": entry.title_zh,
        "title_en": entry.title_en,
        "body_zh": entry.body_zh,
        "body_en": entry.body_en,
        "natures": list(entry.natures),
        "steps": list(entry.steps),
        "order": entry.order,
        "active": "on" if entry.active else "",
        "version": entry.version,
    }
    branches = list(entry.branches.all())
    if entry.kind == "script":
        data.update(
            {
                "branches-TOTAL_FORMS": len(branches) + 1,
                "branches-INITIAL_FORMS": len(branches),
                "branches-MIN_NUM_FORMS": 0,
                "branches-MAX_NUM_FORMS": 12,
            }
        )
        for i, b in enumerate(branches):
            for name in ("code", "label_zh", "label_en", "reply_zh", "reply_en", "effect"):
                data[f"branches-{i}-{name}"] = getattr(b, name)
            data[f"branches-{i}-remedies"] = list(b.remedies)
        data[f"branches-{len(branches)}-effect"] = "continues"
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_only_the_cs_director_edits(shop):
    entry = shipped()
    for user in (shop.manager, shop.specialist, shop.gm, shop.storemgr, shop.advisor):
        client = client_for(user)
        assert client.get(edit_url(shop)).status_code == 403, user
        r = client.post(edit_url(shop), form_data(entry, title_en="Changed"))
        assert r.status_code == 403, user
        r = send(
            client,
            "patch",
            f"/api/guidance/entries/delay?store={shop.store.pk}",
            {"version": 1, "title_en": "Changed"},
        )
        assert (r.status_code, r.json()["code"]) == (403, "not_permitted"), user
    assert GuidanceRevision.objects.count() == 0
    assert not GuidanceEntry.objects.filter(store__isnull=False).exists()
    # Everyone with a role in the store reads it.
    page = client_for(shop.finance).get(reverse("guidance:entries")).content.decode()
    assert "工期延误" in page and "/edit/" not in page


def test_directors_edit_makes_the_stores_copy_and_a_revision(shop, other_shop):
    entry = shipped()
    data = form_data(
        entry,
        title_en="Delay (our wording)",
        **{
            "branches-4-code": "asks-discount",
            "branches-4-label_zh": "要求减免部分费用",
            "branches-4-label_en": "Asks for part of the bill to be waived",
            "branches-4-reply_zh": "我向主管申请后答复您。",
            "branches-4-reply_en": "I will ask my manager and answer you.",
            "branches-4-effect": "continues",
        },
    )
    response = client_for(shop.director).post(edit_url(shop), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own = GuidanceEntry.objects.get(store=shop.store, code="delay")
    assert (own.title_en, own.title_zh, own.version, own.updated_by) == (
        "Delay (our wording)",
        "工期延误",
        2,
        shop.director,
    )
    assert [b.code for b in own.branches.all()] == [
        "shuttle-agreed",
        "waits-informed",
        "wants-loan-car",
        "still-complains",
        "asks-discount",
    ]
    # The shipped entry is untouched; the other store still reads it.
    assert shipped().title_en == "Delay of the work"
    assert selectors.entry_for(other_shop.store, "delay").pk == shipped().pk
    assert selectors.entry_for(shop.store, "delay").pk == own.pk

    revision = GuidanceRevision.objects.get()
    assert (revision.entry, revision.editor) == (own, shop.director)
    assert (revision.before["title_en"], revision.after["title_en"]) == (
        "Delay of the work",
        "Delay (our wording)",
    )
    assert (revision.before["store"], revision.after["store"]) == (None, shop.store.pk)
    assert len(revision.before["branches"]) == 4 and len(revision.after["branches"]) == 5

    html = client_for(shop.manager, "en").get(
        reverse("guidance:entry-history", args=[shop.store.pk, "delay"])
    )
    text = html.content.decode()
    assert "Delay of the work" in text and "Delay (our wording)" in text
    assert "Asks for part of the bill to be waived" in text
    # The complaint page of this store shows the store's wording; the other store's the shipped.
    c = workflow.perform("accept", new_complaint(shop).pk, actor=shop.manager, nature="delay")
    page = client_for(shop.advisor, "en").get(reverse("complaint-detail", args=[c.pk]))
    assert "Delay (our wording)" in page.content.decode()


def test_an_edit_that_changes_nothing_writes_nothing(shop):
    entry = shipped("listen")
    r = client_for(shop.director).post(edit_url(shop, "listen"), form_data(entry))
    assert r.status_code == 302
    assert GuidanceRevision.objects.count() == 0
    assert not GuidanceEntry.objects.filter(store=shop.store).exists()


def test_api_edit_versions_and_history(shop):
    client = client_for(shop.director, "en")
    url = f"/api/guidance/entries/parts-price?store={shop.store.pk}"
    r = send(client, "patch", url, {"version": 1, "natures": ["parts_price", "other"]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["own"], body["version"]) == (True, 2)
    assert [n["code"] for n in body["natures"]] == ["parts_price", "other"]
    stale = send(client, "patch", url, {"version": 1, "title_en": "x"})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    bad = send(
        client,
        "patch",
        url,
        {
            "version": 2,
            "title_zh": "",
            "branches": [
                {
                    "code": "Bad Code",
                    "label_zh": "接受",
                    "label_en": "Accepts",
                    "reply_zh": "谢谢",
                    "reply_en": "Thanks",
                    "effect": "ends",
                }
            ],
        },
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"title_zh", "branches.0.code"}
    principle = send(
        client,
        "patch",
        f"/api/guidance/entries/listen?store={shop.store.pk}",
        {
            "version": 1,
            "branches": [
                {
                    "code": "a",
                    "label_zh": "好",
                    "label_en": "OK",
                    "reply_zh": "谢谢",
                    "reply_en": "Thanks",
                    "effect": "ends",
                }
            ],
        },
    )
    assert principle.status_code == 422
    assert [e["field"] for e in principle.json()["errors"]] == ["branches"]

    history = client.get(f"/api/guidance/entries/parts-price/revisions?store={shop.store.pk}")
    assert history.status_code == 200
    [rev] = history.json()
    assert rev["editor"]["id"] == shop.director.pk
    assert rev["changes"] == [
        {
            "field": "natures it fits",
            "before": "Parts price",
            "after": "Parts price, Other",  # an English list (、 in Chinese)
        }
    ]
    # A complaint of nature "other" now gets the parts-price script in this store.
    assert [e.code for e in selectors.fitting(shop.store, nature=Nature.OTHER, kind="script")] == [
        "parts-price"
    ]


def test_another_stores_director_cannot_reach_this_store(shop, other_shop):
    client = client_for(other_shop.director)
    assert client.get(edit_url(shop)).status_code == 404
    assert client.post(edit_url(shop), form_data(shipped(), title_en="x")).status_code == 404
    assert client.get(reverse("guidance:entry", args=[shop.store.pk, "delay"])).status_code == 404
    r = send(client, "patch", f"/api/guidance/entries/delay?store={shop.store.pk}", {"version": 1})
    assert r.status_code == 404
    assert client.get(f"/api/guidance/entries?store={shop.store.pk}").status_code == 404
    assert client.get(reverse("guidance:entries") + f"?store={shop.store.pk}").status_code == 404
    assert GuidanceRevision.objects.count() == 0


def test_a_user_of_several_stores_says_which(shop, other_shop):
    role_grant(user=shop.director, role=Role.CS_SPECIALIST, store=other_shop.store)
    client = client_for(shop.director)
    r = client.get("/api/guidance/entries?kind=script")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["store"]
    r = client.get(f"/api/guidance/entries?kind=script&nature=delay&store={other_shop.store.pk}")
    assert [e["code"] for e in r.json()] == ["delay"]
    # A specialist there: reads, but does not edit, that store's playbook.
    r = send(
        client,
        "patch",
        f"/api/guidance/entries/delay?store={other_shop.store.pk}",
        {"version": 1, "title_en": "x"},
    )
    assert r.status_code == 403


def test_list_filters_and_a_user_without_a_store(shop, db):
    client = client_for(shop.advisor, "en")
    page = client.get(reverse("guidance:entries") + "?kind=script&nature=parts_delay")
    text = page.content.decode()
    assert "Delay of the work" in text and "Parts price too high" not in text
    lone = make_store_with_staff("c").director
    lone.grants.all().delete()
    assert client_for(lone).get(reverse("guidance:entries")).status_code == 403


def test_edited_text_is_escaped_on_the_complaint_page(shop):
    client = client_for(shop.director)
    r = send(
        client,
        "patch",
        f"/api/guidance/entries/delay?store={shop.store.pk}",
        {"version": 1, "title_zh": "<b>工期</b><script>alert(2)</script>"},
    )
    assert r.status_code == 200
    c = workflow.perform("accept", new_complaint(shop).pk, actor=shop.manager, nature="delay")
    html = client.get(reverse("complaint-detail", args=[c.pk])).content.decode()
    assert "<script>alert(2)</script>" not in html
    assert "&lt;b&gt;工期&lt;/b&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html


def reset_url(shop, code="delay"):
    return reverse("guidance:entry-reset", args=[shop.store.pk, code])


def test_director_puts_the_stores_version_back_to_the_shipped_text(shop, other_shop):
    director = client_for(shop.director, "en")
    entry_page = reverse("guidance:entry", args=[shop.store.pk, "delay"])
    assert 'id="reset-form"' not in director.get(entry_page).content.decode()  # nothing to reset
    data = form_data(shipped(), title_en="Delay (our wording)", **{"branches-3-code": "ours"})
    assert director.post(edit_url(shop), data).status_code == 302
    own = GuidanceEntry.objects.get(store=shop.store, code="delay")
    assert (own.version, own.branches.count()) == (2, 4)
    assert 'id="reset-form"' in director.get(entry_page).content.decode()
    # Only the store's CS director; another store's cannot even see the store.
    for user in (shop.manager, shop.gm):
        assert client_for(user).post(reset_url(shop), {"version": 2}).status_code == 403
        assert 'id="reset-form"' not in client_for(user).get(entry_page).content.decode()
    assert client_for(other_shop.director).post(reset_url(shop), {"version": 2}).status_code == 404
    # A stale page changes nothing.
    r = director.post(reset_url(shop), {"version": 1}, follow=True)
    assert "Someone else edited this entry" in r.content.decode()
    assert GuidanceEntry.objects.get(pk=own.pk).version == 2

    r = director.post(reset_url(shop), {"version": 2}, follow=True)
    assert "Back to the shipped text. The change is in the history." in r.content.decode()
    own.refresh_from_db()
    assert (own.title_en, own.version) == ("Delay of the work", 3)
    assert [b.code for b in own.branches.all()] == [
        "shuttle-agreed",
        "waits-informed",
        "wants-loan-car",
        "still-complains",
    ]
    last = GuidanceRevision.objects.order_by("-id").first()
    assert (last.before["title_en"], last.after["title_en"]) == (
        "Delay (our wording)",
        "Delay of the work",
    )
    assert GuidanceRevision.objects.count() == 2
    # Resetting again writes nothing.
    assert director.post(reset_url(shop), {"version": 3}).status_code == 302
    assert GuidanceRevision.objects.count() == 2


def test_api_reset(shop, other_shop):
    url = f"/api/guidance/entries/listen/reset?store={shop.store.pk}"
    director = client_for(shop.director)
    r = send(
        director,
        "patch",
        f"/api/guidance/entries/listen?store={shop.store.pk}",
        {"version": 1, "title_en": "Listen first"},
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert send(client_for(shop.manager), "post", url, {"version": 2}).status_code == 403
    assert send(client_for(other_shop.director), "post", url, {"version": 2}).status_code == 404
    r = send(director, "post", url, {"version": 1})
    assert (r.status_code, r.json()["code"]) == (409, "stale_version")
    r = send(director, "post", url, {})
    assert r.status_code == 422 and "version" in json.dumps(r.json())
    r = send(director, "post", url, {"version": 2})
    assert r.status_code == 200
    assert (r.json()["title_en"], r.json()["version"]) == (shipped("listen").title_en, 3)


def test_reset_with_a_bad_version_or_nothing_to_reset_says_so(shop):
    director = client_for(shop.director, "en")
    for bad in ({}, {"version": "abc"}, {"version": "１"}, {"version": "9" * 40}):
        r = director.post(reset_url(shop), bad, follow=True)
        assert "The form came without its version: reload the page." in r.content.decode()
    assert client_for(shop.manager).post(reset_url(shop), {"version": "x"}).status_code == 403
    r = director.post(reset_url(shop), {"version": 1}, follow=True)
    assert "already reads as shipped; nothing changed" in r.content.decode()
    assert not GuidanceEntry.objects.filter(store=shop.store).exists()
    assert GuidanceRevision.objects.count() == 0
    r = send(
        director,
        "post",
        f"/api/guidance/entries/delay/reset?store={shop.store.pk}",
        {"version": 10**30},
    )
    assert r.status_code == 422 and "version" in json.dumps(r.json())


def test_a_tampered_answer_count_renders_a_bounded_form(shop):
    data = form_data(shipped(), **{"branches-TOTAL_FORMS": 1000})
    r = client_for(shop.director, "en").post(edit_url(shop), data)
    assert r.status_code == 422
    html = r.content.decode()
    assert 0 < html.count('name="branches-') and 'name="branches-13-code"' not in html
    assert GuidanceRevision.objects.count() == 0
