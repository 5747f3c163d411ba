"""Shaping a finished book over the API: adding a page (blank, or written by the AI and
then drawn), removing one, putting the pages in a new order, and a page's earlier
texts; numbers stay 1..n; never another grown-up's book."""

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from stories import services
from stories.models import Illustration, Page, PageRevision, SentenceClip, Story
from storyforge.generation.models import GenerationJob
from storyforge.generation.providers import cost_estimate
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error
from tests.factories import IllustrationFactory, PageFactory, PageRevisionFactory, SentenceClipFactory, StoryFactory
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data
from tests.stories.export_books import page_texts, pdf_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(owner):
    """A finished book of three pages, "One.", "Two." and "Three.", each with a picture."""
    story = StoryFactory(owner=owner, status=Story.Status.READY, page_count=3)
    for number, text in enumerate(["One.", "Two.", "Three."], start=1):
        page = PageFactory(story=story, number=number, text=text)
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


def texts(story) -> list[str]:
    return list(Page.objects.filter(story=story).order_by("number").values_list("text", flat=True))


def assert_dense(story) -> None:
    numbers = list(Page.objects.filter(story=story).order_by("number").values_list("number", flat=True))
    story.refresh_from_db()
    assert numbers == list(range(1, len(numbers) + 1)) and story.page_count == len(numbers)


# Adding


@pytest.mark.parametrize(
    ("position", "expected"), [(1, ["", "One.", "Two.", "Three."]), (4, ["One.", "Two.", "Three.", ""])]
)
def test_a_blank_page_goes_where_it_is_asked_for(api, book, position, expected):
    response = api.post(f"{STORIES}{book.pk}/pages/", {"position": position, "mode": "blank"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["page"]["number"], body["page"]["text"], body["job"]) == (position, "", None)
    assert texts(book) == expected
    assert_dense(book)


def test_the_pages_after_a_new_one_keep_their_pictures(api, book):
    pictures = {page.text: page.selected_illustration_id for page in Page.objects.filter(story=book)}
    api.post(f"{STORIES}{book.pk}/pages/", {"position": 2, "mode": "blank"}, format="json")
    moved = {page.text: page.selected_illustration_id for page in Page.objects.filter(story=book).exclude(text="")}
    assert moved == pictures


def test_the_ai_writes_a_new_page_between_its_neighbours_and_then_draws_it(
    api, book, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{STORIES}{book.pk}/pages/", {"position": 2, "mode": "write"}, format="json")
    assert response.status_code == 201
    job = response.json()["job"]
    assert (job["kind"], job["story"]) == ("page_write", book.pk)
    new = Page.objects.get(story=book, number=2)
    assert new.text and new.text not in ("One.", "Two.") and new.visual_description
    assert new.selected_illustration is not None  # drawn by the job the writing asked for
    assert texts(book)[0] == "One." and texts(book)[2:] == ["Two.", "Three."]
    kinds = GenerationJob.objects.filter(page=new).values_list("kind", "status", "reserved")
    assert sorted(kinds) == [("page_illustration", "succeeded", 0), ("page_write", "succeeded", 0)]


@pytest.fixture
def priced(openai_settings):
    """The OpenAI provider against the fake server, charging OpenAI's prices."""
    openai_settings.OPENAI_PRICE_TEXT_INPUT = Decimal("0.15")
    openai_settings.OPENAI_PRICE_TEXT_OUTPUT = Decimal("0.60")
    openai_settings.OPENAI_PRICE_IMAGE = Decimal("0.04")
    return openai_settings


def test_a_page_written_by_the_ai_holds_its_estimate_until_it_is_done(
    priced, owner, book, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _page, job = services.page_add(user=owner, story_id=book.pk, position=2, mode="write")
    job.refresh_from_db()
    assert job.reserved >= cost_estimate(text_pages=1, images=1) > Decimal("0")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"position": 1}, "mode"),
        ({"position": 1, "mode": "paint"}, "mode"),
        ({"mode": "blank"}, "position"),
        ({"position": 0, "mode": "blank"}, "position"),
        ({"position": "two", "mode": "blank"}, "position"),
    ],
)
def test_adding_a_page_needs_a_position_and_a_mode(api, book, data, field):
    error = assert_error(api.post(f"{STORIES}{book.pk}/pages/", data, format="json"), 400, "VALIDATION_ERROR")
    assert field in error["details"]["fields"]
    assert texts(book) == ["One.", "Two.", "Three."]


def test_a_position_past_the_end_is_a_conflict_that_names_the_page_count(api, book):
    error = assert_error(
        api.post(f"{STORIES}{book.pk}/pages/", {"position": 6, "mode": "blank"}, format="json"), 409, "CONFLICT"
    )
    assert error["details"] == {"page_count": 3} and "1 to 4" in error["message"]


def test_a_full_book_takes_no_more_pages(api, owner):
    full = StoryFactory(owner=owner, status=Story.Status.READY, page_count=20, pages=20)
    error = assert_error(
        api.post(f"{STORIES}{full.pk}/pages/", {"position": 1, "mode": "blank"}, format="json"), 409, "CONFLICT"
    )
    assert "at most 20" in error["message"]


def test_a_book_still_being_made_cannot_be_shaped(api, owner):
    making = StoryFactory(owner=owner, status=Story.Status.GENERATING, pages=2)
    assert_error(
        api.post(f"{STORIES}{making.pk}/pages/", {"position": 1, "mode": "blank"}, format="json"), 409, "CONFLICT"
    )
    assert_error(api.delete(f"{STORIES}{making.pk}/pages/1/"), 409, "CONFLICT")
    assert_error(api.post(f"{STORIES}{making.pk}/pages/reorder/", {"order": [2, 1]}, format="json"), 409, "CONFLICT")


# Removing


def test_removing_a_page_closes_the_gap_and_deletes_its_files(api, book, django_capture_on_commit_callbacks):
    page = Page.objects.get(story=book, number=2)
    clip = SentenceClipFactory(page=page, text="Two.")
    names = [page.selected_illustration.image.name, clip.audio.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"{STORIES}{book.pk}/pages/2/")
    assert response.status_code == 204
    assert texts(book) == ["One.", "Three."]
    assert_dense(book)
    assert not Illustration.objects.filter(page_id=page.pk).exists()
    assert not SentenceClip.objects.filter(page_id=page.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


def test_removing_a_page_cancels_its_unfinished_jobs_and_lets_go_of_their_budget(api, book, owner):
    page = Page.objects.get(story=book, number=3)
    job = GenerationJob.objects.create(
        owner=owner, kind="page_text", story=book, page=page, idempotency_key="t", reserved=Decimal("0.02")
    )
    assert api.delete(f"{STORIES}{book.pk}/pages/3/").status_code == 204
    job.refresh_from_db()
    assert (job.status, job.reserved) == ("cancelled", 0)


def test_removing_a_page_from_a_stale_version_is_a_conflict(api, book):
    api.patch(f"{STORIES}{book.pk}/pages/2/", {"text": "Two, edited.", "version": 1}, format="json")
    error = assert_error(api.delete(f"{STORIES}{book.pk}/pages/2/?version=1"), 409, "CONFLICT")
    assert error["details"] == {"current_version": 2}
    assert api.delete(f"{STORIES}{book.pk}/pages/2/?version=2").status_code == 204


def test_removing_needs_a_sensible_version(api, book):
    error = assert_error(api.delete(f"{STORIES}{book.pk}/pages/2/?version=0"), 400, "VALIDATION_ERROR")
    assert "version" in error["details"]["fields"]


def test_the_last_page_of_a_book_stays(api, owner):
    single = StoryFactory(owner=owner, status=Story.Status.READY, page_count=1, pages=1)
    error = assert_error(api.delete(f"{STORIES}{single.pk}/pages/1/"), 409, "CONFLICT")
    assert "at least one page" in error["message"]


def test_removing_a_page_that_does_not_exist_is_not_found(api, book):
    assert_error(api.delete(f"{STORIES}{book.pk}/pages/9/"), 404, "NOT_FOUND")


# Reordering


def test_reordering_puts_the_pages_in_the_order_given(api, book):
    illustration = Page.objects.get(story=book, number=3).selected_illustration_id
    response = api.post(f"{STORIES}{book.pk}/pages/reorder/", {"order": [3, 1, 2]}, format="json")
    assert response.status_code == 200
    assert [page["text"] for page in response.json()["pages"]] == ["Three.", "One.", "Two."]
    assert texts(book) == ["Three.", "One.", "Two."]
    assert Page.objects.get(story=book, number=1).selected_illustration_id == illustration
    assert_dense(book)


def test_a_full_book_can_be_reversed(api, owner):
    full = StoryFactory(owner=owner, status=Story.Status.READY, page_count=20, pages=20)
    before = texts(full)
    response = api.post(f"{STORIES}{full.pk}/pages/reorder/", {"order": list(range(20, 0, -1))}, format="json")
    assert response.status_code == 200
    assert texts(full) == before[::-1]


@pytest.mark.parametrize(
    "order", [[1, 2], [1, 2, 3, 4], [1, 1, 2], [0, 1, 2], [1, 2, 5], [], "1,2,3", None, [1, "two", 3]]
)
def test_an_order_that_is_not_each_page_once_is_refused(api, book, order):
    response = api.post(f"{STORIES}{book.pk}/pages/reorder/", {"order": order}, format="json")
    error = assert_error(response, 400, "VALIDATION_ERROR")
    assert "order" in error["details"]["fields"]
    assert texts(book) == ["One.", "Two.", "Three."]


# History


def test_every_text_change_keeps_the_earlier_text(api, book, eager_tasks, django_capture_on_commit_callbacks):
    api.patch(f"{STORIES}{book.pk}/pages/1/", {"text": "One, edited."}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"{STORIES}{book.pk}/pages/1/regenerate/", {"what": "text"}, format="json")
    response = api.get(f"{STORIES}{book.pk}/pages/1/history/")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["version"]) == (1, 3)
    assert [(r["version"], r["text"]) for r in body["revisions"]] == [(2, "One, edited."), (1, "One.")]


def test_restoring_an_earlier_text_makes_a_new_version_and_can_be_undone(api, book):
    api.patch(f"{STORIES}{book.pk}/pages/2/", {"text": "Two, edited."}, format="json")
    response = api.post(f"{STORIES}{book.pk}/pages/2/history/1/restore/")
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["version"]) == ("Two.", 3)
    history = api.get(f"{STORIES}{book.pk}/pages/2/history/").json()
    assert [r["text"] for r in history["revisions"]] == ["Two, edited.", "Two."]
    api.post(f"{STORIES}{book.pk}/pages/2/history/2/restore/")
    assert texts(book)[1] == "Two, edited."


def test_the_history_follows_its_page_when_it_moves(api, book):
    api.patch(f"{STORIES}{book.pk}/pages/1/", {"text": "One, edited."}, format="json")
    api.post(f"{STORIES}{book.pk}/pages/reorder/", {"order": [2, 3, 1]}, format="json")
    history = api.get(f"{STORIES}{book.pk}/pages/3/history/").json()
    assert history["text"] == "One, edited." and history["revisions"][0]["text"] == "One."


def test_a_page_keeps_only_its_last_twenty_earlier_texts(owner, book):
    for n in range(25):
        services.page_text_update(user=owner, story_id=book.pk, number=1, text=f"Take {n}.")
    assert PageRevision.objects.filter(page__story=book, page__number=1).count() == 20


def test_restoring_a_version_the_page_never_had_is_not_found(api, book):
    assert_error(api.post(f"{STORIES}{book.pk}/pages/1/history/7/restore/"), 404, "NOT_FOUND")
    assert_error(api.post(f"{STORIES}{book.pk}/pages/1/history/1/restore/"), 404, "NOT_FOUND")  # the current one


def test_a_blank_page_written_for_the_first_time_has_no_history_to_restore(api, book):
    api.post(f"{STORIES}{book.pk}/pages/", {"position": 1, "mode": "blank"}, format="json")
    api.patch(f"{STORIES}{book.pk}/pages/1/", {"text": "A new beginning."}, format="json")
    assert api.get(f"{STORIES}{book.pk}/pages/1/history/").json()["revisions"] == []


# Another grown-up's book


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "pages/", {"position": 1, "mode": "blank"}),
        ("post", "pages/", {"position": 1, "mode": "write"}),
        ("delete", "pages/1/", None),
        ("post", "pages/reorder/", {"order": [1]}),
        ("get", "pages/1/history/", None),
        ("post", "pages/1/history/1/restore/", None),
    ],
)
def test_another_grown_ups_book_is_not_found(api, theirs, method, path, data):
    PageRevisionFactory(page=Page.objects.get(story=theirs), version=1, text="Secret Sam's first try.")
    Page.objects.filter(story=theirs).update(version=2)
    kwargs = {"format": "json"} if data is not None else {}
    response = getattr(api, method)(f"{STORIES}{theirs.pk}/{path}", data, **kwargs)
    assert_not_found_without_data(response)
    assert texts(theirs) == ["Secret Sam sails away."]
    assert PageRevision.objects.filter(page__story=theirs).count() == 1


def test_the_pdf_follows_the_new_order_blank_pages_included(api, book):
    api.post(f"{STORIES}{book.pk}/pages/reorder/", {"order": [3, 1, 2]}, format="json")
    api.post(f"{STORIES}{book.pk}/pages/", {"position": 4, "mode": "blank"}, format="json")
    text = " ".join(page_texts(pdf_of(book)))
    assert text.index("Three.") < text.index("One.") < text.index("Two.")
    assert api.get(f"{STORIES}{book.pk}/export/?format=epub").status_code == 200
