"""The robot formats, checked by a local receiver the way the real ones check them."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core.exceptions import ValidationError

from complaintdesk.complaints.tests.factories import new_complaint
from complaintdesk.notifications import services, transport
from complaintdesk.notifications.choices import DeliveryStatus, Kind
from complaintdesk.notifications.delivery import deliver_due
from complaintdesk.notifications.forms import WebhookEndpointForm
from complaintdesk.notifications.models import Delivery, Digest, WebhookEndpoint
from complaintdesk.notifications.tests.factories import NOW, robot


def breach(shop, *, complaint=None, title="Deadline missed", body="Was due at 09:00", key="b:1"):
    services.notify(
        recipients=[],
        store=shop.store,
        kind=Kind.BREACH,
        title=title,
        body=body,
        complaint=complaint,
        urgent=True,
        dedupe_key=key,
        now=NOW,
    )


def test_generic_json_is_signed_with_hmac_over_the_raw_body(shop, robot_server):
    robot_server.hmac_secret = "s3cret-key"
    hook = robot(shop.store, robot_server.url(), secret="s3cret-key")
    complaint = new_complaint(shop)
    breach(shop, complaint=complaint, title=f"Deadline missed: {complaint.number}")

    assert deliver_due(now=NOW).sent == 1  # the receiver accepted the signature

    received = robot_server.requests[0]
    digest = Digest.objects.get(endpoint=hook)
    payload = received.json
    assert received.headers["content-type"] == "application/json; charset=utf-8"
    assert received.headers["x-complaintdesk-delivery"] == str(digest.uid)
    assert received.headers["x-complaintdesk-timestamp"] == str(payload["timestamp"])
    assert payload["id"] == str(digest.uid)
    assert payload["type"] == "complaintdesk.notifications"
    assert payload["count"] == 1
    item = payload["items"][0]
    delivery = Delivery.objects.get(endpoint=hook)
    assert item == {
        "delivery_id": delivery.pk,
        "event_key": "b:1",
        "kind": "breach",
        "kind_label": "Deadline missed",
        "urgent": True,
        "title": f"Deadline missed: {complaint.number}",
        "body": "Was due at 09:00",
        "created_at": "2026-12-03T10:00:00+08:00",
        "store": {"code": "a", "name": "Store a"},
        "complaint": {
            "id": complaint.pk,
            "number": complaint.number,
            "url": f"https://desk.example.cn/complaints/{complaint.pk}/",
        },
    }


def test_a_wrong_hmac_secret_is_refused_by_the_receiver_and_retried(shop, robot_server):
    robot_server.hmac_secret = "the-right-one"
    robot(shop.store, robot_server.url(), secret="a-wrong-one")
    breach(shop)

    report = deliver_due(now=NOW)

    assert (report.sent, report.retrying) == (0, 1)
    d = Delivery.objects.get()
    assert (d.status, d.last_error) == (DeliveryStatus.PENDING, "HTTP 401: bad signature")


def test_wecom_group_robot_gets_its_markdown_message(shop, robot_server):
    robot(shop.store, robot_server.url("/cgi-bin/webhook/send?key=693a91f6"), kind="wecom")
    complaint = new_complaint(shop)
    breach(shop, complaint=complaint, title="Deadline missed: determine responsibility")

    assert deliver_due(now=NOW).sent == 1

    received = robot_server.requests[0]
    assert received.path == "/cgi-bin/webhook/send"
    assert received.query == {"key": "693a91f6"}
    payload = received.json
    assert list(payload) == ["msgtype", "markdown"]
    assert payload["msgtype"] == "markdown"
    assert list(payload["markdown"]) == ["content"]
    assert payload["markdown"]["content"] == (
        "### Complaint desk: 1 notification (1 urgent)\n"
        f"1. **URGENT ［Deadline missed］ {complaint.number} Deadline missed: determine "
        "responsibility** · 12-03 10:00\n"
        f"> Was due at 09:00 [open](https://desk.example.cn/complaints/{complaint.pk}/)\n"
        "[All notifications](https://desk.example.cn/notifications/)"
    )


def test_a_wecom_errcode_is_a_failure(shop, robot_server):
    robot_server.default = (200, b'{"errcode":93000,"errmsg":"invalid webhook url"}')
    robot(shop.store, robot_server.url("/cgi-bin/webhook/send?key=old"), kind="wecom")
    breach(shop)

    assert deliver_due(now=NOW).retrying == 1
    assert Delivery.objects.get().last_error == "robot errcode 93000: invalid webhook url"


def test_dingtalk_robot_gets_markdown_on_a_signed_url(shop, robot_server):
    robot_server.dingtalk_secret = "SEC0123456789abcdef"
    robot(
        shop.store,
        robot_server.url("/robot/send?access_token=tok123"),
        kind="dingtalk",
        secret="SEC0123456789abcdef",
    )
    breach(shop, title="Deadline missed: callback")

    assert deliver_due(now=NOW).sent == 1  # the receiver accepted the signature

    received = robot_server.requests[0]
    assert received.path == "/robot/send"
    assert set(received.query) == {"access_token", "timestamp", "sign"}
    assert received.query["access_token"] == "tok123"
    # Milliseconds, within the hour DingTalk allows.
    sent_ms = int(received.query["timestamp"])
    assert abs(sent_ms / 1000 - dt.datetime.now(dt.UTC).timestamp()) < 3600
    payload = received.json
    assert payload["msgtype"] == "markdown"
    assert sorted(payload["markdown"]) == ["text", "title"]
    assert payload["markdown"]["title"] == "Complaint desk: 1 notification (1 urgent)"
    assert payload["markdown"]["text"].splitlines()[1] == (
        "1. **URGENT ［Deadline missed］ Deadline missed: callback** · 12-03 10:00"
    )


def test_dingtalk_signature_by_hand():
    """The signed URL for a fixed time: sign is the URL-encoded base64 of
    HMAC-SHA256(key=secret, msg="1767225600000\\nSECabc"); '+', '/' and '=' are encoded."""
    url = transport.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", 1767225600000
    )
    base, _, extra = url.partition("&")
    assert base == "https://oapi.dingtalk.com/robot/send?access_token=t"
    params = extra.split("&")
    assert params[0] == "timestamp=1767225600000"
    name, sign = params[1].split("=", 1)
    assert name == "sign"
    assert "+" not in sign and "/" not in sign and "=" not in sign
    raw = hmac.new(b"SECabc", b"1767225600000\nSECabc", hashlib.sha256).digest()
    assert urllib.parse.unquote_plus(sign) == base64.b64encode(raw).decode()


def test_a_wrong_dingtalk_secret_is_refused_with_its_errcode(shop, robot_server):
    robot_server.dingtalk_secret = "SECright"
    robot(
        shop.store, robot_server.url("/robot/send?access_token=t"), kind="dingtalk", secret="SECx"
    )
    breach(shop)

    assert deliver_due(now=NOW).retrying == 1
    assert Delivery.objects.get().last_error == "robot errcode 310000: sign not match"


def test_customer_words_cannot_become_markup_in_a_group_chat(shop, robot_server):
    robot(shop.store, robot_server.url("/cgi-bin/webhook/send?key=k"), kind="wecom")
    breach(
        shop, title="客户说 [点这里](http://evil.example) <@all> **", body="# 标题\n<font>x</font>"
    )

    deliver_due(now=NOW)

    content = json.loads(robot_server.requests[0].body)["markdown"]["content"]
    assert "[点这里]" not in content
    assert "<@all>" not in content
    assert "<font>" not in content
    assert "# 标题" not in content
    # Replaced by full-width look-alikes: still readable, no longer markup.
    assert "客户说 ［点这里］(http://evil.example) ＜@all＞ ＊＊" in content


def test_a_redirect_is_a_failure_not_followed(shop, robot_server):
    robot_server.script.append((302, b""))
    robot(shop.store, robot_server.url())
    breach(shop)

    assert deliver_due(now=NOW).retrying == 1
    assert Delivery.objects.get().last_error == "HTTP 302:"
    assert len(robot_server.requests) == 1


def test_an_unreachable_robot_is_retried(shop):
    robot(shop.store, "http://127.0.0.1:9/hook")  # the discard port: nothing listens
    breach(shop)

    assert deliver_due(now=NOW).retrying == 1
    assert Delivery.objects.get().last_error.startswith("URLError")


@pytest.mark.parametrize(
    "url",
    ["ftp://robots.example.cn/hook", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"],
)
def test_only_http_and_https_urls_can_be_configured(shop, url):
    endpoint = WebhookEndpoint(store=shop.store, name="bad", kind="generic", url=url)
    with pytest.raises(ValidationError) as info:
        endpoint.full_clean()
    assert "url" in info.value.message_dict

    form = WebhookEndpointForm(
        data={"store": shop.store.pk, "name": "bad", "kind": "generic", "url": url, "active": "on"}
    )
    assert not form.is_valid()
    assert "url" in form.errors
    assert not WebhookEndpoint.objects.exists()


def test_the_admin_form_accepts_an_https_robot(shop):
    form = WebhookEndpointForm(
        data={
            "store": shop.store.pk,
            "name": "售后群",
            "kind": "wecom",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "kinds": ["breach", "escalation"],
            "active": "on",
        }
    )
    assert form.is_valid(), form.errors
    endpoint = form.save()
    assert endpoint.kinds == ["breach", "escalation"]


def test_a_bad_url_that_slipped_into_the_database_is_never_opened(shop):
    robot(shop.store, "file:///etc/passwd")  # objects.create skips validation
    breach(shop)

    report = deliver_due(now=NOW)

    assert (report.sent, report.failed) == (0, 1)
    d = Delivery.objects.get()
    assert (d.status, d.last_error) == (DeliveryStatus.FAILED, "refused URL scheme 'file'")
