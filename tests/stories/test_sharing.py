"""Sharing a finished book through a read-only link, and stopping it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stories import services
from stories.models import Page, Story
from stories.selectors import story_get_shared
from storyforge.core.errors import Conflict, NotFound
from tests.factories import IllustrationFactory, StoryCharacterFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def book(pages: int = 3, **kwargs) -> Story:
    story = StoryFactory(status=Story.Status.READY, page_count=pages, pages=pages, **kwargs)
    StoryCharacterFactory(story=story, character__name="Leo")
    for page in story.pages.all():
        page.selected_illustration = IllustrationFactory(page=page, is_selected=True)
        page.save()
    return story


@pytest.fixture
def story():
    return book(3)


def shared_url(token):
    return reverse("stories:shared", args=[token])


# The services and the selector


def test_sharing_makes_an_unguessable_token_once(story):
    token = services.story_share(user=story.owner, story_id=story.pk)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert services.story_share(user=story.owner, story_id=story.pk) == token
    story.refresh_from_db()
    assert story.share_token == token
    assert story_get_shared(token=token) == story


def test_stopping_and_sharing_again_makes_a_new_link(story):
    old = services.story_share(user=story.owner, story_id=story.pk)
    services.story_unshare(user=story.owner, story_id=story.pk)
    story.refresh_from_db()
    assert story.share_token is None
    with pytest.raises(NotFound):
        story_get_shared(token=old)
    assert services.story_share(user=story.owner, story_id=story.pk) != old


def test_only_the_owner_can_share_or_stop_sharing(story):
    with pytest.raises(NotFound):
        services.story_share(user=UserFactory(), story_id=story.pk)
    token = services.story_share(user=story.owner, story_id=story.pk)
    with pytest.raises(NotFound):
        services.story_unshare(user=UserFactory(), story_id=story.pk)
    assert story_get_shared(token=token) == story


def test_an_unfinished_story_cannot_be_shared_and_its_old_link_shows_nothing(story):
    token = services.story_share(user=story.owner, story_id=story.pk)
    draft = StoryFactory(status=Story.Status.GENERATING)
    with pytest.raises(Conflict):
        services.story_share(user=draft.owner, story_id=draft.pk)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.GENERATING)
    with pytest.raises(NotFound):
        story_get_shared(token=token)


@pytest.mark.parametrize("token", ["", None, "no-such-token"])
def test_an_unknown_token_is_not_found(story, token):
    services.story_share(user=story.owner, story_id=story.pk)
    with pytest.raises(NotFound):
        story_get_shared(token=token)


# The pages


def test_the_owner_shares_from_the_reader_and_sees_the_link(client, story):
    client.force_login(story.owner)
    response = client.post(reverse("stories:share", args=[story.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:detail", args=[story.pk]) + "#share"
    story.refresh_from_db()
    html = client.get(response["Location"]).content.decode()
    assert f'value="http://testserver{shared_url(story.share_token)}"' in html
    assert "Stop sharing" in html


def test_the_shared_page_works_logged_out_and_has_no_edit_controls(client, story):
    token = services.story_share(user=story.owner, story_id=story.pk)
    response = client.get(shared_url(token))
    html = response.content.decode()
    assert response.status_code == 200
    for page in story.pages.all():
        assert page.text in html
        assert f'alt="{page.visual_description}"' in html
    assert f"by {story.owner.author_name}" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "js/reader.js" in html and "data-read-aloud-controls" in html
    assert 'method="post"' not in html and "/pages/" not in html and "hx-post" not in html
    for control in ("Change page", "Edit text", "Use this picture", "Stop sharing", "Rename", "Delete", "Download"):
        assert control not in html


def test_stopping_sharing_makes_the_old_link_a_404(client, story):
    token = services.story_share(user=story.owner, story_id=story.pk)
    client.force_login(story.owner)
    response = client.post(reverse("stories:share", args=[story.pk]), {"action": "stop"})
    assert response.status_code == 302
    client.logout()
    assert client.get(shared_url(token)).status_code == 404


def test_the_shared_page_escapes_page_text(client, story):
    Page.objects.filter(story=story, number=1).update(text="<script>alert(1)</script>")
    token = services.story_share(user=story.owner, story_id=story.pk)
    html = client.get(shared_url(token)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_shared_page_costs_the_same_queries_for_3_or_12_pages(client):
    short, long = book(3), book(12)
    tokens = [services.story_share(user=story.owner, story_id=story.pk) for story in (short, long)]

    def queries(token):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(shared_url(token)).status_code == 200
        return len(captured)

    assert queries(tokens[0]) == queries(tokens[1])


def test_a_narrated_shared_book_plays_its_narration(client, story):
    from storyforge.core.reading import sentences
    from tests.factories import SentenceClipFactory

    for page in story.pages.all():
        for index, text in enumerate(sentences(page.text)):
            SentenceClipFactory(page=page, index=index, text=text)
    services.story_share(user=story.owner, story_id=story.pk)
    story.refresh_from_db()

    text = client.get(shared_url(story.share_token)).content.decode()

    assert text.count('class="sentence" data-clip="/media/narration/') == 3
    assert "Read-along EPUB" not in text  # downloads are the owner's


def test_the_owner_reader_offers_the_read_along_downloads_once_narrated(client, story):
    from storyforge.core.reading import sentences
    from tests.factories import SentenceClipFactory

    client.force_login(story.owner)
    assert "Read-along EPUB" not in client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    for page in story.pages.all():
        for index, text in enumerate(sentences(page.text)):
            SentenceClipFactory(page=page, index=index, text=text)
    from storyforge.core.pagecache import pagecache_invalidate

    pagecache_invalidate(story.owner_id)

    text = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    assert f"/stories/{story.pk}/export/epub/?narrated=1" in text and f"/stories/{story.pk}/export/mp3/" in text
