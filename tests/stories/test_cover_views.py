"""The cover over the API and in the reader: the story's JSON carries the picture on its
cover (its own, or page 1's for a book made before covers), the cover is drawn again
and chosen like a page's picture, and its file is as private as every picture."""

import pytest

from stories.models import CoverPicture, Story
from storyforge.generation.models import GenerationJob
from tests.api_client import *  # noqa: F403 - the fixtures
from tests.api_client import assert_error, queries_of
from tests.factories import CoverPictureFactory, StoryFactory
from tests.stories.api_fixtures import *  # noqa: F403 - the fixtures
from tests.stories.api_fixtures import STORIES, assert_not_found_without_data

pytestmark = pytest.mark.django_db


def test_a_storys_json_carries_its_own_cover_and_every_candidate(api, story):
    chosen = CoverPictureFactory(story=story, chosen=True)
    CoverPictureFactory(story=story)

    body = api.get(f"{STORIES}{story.pk}/").json()

    assert body["cover"]["source"] == "cover"
    assert body["cover"]["url"].startswith("http://testserver/media/covers/")
    assert chosen.image.name in body["cover"]["url"]
    assert [c["id"] for c in body["cover_pictures"]][0] == chosen.pk  # oldest first
    assert [c["is_selected"] for c in body["cover_pictures"]] == [True, False]
    listed = api.get(STORIES).json()["results"][0]
    assert listed["cover"] == body["cover"] and "cover_pictures" not in listed


def test_a_book_made_before_covers_shows_page_ones_picture_and_a_new_book_none(api, owner, story):
    page_one = story.pages.get(number=1).selected_illustration

    body = api.get(f"{STORIES}{story.pk}/").json()

    assert body["cover"]["source"] == "page" and page_one.image.name in body["cover"]["url"]
    assert body["cover_pictures"] == []
    queued = StoryFactory(owner=owner, status=Story.Status.QUEUED)
    assert api.get(f"{STORIES}{queued.pk}/").json()["cover"] is None


def test_the_list_with_covers_costs_the_same_queries_for_2_and_20_stories(owner):
    def stories(count):
        for story in StoryFactory.create_batch(count, owner=owner, in_series=False):
            CoverPictureFactory(story=story, chosen=True)

    stories(2)
    few = queries_of(owner, f"{STORIES}?page_size=100")
    stories(18)
    assert queries_of(owner, f"{STORIES}?page_size=100") == few


def test_asking_for_a_new_cover_over_the_api_queues_a_job(api, owner, story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = api.post(f"{STORIES}{story.pk}/cover/regenerate/")

    assert response.status_code == 202
    job = GenerationJob.objects.get(pk=response.json()["id"])
    assert (job.kind, job.story_id, job.page_id, job.requested) == ("cover_illustration", story.pk, None, True)


def test_a_cover_cannot_be_asked_for_while_the_book_is_being_made(api, owner):
    making = StoryFactory(owner=owner, status=Story.Status.GENERATING)
    assert_error(api.post(f"{STORIES}{making.pk}/cover/regenerate/"), 409, "CONFLICT")


def test_choosing_a_cover_over_the_api(api, story):
    first = CoverPictureFactory(story=story, chosen=True)
    second = CoverPictureFactory(story=story)

    response = api.post(f"{STORIES}{story.pk}/cover/{second.pk}/select/")

    assert response.status_code == 200 and response.json()["id"] == second.pk and response.json()["is_selected"]
    story.refresh_from_db()
    first.refresh_from_db()
    assert story.cover_id == second.pk and not first.is_selected


def test_another_users_cover_is_not_found(api, story, theirs):
    theirs_cover = CoverPictureFactory(story=theirs, chosen=True)
    assert_not_found_without_data(api.post(f"{STORIES}{theirs.pk}/cover/regenerate/"))
    assert_not_found_without_data(api.post(f"{STORIES}{theirs.pk}/cover/{theirs_cover.pk}/select/"))
    assert_error(api.post(f"{STORIES}{story.pk}/cover/{theirs_cover.pk}/select/"), 404, "NOT_FOUND")
    theirs.refresh_from_db()
    assert theirs.cover_id == theirs_cover.pk and not GenerationJob.objects.exists()


@pytest.mark.parametrize("path", ["cover/regenerate/", "cover/1/select/"])
def test_the_cover_endpoints_need_credentials(anonymous, path):
    assert_error(anonymous.post(f"{STORIES}1/{path}"), 401, "AUTH_ERROR")


def test_a_cover_is_as_private_as_every_picture(client, owner, story, stranger):
    cover = CoverPictureFactory(story=story, chosen=True)
    address = f"/media/{cover.image.name}"
    client.force_login(stranger)
    assert client.get(address).status_code == 404
    client.force_login(owner)
    assert client.get(address).status_code == 200
    client.logout()
    Story.objects.filter(pk=story.pk).update(share_token="k" * 40)
    assert client.get(address, {"share": "k" * 40}).status_code == 200


# In the reader


def test_the_reader_shows_the_books_own_cover_and_its_candidates(client, owner, story):
    chosen = CoverPictureFactory(story=story, chosen=True)
    other = CoverPictureFactory(story=story)
    client.force_login(owner)

    html = client.get(f"/stories/{story.pk}/").content.decode()

    cover_section = html[html.index('id="cover"') : html.index('id="page-1"')]
    assert chosen.image.name in cover_section
    assert "Draw a new cover" in cover_section and f"/stories/{story.pk}/cover/regenerate/" in cover_section
    assert f"/stories/{story.pk}/cover/{other.pk}/select/" in cover_section and "On the cover" in cover_section


def test_the_readers_buttons_draw_a_new_cover_and_choose_it(client, owner, story, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/stories/{story.pk}/cover/regenerate/")
    assert response.status_code == 302 and response["Location"].endswith(f"/stories/{story.pk}/#cover-tools")
    assert GenerationJob.objects.filter(story=story, kind="cover_illustration").exists()
    assert "A new cover is being drawn" in client.get(f"/stories/{story.pk}/").content.decode()

    cover = CoverPictureFactory(story=story)
    response = client.post(f"/stories/{story.pk}/cover/{cover.pk}/select/")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.cover_id == cover.pk
    assert client.post(f"/stories/{story.pk}/cover/{cover.pk + 100}/select/").status_code == 404


def test_the_gallery_and_the_shared_page_show_the_books_own_cover(client, owner, story):
    cover = CoverPictureFactory(story=story, chosen=True)
    client.force_login(owner)
    assert cover.image.name in client.get("/stories/").content.decode()
    Story.objects.filter(pk=story.pk).update(share_token="s" * 40)
    client.logout()
    assert cover.image.name in client.get(f"/shared/{'s' * 40}/").content.decode()
    assert not CoverPicture.objects.filter(is_selected=False).exists()
