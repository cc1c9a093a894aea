import importlib

import pytest

DB_FIXTURES = {"db", "transactional_db", "shop", "other_shop", "live_server"}


@pytest.fixture(autouse=True)
def shipped_playbook(request):
    """The shipped playbook comes with a migration; a transactional test anywhere in the session
    (live server, threads) flushes every table afterwards, so put it back for the tests here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    elif marker is not None or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from complaintdesk.guidance.models import GuidanceEntry

    if not GuidanceEntry.objects.filter(store__isnull=True).exists():
        migration = importlib.import_module(
            "complaintdesk.guidance.migrations.0002_shipped_content"
        )
        migration.load(apps, None)
