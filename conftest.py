import pytest

from complaintdesk.testing import make_store_with_staff


@pytest.fixture
def shop(db):
    """Store A with one user for every role."""
    return make_store_with_staff("a")


@pytest.fixture
def other_shop(db):
    """Store B of the same group: its staff must never see store A's complaints."""
    return make_store_with_staff("b")


def pytest_configure(config):
    from django.conf import settings

    # Personas are made for every test; the production hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _end_leftover_postgres_sessions(django_db_setup, django_db_blocker):
    """The live server of the browser tests keeps a connection of its own open; on PostgreSQL that
    stops the test database from being dropped at the end. End such sessions first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _reset_language():
    """A request with Accept-Language leaves its language active in the worker's thread; the next
    test must start from the default language, whatever ran before it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
