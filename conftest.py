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
