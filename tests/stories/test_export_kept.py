"""A made book file is kept: asking again for the same book and options is answered
from the shared cache, anything changed in the book makes it anew, and new files are
made only within the user's export limit (STORYFORGE_RATE_EXPORT)."""

import pytest

from stories import services
from stories.export import book_export
from stories.export import download as download_module
from storyforge.core.errors import RateLimited
from tests.stories.export_books import ready_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many PDFs were laid out (the real layout runs; it is only counted)."""
    made = []
    real = download_module.book_pdf

    def counted(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(download_module, "book_pdf", counted)
    return made


def _pdf(story, **options):
    return book_export(user=story.owner, story_id=story.pk, format="pdf", **options).data


def test_asking_again_for_the_same_pdf_does_not_lay_it_out_again(renders):
    story = ready_story(2)

    first = _pdf(story)
    again = _pdf(story)

    assert first == again
    assert len(renders) == 1


def test_each_size_and_bleed_is_its_own_file(renders):
    story = ready_story(2)
    files = {_pdf(story), _pdf(story, size="a4"), _pdf(story, size="a4", bleed=True), _pdf(story, size="a4")}
    assert len(files) == 3
    assert len(renders) == 3


def test_an_edited_page_makes_the_file_anew(renders):
    story = ready_story(2)
    before = _pdf(story)
    page = story.pages.get(number=1)
    services.page_text_update(
        user=story.owner, story_id=story.pk, number=1, text="A brand new first page.", version=page.version
    )

    after = _pdf(story)

    assert after != before
    assert len(renders) == 2


def test_new_files_stop_at_the_export_limit_but_kept_ones_still_download(renders, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export_user": "2/h"}
    story = ready_story(2)
    square = _pdf(story)
    _pdf(story, size="a4")

    with pytest.raises(RateLimited) as refused:
        _pdf(story, size="letter")

    assert 0 < refused.value.details["retry_after"] <= 3600
    assert _pdf(story) == square  # kept: no new layout needed
    assert len(renders) == 2


def test_the_download_link_answers_429_with_retry_after_over_the_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export_user": "1/h"}
    story = ready_story(2)
    client.force_login(story.owner)
    assert client.get(f"/stories/{story.pk}/export/pdf/").status_code == 200

    refused = client.get(f"/stories/{story.pk}/export/pdf/?size=a4")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert client.get(f"/stories/{story.pk}/export/pdf/").status_code == 200  # kept
