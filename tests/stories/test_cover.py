"""A book's own cover picture: drawn with the book after its text (the pages never wait
for it), composed for the cover, judged like every picture, drawn again on request and
chosen among its candidates; a book made before covers keeps page 1's picture."""

import pytest

from stories import services
from stories.models import CoverPicture, Illustration, Page, Story
from storyforge.core.errors import Conflict, NotFound
from storyforge.generation.models import GenerationJob
from tests.factories import CharacterFactory, CoverPictureFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def mia():
    return CharacterFactory(owner=UserFactory(), name="Mia")


def create(mia, page_count=3, **brief):
    story, _ = services.story_create(user=mia.owner, characters=[{"character": mia.pk}], page_count=page_count, **brief)
    story.refresh_from_db()
    return story


def read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def test_a_new_book_gets_a_cover_of_its_own_drawn_after_its_pages(mia, media_root):
    story = create(mia, title="Mia and the Lost Kite")

    assert story.status == Story.Status.READY
    cover = story.cover
    assert cover is not None and cover.is_selected and cover.story_id == story.pk
    assert cover.image.name.startswith("covers/") and (media_root / cover.image.name).is_file()
    assert "Mia and the Lost Kite" in cover.prompt
    first_page = Page.objects.get(story=story, number=1).selected_illustration
    assert read(cover.image) != read(first_page.image)  # composed for the cover, not page 1 again
    jobs = list(GenerationJob.objects.filter(story=story).order_by("pk").values_list("kind", "requested"))
    assert jobs[-1] == ("cover_illustration", False)  # queued after every page: no page waits for it
    assert [kind for kind, _ in jobs].count("page_illustration") == 3


def test_a_cover_the_moderation_refuses_is_thrown_away_and_the_book_keeps_page_ones_picture(
    mia, openai_settings, fake_openai, media_root
):
    fake_openai.unsafe_picture_word = "front cover"  # only the cover's prompt says it

    story = create(mia)

    job = GenerationJob.objects.get(story=story, kind="cover_illustration")
    assert (job.status, job.error_code) == ("failed", "CONTENT_FLAGGED")
    assert "The picture drawn for the cover did not look suitable" in job.error_message
    assert story.status == Story.Status.READY and story.cover is None
    assert not CoverPicture.objects.exists() and not list((media_root / "covers").rglob("*.png"))
    assert Illustration.objects.filter(page__story=story).count() == 3


def test_a_cover_drawn_again_is_a_new_candidate_until_it_is_chosen(mia):
    story = create(mia)
    first = story.cover

    job = services.cover_regenerate(user=mia.owner, story_id=story.pk)

    job.refresh_from_db()
    assert (job.status, job.kind, job.requested) == ("succeeded", "cover_illustration", True)
    story.refresh_from_db()
    second = CoverPicture.objects.exclude(pk=first.pk).get(story=story)
    assert story.cover_id == first.pk and not second.is_selected
    assert read(second.image) != read(first.image)  # a new seed, a new picture

    services.cover_select(user=mia.owner, story_id=story.pk, cover_id=second.pk)

    story.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert story.cover_id == second.pk and second.is_selected and not first.is_selected


def test_a_book_made_before_covers_gets_its_first_cover_chosen_at_once(mia):
    story = create(mia)
    CoverPicture.objects.filter(story=story).delete()
    story.refresh_from_db()
    assert story.cover is None

    services.cover_regenerate(user=mia.owner, story_id=story.pk)

    story.refresh_from_db()
    assert story.cover is not None and story.cover.is_selected


def test_only_the_owner_of_a_finished_book_can_ask_for_its_cover(mia):
    story = create(mia)
    other = UserFactory()
    with pytest.raises(NotFound):
        services.cover_regenerate(user=other, story_id=story.pk)
    with pytest.raises(NotFound):
        services.cover_select(user=other, story_id=story.pk, cover_id=story.cover_id)
    theirs = CoverPictureFactory(story__owner=other)
    with pytest.raises(NotFound):
        services.cover_select(user=mia.owner, story_id=story.pk, cover_id=theirs.pk)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.GENERATING)
    with pytest.raises(Conflict):
        services.cover_regenerate(user=mia.owner, story_id=story.pk)


def test_deleting_a_book_removes_its_cover_files(mia, media_root, django_capture_on_commit_callbacks):
    story = create(mia)
    path = media_root / story.cover.image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.story_delete(user=mia.owner, story_id=story.pk)

    assert not path.exists() and not CoverPicture.objects.exists()


def test_the_ai_is_asked_for_a_cover_not_a_page(mia):
    from stories.services.cover import cover_scene
    from storyforge.generation.providers.prompts import scene_prompt

    story = create(mia, title="Mia and the Lost Kite")

    prompt = scene_prompt(cover_scene(story))

    assert prompt.startswith('The front cover of the picture book "Mia and the Lost Kite": Mia, large and facing')
    assert "Mia is " in prompt and "no text" in prompt  # her look word for word, and no lettering
