"""The audiobook: a narrated story exported as `format="mp3"` is one MP3 of every page's
clips in order with 1.5 s of silence between pages, tagged with the book's title,
author and series; a story not fully narrated is a Conflict."""

import io

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from stories.export import BOOK_FORMATS, book_export
from stories.export.audiobook import PAGE_PAUSE_SECONDS
from storyforge.core import audio
from storyforge.core.errors import Conflict, InvalidInput, NotFound
from tests.factories import SeriesFactory, UserFactory
from tests.stories.export_books import ready_story
from tests.stories.test_export_narrated import TEXT, clips_of, narrate, narrated_story

pytestmark = pytest.mark.django_db


def audiobook(story):
    return book_export(user=story.owner, story_id=story.pk, format="mp3")


def silent_stretches_ms(pcm: bytes, *, longer_than_ms: int = 1000) -> list[int]:
    """How long each run of silence longer than `longer_than_ms` lasts, in order (10 ms steps)."""
    step = audio.SAMPLE_RATE // 100 * audio.SAMPLE_BYTES
    samples = memoryview(pcm).cast("h")
    stretches, run = [], 0
    for start in range(0, len(samples), step // audio.SAMPLE_BYTES):
        quiet = max((abs(value) for value in samples[start : start + step // audio.SAMPLE_BYTES]), default=0) < 200
        if quiet:
            run += 10
        else:
            if run > longer_than_ms:
                stretches.append(run)
            run = 0
    return stretches


def test_the_audiobook_lasts_as_long_as_the_clips_and_the_pauses_between_pages():
    story = narrated_story(3)
    clips = sum(audio.duration_ms(clip.audio.read()) for clip in clips_of(story))

    download = audiobook(story)

    pcm = audio.pcm_of(download.data)  # decodes, tags and all
    expected = clips + 2 * PAGE_PAUSE_SECONDS * 1000
    assert abs(audio.duration_ms(download.data) - expected) <= 100
    assert abs(len(pcm) / (audio.SAMPLE_RATE * audio.SAMPLE_BYTES) * 1000 - expected) <= 100
    stretches = silent_stretches_ms(pcm)
    assert len(stretches) == 2  # one pause between each two pages, none between sentences
    assert all(abs(stretch - 1500) <= 100 for stretch in stretches), stretches


def test_the_audiobook_is_named_after_the_book_and_tagged_with_it():
    author = UserFactory(first_name="Zoë", last_name="Brontë")
    series = SeriesFactory(owner=author, title="Mia’s Adventures")
    story = narrated_story(2, owner=author, title="Mia & the Kite – Über alles", series=series, series_position=1)

    download = audiobook(story)

    assert download.content_type == BOOK_FORMATS["mp3"] == "audio/mpeg"
    assert download.filename == "mia-the-kite-uber-alles.mp3"
    tags = ID3(io.BytesIO(download.data))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Mia & the Kite – Über alles"
    assert str(tags["TPE1"]) == "Zoë Brontë"
    assert str(tags["TALB"]) == "Mia’s Adventures"
    assert tags["TCON"].genres == ["Audiobook"]
    info = MP3(io.BytesIO(download.data)).info
    assert info.sample_rate == audio.SAMPLE_RATE and info.channels == 1


def test_a_book_outside_a_series_has_no_album():
    story = narrated_story(1)

    tags = ID3(io.BytesIO(audiobook(story).data))

    assert "TALB" not in tags and str(tags["TIT2"]) == "The Puddle Expedition"
    assert str(tags["TPE1"]) == "Ada Lovelace"


@pytest.mark.parametrize("how", ["one page not narrated", "one page narrated before its text changed"])
def test_a_story_not_fully_narrated_is_a_conflict(how):
    story = ready_story(2, texts=[TEXT.format(n=n) for n in (1, 2)])
    first, second = story.pages.order_by("number")
    narrate(first)
    if how == "one page narrated before its text changed":
        narrate(second)
        second.text += " Then it rained."
        second.version += 1
        second.save()

    with pytest.raises(Conflict, match="Narrate the book first: page 2 is not read aloud yet"):
        audiobook(story)


def test_another_users_story_is_not_found():
    story = narrated_story(1)

    with pytest.raises(NotFound):
        book_export(user=UserFactory(), story_id=story.pk, format="mp3")


def test_an_unknown_format_names_the_audiobook_among_the_choices():
    story = narrated_story(1)

    with pytest.raises(InvalidInput) as error:
        book_export(user=story.owner, story_id=story.pk, format="wav")
    assert "mp3 (MP3 audiobook)" in str(error.value.details["fields"]["format"])


@pytest.mark.parametrize("url", ["/stories/{id}/export/mp3/", "/api/v1/stories/{id}/export/?format=mp3"])
def test_the_download_links_answer_the_audiobook(client, url):
    story = narrated_story(1, title="The Lost Kite")
    client.force_login(story.owner)

    response = client.get(url.format(id=story.pk))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Disposition"] == 'attachment; filename="the-lost-kite.mp3"'
    assert audio.duration_ms(response.content) > 0


def test_asking_for_the_audiobook_of_an_unnarrated_story_is_a_409(client):
    story = ready_story(1)
    client.force_login(story.owner)

    response = client.get(f"/api/v1/stories/{story.pk}/export/?format=mp3")

    assert response.status_code == 409
    assert response.json()["error"]["details"]["pages_not_narrated"] == [1]
