import json

import pytest

from complaintdesk.triage import selectors, services

DB_FIXTURES = {"db", "shop", "other_shop", "far"}


@pytest.fixture(autouse=True)
def no_shipped_calibration(tmp_path, monkeypatch):
    """Each test starts without a shipped calibration (every suggestion "low") unless it writes
    one with `calibration`; the compiled rules are rebuilt for every test."""
    monkeypatch.setattr(selectors, "CALIBRATION_FILE", tmp_path / "calibration.json")
    selectors.forget_compiled_rules()
    yield
    selectors.forget_compiled_rules()


@pytest.fixture
def calibration(tmp_path):
    """Write a shipped calibration for this test: calibration({"nature": {...}, ...})."""

    def write(data: dict):
        path = tmp_path / "calibration.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def builtin_rules(request):
    """The built-in rules come with the migration; a transactional test anywhere in the session
    (live server, threads) flushes every table, so put them back for the tests that read them."""
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("db")
    else:
        return
    services.sync_default_rules()
