"""The reader: reading a finished book, editing its pages in place, choosing and
regenerating pictures, renaming, deleting, printing, and the series pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories import services
from stories.models import Page, Series, Story, StoryJobKind
from storyforge.generation.models import GenerationJob
from tests.factories import (
    IllustrationFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def book(pages: int = 3, **kwargs) -> Story:
    """A finished story with a cast and a chosen picture on every page."""
    story = StoryFactory(status=Story.Status.READY, page_count=pages, pages=pages, **kwargs)
    StoryCharacterFactory(story=story, character__name="Mia")
    for page in story.pages.all():
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


@pytest.fixture
def story():
    return book(3, moral="Friends share their umbrellas.")


@pytest.fixture
def owner(client, story):
    client.force_login(story.owner)
    return story.owner


def page_url(name, story, number=1, **extra):
    return reverse(f"stories:{name}", kwargs={"story_id": story.pk, "number": number, **extra})


# Reading


def test_the_reader_shows_the_cover_every_page_with_its_picture_and_the_end(client, owner, story):
    response = client.get(reverse("stories:detail", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert story.title in html and "A story about Mia" in html and f"by {owner.author_name}" in html
    for page in story.pages.all():
        assert page.text in html
        assert f'id="page-{page.number}"' in html
        assert f'src="{page.selected_illustration.image.url}" alt="{page.visual_description}"' in html
    assert "The end" in html and "Friends share their umbrellas." in html
    assert 'href="#page-2" rel="next"' in html  # the no-JS Previous/Next links
    assert f"/stories/{story.pk}/export/pdf/" in html and f"/stories/{story.pk}/export/epub/" in html
    assert f'class="text-{owner.text_size}"' in html


def test_the_books_text_follows_the_age_group(client, owner):
    toddlers = book(1, owner=owner, age_group="1-2")
    response = client.get(reverse("stories:detail", args=[toddlers.pk]))
    assert 'class="reader age-1-2"' in response.content.decode()


def test_the_end_is_said_in_the_storys_language_in_the_reader_and_the_print_view(client, owner):
    german = book(1, owner=owner, language="de")
    for name in ("detail", "print"):
        assert ">Ende</h2>" in client.get(reverse(f"stories:{name}", args=[german.pk])).content.decode()


@pytest.mark.parametrize("status", ["queued", "generating", "failed"])
def test_a_story_that_is_not_ready_sends_the_reader_to_its_progress(client, status):
    story = StoryFactory(status=status, error_code="x" if status == "failed" else "")
    client.force_login(story.owner)
    for name in ("detail", "print"):
        response = client.get(reverse(f"stories:{name}", args=[story.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("stories:progress", args=[story.pk])


def test_the_reader_costs_the_same_queries_for_3_or_12_pages(client):
    owner = UserFactory()
    client.force_login(owner)
    short, long = book(3, owner=owner), book(12, owner=owner)
    IllustrationFactory(page=long.pages.get(number=5))  # a second candidate

    def queries(story):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("stories:detail", args=[story.pk])).status_code == 200
        return len(captured)

    assert queries(short) == queries(long)


def test_the_print_view_has_every_page_one_after_another(client, owner, story):
    response = client.get(reverse("stories:print", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="print-page"') == 3
    assert all(page.text in html for page in story.pages.all())
    assert "css/reader.css" in html  # its @media print rules start each page on a new sheet


def test_page_text_is_escaped_in_the_reader_and_the_print_view(client, owner, story):
    Page.objects.filter(story=story, number=2).update(text="<script>alert(1)</script>")
    story.title = "<b>Bold</b>"
    story.save()
    for name in ("detail", "print"):
        html = client.get(reverse(f"stories:{name}", args=[story.pk])).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>Bold</b>" not in html


def test_continue_as_a_series_names_the_cast_or_the_series(client, owner, story):
    cast = ",".join(str(role.character_id) for role in story.cast.all())
    html = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    assert f'href="/stories/new/?characters={cast}"' in html
    in_series = book(1, owner=owner, in_series=True)
    html = client.get(reverse("stories:detail", args=[in_series.pk])).content.decode()
    assert f'href="/stories/new/?series={in_series.series_id}"' in html


# Editing a page


def test_the_page_editor_without_javascript_is_the_reader_with_a_form_on_that_page(client, owner, story):
    response = client.get(page_url("page_edit", story, 2))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="page-2-text-input"' in html and 'name="version" value="1"' in html
    assert story.pages.get(number=1).text in html  # the rest of the book is still there


def test_with_htmx_the_page_editor_is_only_the_form(client, owner, story):
    response = client.get(page_url("page_edit", story, 2), **HTMX)
    html = response.content.decode()
    assert "<html" not in html and html.strip().startswith("<form")
    assert 'hx-post="' + page_url("page_edit", story, 2) + '"' in html
    cancel = client.get(page_url("page", story, 2), **HTMX).content.decode()
    assert 'id="page-2-text"' in cancel and story.pages.get(number=2).text in cancel


def test_saving_a_page_stores_the_text_and_raises_the_version(client, owner, story):
    response = client.post(page_url("page_edit", story, 1), {"text": "Mia found a blue boot.", "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:detail", args=[story.pk]) + "#page-1"
    page = story.pages.get(number=1)
    assert (page.text, page.version) == ("Mia found a blue boot.", 2)


def test_saving_with_htmx_answers_with_the_new_text(client, owner, story):
    response = client.post(page_url("page_edit", story, 1), {"text": "A new start.", "version": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "A new start." in html and "Saved." in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_save_is_a_conflict_that_shows_both_texts(client, owner, story, htmx):
    services.page_text_update(user=owner, story_id=story.pk, number=1, text="Their careful words.", version=1)
    response = client.post(
        page_url("page_edit", story, 1), {"text": "My own words.", "version": "1"}, **(HTMX if htmx else {})
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in html
    assert "Their careful words." in html  # what is saved now
    assert ">My own words.</textarea>" in html  # what the user typed, kept
    assert 'name="version" value="2"' in html  # saving again replaces theirs on purpose
    assert story.pages.get(number=1).text == "Their careful words."
    if htmx:
        assert response["X-Reader-Partial"] == "1"


def test_unsuitable_text_is_refused_with_a_message(client, owner, story):
    response = client.post(page_url("page_edit", story, 1), {"text": "He took a gun.", "version": "1"})
    assert response.status_code == 422
    assert "not suitable" in response.content.decode()
    assert ">He took a gun.</textarea>" in response.content.decode()
    assert story.pages.get(number=1).version == 1


def test_an_empty_page_is_refused_beside_the_box(client, owner, story):
    response = client.post(page_url("page_edit", story, 1), {"text": "  ", "version": "1"}, **HTMX)
    assert response.status_code == 400
    assert "A page needs some words." in response.content.decode()


# Pictures and regenerating


def test_using_another_picture_moves_the_selection(client, owner, story):
    page = story.pages.get(number=2)
    other = IllustrationFactory(page=page)
    html = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    select = page_url("illustration_select", story, 2, illustration_id=other.pk)
    assert f'action="{select}"' in html and "Use this picture" in html
    response = client.post(select)
    assert response.status_code == 302 and response["Location"].endswith("#page-2")
    page.refresh_from_db()
    assert page.selected_illustration == other


def test_asking_for_a_new_picture_queues_a_job_and_says_it_is_on_its_way(
    client, owner, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.post(page_url("page_regenerate", story, 2), {"what": "illustration"})
    job = GenerationJob.objects.get(page__story=story, kind=StoryJobKind.PAGE_ILLUSTRATION)
    assert (job.status, job.page.number, job.requested) == ("queued", 2, True)
    assert job.request_id == response["X-Request-ID"]
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:detail", args=[story.pk]) + f"?pending={job.pk}#page-2"
    html = client.get(response["Location"]).content.decode()
    assert "A new picture for page 2 is on its way." in html
    assert f"?pending={job.pk}#page-2" in html  # the reload link


def test_with_htmx_regenerating_text_answers_with_a_notice_that_polls_the_job(
    client, owner, story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.post(page_url("page_regenerate", story, 1), {"what": "text"}, **HTMX)
    job = GenerationJob.objects.get(page__story=story, kind=StoryJobKind.PAGE_TEXT)
    html = response.content.decode()
    status_url = reverse("stories:job", args=[story.pk, job.pk])
    assert response.status_code == 200 and "New text for page 1 is on its way." in html
    assert f'hx-get="{status_url}?seen=unfinished" hx-trigger="every 2s"' in html
    assert client.get(f"{status_url}?seen=unfinished", **HTMX).status_code == 204
    GenerationJob.objects.filter(pk=job.pk).update(status=GenerationJob.Status.SUCCEEDED, progress=100)
    done = client.get(f"{status_url}?seen=unfinished", **HTMX)
    assert done.status_code == 200 and "The new text for page 1 is in." in done.content.decode()


def test_regenerating_something_unknown_is_refused_in_place(client, owner, story):
    response = client.post(page_url("page_regenerate", story, 1), {"what": "music"})
    assert response.status_code == 400
    assert "Regenerate either" in response.content.decode()
    assert not GenerationJob.objects.filter(page__story=story).exists()


# Renaming and deleting


def test_renaming_the_story(client, owner, story):
    response = client.post(reverse("stories:title", args=[story.pk]), {"title": "  The Big   Splash "})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "The Big Splash"
    response = client.post(reverse("stories:title", args=[story.pk]), {"title": ""})
    assert response.status_code == 400 and "Give the story a title." in response.content.decode()


def test_deleting_asks_first_then_goes_back_to_the_gallery(client, owner, story):
    confirm = client.get(reverse("stories:delete", args=[story.pk]))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert Story.objects.filter(pk=story.pk).exists()
    response = client.post(reverse("stories:delete", args=[story.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("stories:list")
    assert not Story.objects.filter(pk=story.pk).exists()


# Other people's books, and logging in


def owner_urls(story, illustration_id, job_id):
    one = {"story_id": story.pk, "number": 1}
    return [
        ("get", reverse("stories:detail", args=[story.pk]), {}),
        ("get", reverse("stories:print", args=[story.pk]), {}),
        ("get", reverse("stories:page_edit", kwargs=one), {}),
        ("post", reverse("stories:page_edit", kwargs=one), {"text": "Mine now.", "version": "1"}),
        ("get", reverse("stories:page", kwargs=one), HTMX),
        ("post", reverse("stories:page_regenerate", kwargs=one), {"what": "text"}),
        ("post", reverse("stories:illustration_select", kwargs={**one, "illustration_id": illustration_id}), {}),
        ("get", reverse("stories:job", args=[story.pk, job_id]), HTMX),
        ("post", reverse("stories:share", args=[story.pk]), {}),
        ("post", reverse("stories:share", args=[story.pk]), {"action": "stop"}),
        ("post", reverse("stories:title", args=[story.pk]), {"title": "Mine now"}),
        ("get", reverse("stories:delete", args=[story.pk]), {}),
        ("post", reverse("stories:delete", args=[story.pk]), {}),
    ]


def test_another_users_book_is_not_found_at_any_of_its_addresses(client, story):
    job = GenerationJob.objects.create(
        owner=story.owner, kind="page_text", story=story, page=story.pages.first(), idempotency_key="k-1"
    )
    client.force_login(UserFactory())
    for method, url, data in owner_urls(story, story.pages.first().selected_illustration_id, job.pk):
        extra = data if data is HTMX else {}
        body = {} if data is HTMX else data
        response = getattr(client, method)(url, body, **extra)
        assert response.status_code == 404, (method, url)
    story.refresh_from_db()
    assert story.title != "Mine now" and story.share_token is None
    assert story.pages.get(number=1).text != "Mine now."
    assert not GenerationJob.objects.exclude(pk=job.pk).exists()


def test_the_owners_pages_need_a_log_in(client, story):
    for method, url, _data in owner_urls(story, 1, 1):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login"))


# Series


def test_the_series_list_shows_each_series_with_its_story_count_and_creates_one(client):
    owner = UserFactory()
    client.force_login(owner)
    series = SeriesFactory(owner=owner, title="Puddle Tales")
    book(1, owner=owner, series=series, series_position=1)
    SeriesFactory(title="Someone else's")
    html = client.get(reverse("stories:series_list")).content.decode()
    assert "Puddle Tales" in html and "1 story" in html and "Someone else" not in html
    response = client.post(reverse("stories:series_list"), {"title": "Snow Days", "description": "Winter fun."})
    created = Series.objects.get(owner=owner, title="Snow Days")
    assert response.status_code == 302 and response["Location"] == reverse("stories:series_detail", args=[created.pk])
    refused = client.post(reverse("stories:series_list"), {"title": "   "})
    assert refused.status_code == 400 and "Give the series a title." in refused.content.decode()


def test_a_series_page_lists_its_stories_in_order_with_covers_and_the_continue_link(client):
    owner = UserFactory()
    client.force_login(owner)
    series = SeriesFactory(owner=owner, title="Puddle Tales")
    second = book(1, owner=owner, series=series, series_position=2, title="Second Splash")
    first = book(1, owner=owner, series=series, series_position=1, title="First Splash")
    response = client.get(reverse("stories:series_detail", args=[series.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("First Splash") < html.index("Second Splash")
    for story in (first, second):
        assert story.pages.get().selected_illustration.image.url in html
    assert f'href="/stories/new/?series={series.pk}"' in html
    assert "Series" in html and reverse("stories:series_list") in html  # Home › Series › Title


def test_renaming_and_deleting_a_series_keeps_its_stories(client):
    owner = UserFactory()
    client.force_login(owner)
    series = SeriesFactory(owner=owner)
    story = book(1, owner=owner, series=series, series_position=1)
    client.post(reverse("stories:series_update", args=[series.pk]), {"title": "New name", "description": ""})
    series.refresh_from_db()
    assert series.title == "New name"
    response = client.post(reverse("stories:series_delete", args=[series.pk]))
    assert response.status_code == 302
    assert not Series.objects.filter(pk=series.pk).exists()
    story.refresh_from_db()
    assert story.series is None


def test_another_users_series_is_not_found(client):
    series = SeriesFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("stories:series_detail", args=[series.pk])).status_code == 404
    assert client.post(reverse("stories:series_update", args=[series.pk]), {"title": "Mine"}).status_code == 404
    assert client.post(reverse("stories:series_delete", args=[series.pk])).status_code == 404
    assert Series.objects.filter(pk=series.pk, title=series.title).exists()


def test_series_pages_cost_the_same_queries_for_2_or_10_stories(client):
    owner = UserFactory()
    client.force_login(owner)
    small, big = SeriesFactory(owner=owner), SeriesFactory(owner=owner)
    for position in range(1, 3):
        book(1, owner=owner, series=small, series_position=position)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    list_before = queries(reverse("stories:series_list"))
    small_detail = queries(reverse("stories:series_detail", args=[small.pk]))
    for position in range(1, 11):
        book(1, owner=owner, series=big, series_position=position)
    assert queries(reverse("stories:series_detail", args=[big.pk])) == small_detail
    assert queries(reverse("stories:series_list")) == list_before
