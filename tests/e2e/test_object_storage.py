"""A book whose pictures are in a private bucket, read in Chromium: the reader's
pictures go through the access check and are then fetched from the bucket at their
signed address, which the page's Content-Security-Policy must let through, on the
first visit and under the service worker alike."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Watch, log_in, ready_book
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

CONTROLLED = "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
LOADED = "img => img.complete && img.naturalWidth > 0"


def test_the_readers_pictures_come_from_the_bucket(live_server, new_context, s3_storage, s3_server):
    user = UserFactory()
    story = ready_book(user, pages=2)
    context = new_context()
    log_in(context, live_server.url, user)
    page = context.new_page()
    watch = Watch(page)

    for visit in ("first visit", "under the service worker"):
        if visit != "first visit":
            if not page.evaluate(CONTROLLED):
                page.reload()
            assert page.evaluate(CONTROLLED), "the service worker does not control the page"
        page.goto(f"{live_server.url}/stories/{story.pk}/#page-1")
        picture = page.locator("#page-1 .page-picture img")
        expect(picture).to_be_visible()
        page.wait_for_function("img => img.complete", arg=picture.element_handle())
        assert picture.evaluate(LOADED), f"{visit}: the picture did not load; console: {watch.console}"

    from_bucket = [url for url in watch.requests if url.startswith(f"{s3_server.endpoint_url}/{s3_storage.name}/")]
    assert from_bucket and all("X-Amz-Signature=" in url for url in from_bucket)
    assert not [line for line in watch.console if "Content Security Policy" in line]
