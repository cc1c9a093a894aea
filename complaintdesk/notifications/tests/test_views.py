"""The pages through HTTP: a person sees and changes only their own notifications."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.notifications import services
from complaintdesk.notifications.choices import Channel, Kind
from complaintdesk.notifications.models import Delivery, Notification, NotificationPreference
from complaintdesk.notifications.tests.factories import NOW, with_email

LIST = reverse("notifications:list")


def tell(staff, user, key, *, title=None, complaint=None, store=None, body=""):
    services.notify(
        recipients=[user],
        store=store or staff.store,
        kind=Kind.WARNING,
        title=title or f"Due soon: {key}",
        body=body,
        complaint=complaint,
        dedupe_key=key,
        now=NOW,
    )
    return Notification.objects.get(recipient=user, dedupe_key=key)


def ids_on_page(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="notification-(\d+)"', html)]


def test_every_page_requires_login(client, shop):
    n = tell(shop, shop.manager, "w:1")
    for url in (LIST, reverse("notifications:settings"), reverse("notifications:bell")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    for url in (reverse("notifications:read", args=[n.pk]), reverse("notifications:read-all")):
        assert client.post(url).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None


def test_the_list_shows_only_my_own_newest_first_unread_highlighted(client, shop):
    older = tell(shop, shop.manager, "w:1")
    newer = tell(shop, shop.manager, "w:2")
    services.notification_mark_read(actor=shop.manager, notification_id=older.pk, now=NOW)
    tell(shop, shop.director, "w:3", title="For the director only")
    client.force_login(shop.manager)

    response = client.get(LIST)

    html = response.content.decode()
    # Same creation time: the later row comes first.
    assert ids_on_page(html) == [newer.pk, older.pk]
    assert "For the director only" not in html
    assert f'class="list-group-item list-group-item-primary" id="notification-{newer.pk}"' in html
    assert f'class="list-group-item" id="notification-{older.pk}"' in html
    assert response.context["unread"] == 1


def test_another_persons_notification_is_not_found(client, shop):
    theirs = tell(shop, shop.director, "w:1")
    client.force_login(shop.manager)

    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_stores_staff_never_see_this_stores_notifications(client, shop, other_shop):
    # A notification about store A addressed to a user without any grant in store A.
    stray = tell(shop, other_shop.manager, "w:1", store=shop.store, title="Store A secret")
    client.force_login(other_shop.manager)

    html = client.get(LIST).content.decode()
    assert "Store A secret" not in html
    assert client.post(reverse("notifications:read", args=[stray.pk])).status_code == 404
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert "Store A secret" not in bell
    assert 'id="notification-unread"' not in bell


def test_the_staff_complained_about_no_longer_see_notifications_about_it(client, shop):
    complaint = new_complaint(shop)
    n = tell(shop, shop.advisor, "w:1", complaint=complaint, title="About the brake noise")
    complaint.involved_staff.add(shop.advisor)  # named after being told
    client.force_login(shop.advisor)

    assert "About the brake noise" not in client.get(LIST).content.decode()
    assert client.post(reverse("notifications:read", args=[n.pk])).status_code == 404
    assert client.post(reverse("notifications:read-all")).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_one_read_returns_to_the_page_it_came_from(client, shop):
    n = tell(shop, shop.manager, "w:1")
    client.force_login(shop.manager)
    url = reverse("notifications:read", args=[n.pk])

    assert client.get(url).status_code == 405  # a change is a POST
    response = client.post(url, {"next": "/complaints/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/complaints/?page=2"
    n.refresh_from_db()
    assert n.read_at is not None


def test_next_never_leads_off_the_site(client, shop):
    n = tell(shop, shop.manager, "w:1")
    client.force_login(shop.manager)
    response = client.post(
        reverse("notifications:read", args=[n.pk]), {"next": "https://evil.example/x"}
    )
    assert response["Location"] == LIST


def test_mark_all_read_touches_only_mine(client, shop):
    mine = [tell(shop, shop.manager, f"w:{i}") for i in range(3)]
    theirs = tell(shop, shop.director, "w:9")
    client.force_login(shop.manager)

    response = client.post(reverse("notifications:read-all"))

    assert response.status_code == 302
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_email_settings_turn_email_off_for_later_events(client, shop):
    with_email(shop.manager)
    client.force_login(shop.manager)
    url = reverse("notifications:settings")

    page = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="email"[^>]*checked', page)  # on by default
    assert "a-manager@dealer.example.cn" in page

    response = client.post(url, {})  # the box unticked
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=shop.manager).email is False

    tell(shop, shop.manager, "w:1")
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()
    assert Notification.objects.filter(recipient=shop.manager).count() == 1  # in-app still

    client.post(url, {"email": "on"})
    assert NotificationPreference.objects.get(user=shop.manager).email is True


def test_settings_say_when_there_is_no_address(client, shop):
    client.force_login(shop.advisor)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "You have no e-mail address on file" in page


def _render_bell(user):
    request = RequestFactory().get("/complaints/")
    request.user = user
    return Template("{% load notifications %}{% notification_bell %}").render(
        Context({"request": request, "user": user})
    )


def test_the_bell_counts_unread_and_lists_the_latest_ten_escaped(shop):
    for i in range(12):
        tell(shop, shop.manager, f"w:{i:02d}", title=f"Due soon <script>x</script> {i:02d}")
    services.notification_mark_read(
        actor=shop.manager,
        notification_id=Notification.objects.get(dedupe_key="w:00").pk,
    )

    html = _render_bell(shop.manager)

    assert re.search(r'id="notification-unread">11<', html)
    assert html.count('class="dropdown-item py-2') == 10
    assert "<script>" not in html
    assert "Due soon &lt;script&gt;x&lt;/script&gt; 11" in html
    assert "Due soon &lt;script&gt;x&lt;/script&gt; 01" not in html  # the 11th newest
    assert f'href="{LIST}"' in html


def test_the_bell_links_to_the_complaint(shop):
    complaint = new_complaint(shop)
    tell(shop, shop.manager, "w:1", complaint=complaint)
    html = _render_bell(shop.manager)
    assert f'href="/complaints/{complaint.pk}/"' in html
    assert complaint.number in html


def test_the_bell_is_empty_for_an_anonymous_visitor():
    from django.contrib.auth.models import AnonymousUser

    assert _render_bell(AnonymousUser()).strip() == ""


@pytest.mark.parametrize("count", [0, 2])
def test_the_bell_fragment_for_htmx(client, shop, count):
    for i in range(count):
        tell(shop, shop.manager, f"w:{i}")
    client.force_login(shop.manager)

    response = client.get(
        reverse("notifications:bell"), HTTP_HX_CURRENT_URL="http://testserver/complaints/?q=x"
    )

    html = response.content.decode()
    assert html.strip().startswith('<li class="nav-item dropdown" id="notification-bell"')
    if count:
        assert 'id="notification-unread">2<' in html
        assert 'name="next" value="/complaints/?q=x"' in html
    else:
        assert "No notifications yet." in html


def test_the_list_escapes_titles_and_texts(client, shop):
    tell(
        shop, shop.manager, "w:1", title="<b>bold</b>", body="<img src=x onerror=alert(1)>\nline 2"
    )
    client.force_login(shop.manager)
    html = client.get(LIST).content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;<br>line 2" in html


def test_the_list_costs_the_same_queries_for_3_or_30_notifications(client, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(shop.manager)
    complaint = new_complaint(shop)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        tell(shop, shop.manager, f"w:{i}", complaint=complaint)
    few = queries_for_list()
    for i in range(3, 30):
        tell(shop, shop.manager, f"w:{i}", complaint=complaint)
    assert queries_for_list() == few
