"""A long book's PDF is made on the `cpu` worker, not in the web request: the reader
is told it is being made, asks again, and is offered the kept file."""

import pytest

from stories.export import download
from storyforge.generation.routing import task_queue
from tests.factories import IllustrationFactory, PageFactory, StoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def ready_book(pages: int):
    story = StoryFactory(status="ready", page_count=pages, title="The Long Walk")
    for number in range(1, pages + 1):
        page = PageFactory(story=story, number=number)
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


@pytest.fixture
def renders(monkeypatch):
    """Where each PDF was rendered: in the web request or in the task."""
    where = {"now": "web", "log": []}
    real = download.book_pdf

    def book_pdf(*args, **kwargs):
        where["log"].append(where["now"])
        return real(*args, **kwargs)

    monkeypatch.setattr(download, "book_pdf", book_pdf)
    return where


def test_a_long_books_pdf_is_made_by_the_worker_and_then_offered(client, renders, monkeypatch):
    from stories.export import background

    sent = []
    monkeypatch.setattr(background, "_render_send", sent.append)
    story = ready_book(10)
    client.force_login(story.owner)
    url = f"/stories/{story.pk}/export/pdf/?size=a4"

    waiting = client.get(url)
    assert waiting.status_code == 202 and "Making your PDF" in waiting.content.decode()
    assert 'http-equiv="refresh"' in waiting.content.decode()
    assert client.get(url + "&made=1").status_code == 202  # asked again: still being made, sent once
    assert len(sent) == 1 and renders["log"] == []

    renders["now"] = "worker"
    from stories.tasks import book_export_render

    book_export_render(*sent[0])  # what the cpu worker runs
    ready = client.get(url + "&made=1")
    assert ready.status_code == 200 and "Your PDF is ready" in ready.content.decode()
    pdf = client.get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert renders["log"] == ["worker"]  # rendered once, never in a web request


def test_a_short_book_and_any_epub_are_made_at_once(client, renders):
    story = ready_book(3)
    client.force_login(story.owner)
    assert client.get(f"/stories/{story.pk}/export/pdf/").content.startswith(b"%PDF")
    assert renders["log"] == ["web"]
    long_story = ready_book(10)
    client.force_login(long_story.owner)
    assert client.get(f"/stories/{long_story.pk}/export/epub/").content.startswith(b"PK")


def test_a_failed_render_is_reported_and_the_next_ask_tries_again(client, monkeypatch):
    from stories.export import background

    sent = []
    monkeypatch.setattr(background, "_render_send", sent.append)
    story = ready_book(10)
    client.force_login(story.owner)
    url = f"/stories/{story.pk}/export/pdf/"
    assert client.get(url).status_code == 202
    monkeypatch.setattr(download, "book_pdf", lambda *a, **k: 1 / 0)
    from stories.tasks import book_export_render

    book_export_render(*sent[0])
    failed = client.get(url + "?made=1")
    assert "could not be made" in failed.content.decode()
    assert client.get(url).status_code == 202 and len(sent) == 2


def test_rendering_goes_to_the_cpu_pool():
    assert task_queue("stories.tasks.book_export_render") == "cpu"


def test_an_api_client_that_prefers_to_wait_elsewhere_gets_202_then_the_file(renders, monkeypatch):
    from rest_framework.test import APIClient

    from stories.export import background
    from stories.tasks import book_export_render

    sent = []
    monkeypatch.setattr(background, "_render_send", sent.append)
    story = ready_book(10)
    api = APIClient()
    api.force_authenticate(story.owner)
    url = f"/api/v1/stories/{story.pk}/export/?format=pdf&size=a5&layout=booklet"

    waiting = api.get(url, HTTP_PREFER="respond-async")
    assert waiting.status_code == 202
    assert (waiting["Retry-After"], waiting["Preference-Applied"]) == ("1", "respond-async")
    assert waiting.json() == {"status": "making", "retry_after": 1}
    assert api.get(url, HTTP_PREFER="respond-async").status_code == 202 and len(sent) == 1  # asked for once
    assert renders["log"] == []

    renders["now"] = "worker"
    book_export_render(*sent[0])
    made = api.get(url, HTTP_PREFER="respond-async")
    assert made.status_code == 200 and made["Content-Type"] == "application/pdf"
    assert b"".join(made.streaming_content if made.streaming else [made.content]).startswith(b"%PDF")
    assert renders["log"] == ["worker"]


def test_an_api_client_that_does_not_say_so_gets_the_file_in_the_same_request(renders):
    from rest_framework.test import APIClient

    story = ready_book(10)
    api = APIClient()
    api.force_authenticate(story.owner)
    answer = api.get(f"/api/v1/stories/{story.pk}/export/?format=pdf")
    assert answer.status_code == 200 and renders["log"] == ["web"]


def test_a_short_book_comes_at_once_even_when_the_client_would_wait(renders):
    from rest_framework.test import APIClient

    story = ready_book(3)
    api = APIClient()
    api.force_authenticate(story.owner)
    answer = api.get(f"/api/v1/stories/{story.pk}/export/?format=pdf", HTTP_PREFER="respond-async, wait=10")
    assert answer.status_code == 200 and renders["log"] == ["web"]
