"""The top bar's Guidance menu: offered to store staff, with each link only to who may use it."""

from django.test import Client

from complaintdesk.org.models import User


def page_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def test_guidance_menu_follows_the_users_roles(shop):
    director = page_for(shop.director)
    assert "/guidance/" in director and "/triage/rules/" in director
    assert "/warranty/thresholds/" in director and "/warranty/import/" in director
    reception = page_for(shop.reception)
    assert "/guidance/" in reception and "/warranty/thresholds/" in reception
    assert "/triage/rules/" not in reception  # only CS directors edit the rules
    assert "/warranty/import/" not in reception  # receptionists record no repair visits


def test_superuser_without_a_store_gets_no_guidance_menu(db):
    admin = User.objects.create_superuser("root", password="x-123456789")
    assert "/guidance/" not in page_for(admin)
