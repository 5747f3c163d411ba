"""Who may make an account: STORYFORGE_SIGNUP `open`, `invite` (one-time, expiring
links from staff: the admin or `manage.py invite`) or `closed`, alike on the HTML
form and on `POST /api/v1/auth/register/`."""

import io
import re
from datetime import timedelta

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Invite, User
from accounts.services import invite_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-bedtime-story"


def _form(client, username, invite=""):
    url = "/accounts/signup/" + (f"?invite={invite}" if invite else "")
    data = {"username": username, "email": f"{username}@example.org", "password": PASSWORD, "invite": invite}
    return client.post(url, data)


def _api(client, username, **extra):
    body = {"username": username, "email": f"{username}@example.org", "password": PASSWORD, **extra}
    return client.post("/api/v1/auth/register/", body, content_type="application/json")


def test_closed_sign_up_refuses_the_form_and_the_api_with_a_clear_code(client, settings):
    settings.STORYFORGE_SIGNUP = "closed"

    page = client.get("/accounts/signup/")
    assert page.status_code == 403
    assert "Sign-up is closed" in page.content.decode()
    assert _form(client, "mia").status_code == 403
    answer = _api(client, "leo")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "SIGNUP_CLOSED"
    assert not User.objects.exists()
    assert "Sign up" not in client.get("/").content.decode()  # no link to a closed door


def test_an_invite_makes_exactly_one_account(client, settings):
    settings.STORYFORGE_SIGNUP = "invite"
    _invite, code = invite_create(note="the Berg family")

    assert client.get("/accounts/signup/").status_code == 403
    assert _api(client, "nobody").json()["error"]["code"] == "INVITE_INVALID"
    form = client.get(f"/accounts/signup/?invite={code}")
    assert form.status_code == 200
    assert f'value="{code}"' in form.content.decode()  # carried by the form's hidden field

    assert _form(client, "anna", code).status_code == 302
    invite = Invite.objects.get()
    assert invite.used_by.username == "anna"
    assert invite.state == "used"

    client.logout()
    again = _api(client, "bert", invite=code)
    assert again.status_code == 403
    assert again.json()["error"]["code"] == "INVITE_INVALID"
    assert list(User.objects.values_list("username", flat=True)) == ["anna"]


def test_an_expired_or_unknown_invite_is_refused(client, settings):
    settings.STORYFORGE_SIGNUP = "invite"
    invite, code = invite_create()
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert _api(client, "late", invite=code).status_code == 403
    assert _api(client, "guess", invite="not-a-code").status_code == 403
    _fresh, fresh_code = invite_create()
    assert _api(client, "ontime", invite=fresh_code).status_code == 201


def test_open_sign_up_needs_no_invite(client, settings):
    settings.STORYFORGE_SIGNUP = "open"
    assert _api(client, "free").status_code == 201
    assert "Sign up" in client.get("/").content.decode()


def test_manage_py_invite_prints_working_links(client, settings):
    settings.STORYFORGE_SIGNUP = "invite"
    out = io.StringIO()
    call_command("invite", count=2, note="class 2b", site="https://books.example.org", stdout=out, stderr=io.StringIO())

    links = out.getvalue().split()
    assert len(links) == 2
    assert all(link.startswith("https://books.example.org/accounts/signup/?invite=") for link in links)
    codes = [link.split("=", 1)[1] for link in links]
    assert _api(client, "pupil1", invite=codes[0]).status_code == 201
    assert _api(client, "pupil2", invite=codes[1]).status_code == 201
    assert set(Invite.objects.values_list("note", flat=True)) == {"class 2b"}


def test_staff_make_an_invite_in_the_admin_and_see_its_link_once(client, settings):
    settings.STORYFORGE_SIGNUP = "invite"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    answer = client.post("/admin/accounts/invite/add/", {"note": "grandma", "days": 3}, follow=True)

    assert answer.status_code == 200
    code = re.search(r"\?invite=([\w-]+)", answer.content.decode()).group(1)
    invite = Invite.objects.get()
    assert invite.note == "grandma"
    assert timedelta(days=2, hours=23) < invite.expires_at - timezone.now() <= timedelta(days=3)
    assert code not in client.get(f"/admin/accounts/invite/{invite.pk}/change/").content.decode()
    client.logout()
    assert _api(client, "grandma", invite=code).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_the_api_refuses_over_real_http(live_server, settings):
    settings.STORYFORGE_SIGNUP = "closed"
    answer = httpx.post(
        f"{live_server.url}/api/v1/auth/register/",
        json={"username": "x", "email": "x@example.org", "password": PASSWORD},
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "SIGNUP_CLOSED"
