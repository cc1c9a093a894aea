"""Who may call the API: the browser session (with CSRF) or an integration's bearer token, made
and revoked with `complaintdesk apitoken`. Nobody else."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.tests.test_api import (
    client_for,
    create,
    fast_passwords,  # noqa: F401  (autouse fixture)
    frozen_time,  # noqa: F401  (autouse fixture)
    intake,
    send,
)
from complaintdesk.org.models import ApiToken


def make_token(username: str, name: str = "DMS") -> str:
    out, err = StringIO(), StringIO()
    call_command("apitoken", "create", username, name, stdout=out, stderr=err)
    assert "cannot be shown again" in err.getvalue()
    return out.getvalue().strip()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/complaints"),
        ("post", "/api/complaints"),
        ("get", "/api/complaints/1"),
        ("patch", "/api/complaints/1"),
        ("get", "/api/complaints/1/events"),
        ("get", "/api/complaints/by-number/FK-202612-0001"),
        ("post", "/api/complaints/1/actions/accept"),
        ("get", "/api/me"),
        ("get", "/api/stores"),
    ],
)
def test_without_authentication_everything_is_401(shop, method, url):
    response = send(Client(), method, url, {"nature": "quality"} if method != "get" else None)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Complaint.objects.count() == 0


def test_a_token_acts_as_its_user_without_csrf(shop):
    token = make_token("a-manager")
    assert token.startswith("cd_") and len(token) > 40
    client = Client(enforce_csrf_checks=True)

    me = client.get("/api/me", **bearer(token))
    assert me.status_code == 200
    assert me.json()["username"] == "a-manager"

    response = send(client, "post", "/api/complaints", intake(shop, channel="api"), **bearer(token))
    assert response.status_code == 201, response.content
    assert response.json()["received_by"]["id"] == shop.manager.pk
    assert response.json()["channel"]["code"] == "api"
    stored = ApiToken.objects.get(user=shop.manager)
    assert stored.last_used_at is not None
    assert token not in {stored.key_hash, stored.prefix}  # only a hash is kept


def test_a_token_sees_only_its_users_stores(shop, other_shop):
    cid = create(client_for(shop.reception), shop)["id"]
    token = make_token("b-director")
    client = Client()
    assert client.get(f"/api/complaints/{cid}", **bearer(token)).status_code == 404
    assert client.get("/api/complaints", **bearer(token)).json()["count"] == 0
    response = send(
        client,
        "post",
        f"/api/complaints/{cid}/actions/void",
        {"reason": "x"},
        **bearer(token),
    )
    assert response.status_code == 404


def test_revoked_unknown_and_malformed_tokens_are_401(shop):
    token = make_token("a-manager")
    prefix = ApiToken.objects.get().prefix
    out = StringIO()
    call_command("apitoken", "revoke", prefix, stdout=out)
    assert "Revoked" in out.getvalue()
    assert ApiToken.objects.get().revoked is True

    client = Client()
    for header in [f"Bearer {token}", "Bearer cd_not-a-token", "Bearer ", f"Bearer {'x' * 5000}"]:
        response = client.get("/api/me", HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 401, header
        assert response.json()["code"] == "not_authenticated"
        assert "API token is not valid" in response.json()["detail"]


def test_a_bad_token_is_refused_even_with_a_session(shop):
    """An integration must learn that its token stopped working, not ride on a cookie."""
    client = client_for(shop.manager)
    response = client.get("/api/me", HTTP_AUTHORIZATION="Bearer cd_revoked-or-wrong")
    assert response.status_code == 401
    assert client.get("/api/me").status_code == 200


def test_inactive_users_token_is_401(shop):
    token = make_token("a-manager")
    type(shop.manager).objects.filter(pk=shop.manager.pk).update(is_active=False)
    assert Client().get("/api/me", **bearer(token)).status_code == 401


def test_session_writes_need_the_csrf_token(shop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop.reception)
    refused = send(client, "post", "/api/complaints", intake(shop))
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert Complaint.objects.count() == 0

    client.cookies["csrftoken"] = "A" * 32
    accepted = send(client, "post", "/api/complaints", intake(shop), HTTP_X_CSRFTOKEN="A" * 32)
    assert accepted.status_code == 201
    # Reads need no CSRF token.
    assert Client(enforce_csrf_checks=True).get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 200


def test_apitoken_command_refuses_unknown_users_and_prefixes(shop):
    with pytest.raises(CommandError, match="No user"):
        call_command("apitoken", "create", "nobody", "DMS", stdout=StringIO())
    with pytest.raises(CommandError, match="No token"):
        call_command("apitoken", "revoke", "zzzzzzzz", stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_apitoken_list_and_revoke_by_whole_token(shop):
    token = make_token("a-manager", "call center")
    out = StringIO()
    call_command("apitoken", "list", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith(token[3:11])
    assert "active" in line and "a-manager" in line and "call center" in line
    assert token not in out.getvalue()

    call_command("apitoken", "revoke", token, stdout=StringIO())
    again = StringIO()
    call_command("apitoken", "revoke", token[3:11], stdout=again)
    assert "already revoked" in again.getvalue()
    assert Client().get("/api/me", **bearer(token)).status_code == 401
