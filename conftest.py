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
