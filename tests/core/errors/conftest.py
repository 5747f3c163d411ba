import pytest
from django.test import Client


@pytest.fixture
def client():
    """A test client that gets the 500 answer of a view's exception, as a browser would,
    instead of the exception itself."""
    client = Client()
    client.raise_request_exception = False
    return client
