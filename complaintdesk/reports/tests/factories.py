"""Helpers for the reports tests."""

from django.test import Client


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
