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
