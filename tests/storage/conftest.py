"""Fixtures for the object storage tests: HTTP clients signed in to the live server."""

import httpx
import pytest
from django.test import Client


@pytest.fixture
def signed_in(live_server):
    """signed_in(user): an HTTP client of the live server with `user`'s session cookie."""
    clients = []

    def client_for(user) -> httpx.Client:
        django_client = Client()
        django_client.force_login(user)
        client = httpx.Client(base_url=live_server.url, cookies={"sessionid": django_client.cookies["sessionid"].value})
        clients.append(client)
        return client

    yield client_for
    for client in clients:
        client.close()
