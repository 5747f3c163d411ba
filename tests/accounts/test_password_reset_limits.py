"""Each password reset sends an e-mail: asking is limited per client address and per
e-mail address, so nobody can flood a mailbox or the server's mail account."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reset_ip": "3/h", "reset_email": "2/h"}
    return settings


def test_one_address_asking_too_often_is_refused_and_sends_no_more_mail(client, limits, mailoutbox):
    emails = [UserFactory(email=f"parent{n}@example.com").email for n in range(4)]

    answers = [client.post(RESET, {"email": email}, REMOTE_ADDR="192.0.2.10").status_code for email in emails]

    assert answers == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_one_mailbox_asked_for_too_often_is_refused_from_any_address(client, limits, mailoutbox):
    UserFactory(email="mia.parent@example.com")

    answers = [
        client.post(RESET, {"email": email}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n, email in enumerate(["mia.parent@example.com", "Mia.Parent@Example.com ", "mia.parent@example.com"], 1)
    ]
    other = client.post(RESET, {"email": "someone.else@example.com"}, REMOTE_ADDR="192.0.2.99")

    assert answers == [302, 302, 429]  # the spelling does not make it another mailbox
    assert other.status_code == 302
    assert len(mailoutbox) == 2
