"""Shaping a book in the reader without JavaScript: every control is a form that
adds, removes (after a confirmation page), moves or restores a page, then goes back
to the place in the reader it concerns; refusals are told, not raised."""

import pytest
from django.urls import reverse

from stories import services
from stories.models import Page, Story
from tests.factories import IllustrationFactory, PageFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book():
    story = StoryFactory(status=Story.Status.READY, page_count=3)
    for number, text in enumerate(["One.", "Two.", "Three."], start=1):
        page = PageFactory(story=story, number=number, text=text)
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


@pytest.fixture
def reader(client, book):
    client.force_login(book.owner)
    return client


def texts(story) -> list[str]:
    return list(Page.objects.filter(story=story).order_by("number").values_list("text", flat=True))


def test_the_reader_offers_every_shaping_control(reader, book):
    page = reader.get(reverse("stories:detail", args=[book.pk])).content.decode()
    assert page.count("Move earlier") == 2 and page.count("Move later") == 2
    assert reverse("stories:page_add", args=[book.pk]) in page
    assert reverse("stories:page_remove", args=[book.pk, 2]) in page
    assert reverse("stories:pages_reorder", args=[book.pk]) in page
    assert "Undo the last text change" not in page  # nothing changed yet


def test_moving_a_page_later_swaps_it_with_the_next(reader, book):
    response = reader.post(reverse("stories:page_move", args=[book.pk, 1]), {"to": 2})
    assert response.status_code == 302 and response["Location"].endswith("#page-order")
    assert texts(book) == ["Two.", "One.", "Three."]


def test_a_dragged_order_arrives_as_one_list(reader, book):
    reader.post(reverse("stories:pages_reorder", args=[book.pk]), {"order": "3,1,2"})
    assert texts(book) == ["Three.", "One.", "Two."]


def test_a_bad_order_is_told_and_changes_nothing(reader, book):
    response = reader.post(reverse("stories:pages_reorder", args=[book.pk]), {"order": "3,3,1"}, follow=True)
    assert "List each of the book&#x27;s 3 page numbers" in response.content.decode()
    assert texts(book) == ["One.", "Two.", "Three."]


def test_removing_asks_first_then_removes(reader, book):
    confirm = reader.get(reverse("stories:page_remove", args=[book.pk, 2]))
    assert confirm.status_code == 200 and "Remove page 2" in confirm.content.decode()
    assert texts(book) == ["One.", "Two.", "Three."]
    reader.post(reverse("stories:page_remove", args=[book.pk, 2]), {"version": 1})
    assert texts(book) == ["One.", "Three."]


def test_a_blank_page_opens_in_the_editor(reader, book):
    response = reader.post(reverse("stories:page_add", args=[book.pk]), {"position": 2, "mode": "blank"})
    assert response["Location"] == reverse("stories:page_edit", args=[book.pk, 2]) + "#page-2"
    assert texts(book) == ["One.", "", "Two.", "Three."]


def test_a_written_page_shows_its_job_in_the_reader(reader, book, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = reader.post(reverse("stories:page_add", args=[book.pk]), {"position": 4, "mode": "write"})
    assert "pending=" in response["Location"] and response["Location"].endswith("#page-4")
    page = reader.get(response["Location"]).content.decode()
    assert "The new page 4 is being written" in page


def test_undo_puts_the_earlier_text_back(reader, book):
    services.page_text_update(user=book.owner, story_id=book.pk, number=1, text="One, edited.")
    page = reader.get(reverse("stories:detail", args=[book.pk])).content.decode()
    assert "Undo the last text change" in page and "Earlier versions of page 1" in page
    reader.post(reverse("stories:page_restore", args=[book.pk, 1, 1]))
    assert texts(book)[0] == "One."


def test_another_grown_ups_book_is_not_found(client, book):
    client.force_login(UserFactory())
    for name, args, data in [
        ("stories:page_add", [book.pk], {"position": 1, "mode": "blank"}),
        ("stories:page_remove", [book.pk, 1], {}),
        ("stories:page_move", [book.pk, 1], {"to": 2}),
        ("stories:pages_reorder", [book.pk], {"order": "2,1,3"}),
        ("stories:page_restore", [book.pk, 1, 1], {}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert client.get(reverse("stories:page_remove", args=[book.pk, 1])).status_code == 404
    assert texts(book) == ["One.", "Two.", "Three."]
