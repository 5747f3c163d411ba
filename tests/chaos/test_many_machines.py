"""StoryForge on many machines, played on one box: this test process is the web
node, and two Celery workers each have their own empty var folder and MEDIA_ROOT, so
they share no disk, only what separate machines share: PostgreSQL, Redis and the S3
bucket (moto). A book's pictures are drawn by both workers, each reading the
reference portrait from the bucket; the web node reads the book and exports its PDF
from the bucket. Then one worker is SIGKILLed in the middle of a second book, and
the other finishes it: no page lost, none drawn or charged twice.

Runs in the PostgreSQL pass of `make test` (both_databases): workers on other
machines cannot share a SQLite file."""

import io
import re
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from django.db import connection
from pypdf import PdfReader

from stories import services
from stories.models import Illustration, Page, Story
from storyforge.generation.models import GenerationJob
from tests.chaos import shared_cache_use, successful, wait_until
from tests.factories import CharacterFactory, PortraitFactory, UserFactory
from tests.workers import CeleryWorker, broker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.chaos,
    pytest.mark.both_databases,
]

PAGES = 12
TASK = "stories.tasks.page_illustration_draw"


def _tasks(log: str, event: str) -> list[str]:
    """Ids of the picture tasks a worker's log says it `received` or that `succeeded`."""
    return re.findall(rf"{re.escape(TASK)}\[([0-9a-f-]+)\] {event}", log)


def _in_hand(worker: CeleryWorker) -> set[str]:
    log = worker.log()
    return set(_tasks(log, "received")) - set(_tasks(log, "succeeded"))


def _drew(worker: CeleryWorker) -> set[str]:
    return set(_tasks(worker.log(), "succeeded"))


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def machines(redis_server, s3_storage, openai_settings, fake_openai, settings, tmp_path):
    """Two workers, each on a 'machine' of its own (its own var folder and MEDIA_ROOT),
    sharing PostgreSQL, Redis and the bucket with this process, the web node."""
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of make test: machines share PostgreSQL, not a SQLite file")
    shared_cache_use(settings, redis_server.url)
    settings.STORYFORGE_DAILY_BUDGET = Decimal("1000")
    fake_openai.endpoint_latency = {"edits": 0.3}  # a picture takes a while, as a real one does
    # One picture at a time each. A task not acknowledged within 10 s (its worker died)
    # goes to the other worker: longer than any picture takes here, a cold start included.
    env = {"CELERY_VISIBILITY_TIMEOUT": "10", "STORYFORGE_DAILY_BUDGET": "1000"}
    folders = [tmp_path / "machine-a", tmp_path / "machine-b"]
    workers = [
        CeleryWorker(
            redis_url=redis_server.url, log_path=tmp_path / f"{folder.name}.log", concurrency=1, env=env, var_dir=folder
        )
        for folder in folders
    ]
    try:
        for worker in workers:
            worker.launch()
        for worker in workers:
            worker.ready()
        yield workers
    finally:
        for worker in workers:
            if worker.process is not None:
                worker.stop()
    for folder in folders:  # nothing was kept on a worker's own disk
        assert not _files_under(folder / "media")


def _book_asked(redis_url: str) -> tuple[Story, bytes]:
    """A twelve-page book of Mia, whose portrait is in the bucket; and the portrait's bytes."""
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    mia.selected_portrait = PortraitFactory(character=mia, is_selected=True)
    mia.save(update_fields=["selected_portrait"])
    with broker(redis_url):
        story, _job = services.story_create(user=user, characters=[{"character": mia.pk}], page_count=PAGES)
    with mia.selected_portrait.image.open("rb") as portrait:
        return story, portrait.read()


def _ready(story: Story):
    return lambda: Story.objects.values_list("status", flat=True).get(pk=story.pk) == Story.Status.READY


def _cover_drawn(story: Story):
    """The cover is queued after the pages and may finish after the book is ready."""
    jobs = GenerationJob.objects.filter(story=story, kind="cover_illustration")
    return lambda: jobs.exists() and not jobs.exclude(status="succeeded").exists()


def _logs(workers):
    return lambda: "\n".join(worker.log()[-3000:] for worker in workers)


def _pictures(story: Story) -> list[str]:
    return list(Illustration.objects.filter(page__story=story).values_list("image", flat=True))


def _made_once(story: Story, settings) -> None:
    """Every page has its picture, none drawn or charged twice, each in the bucket."""
    pages = Page.objects.filter(story=story)
    assert pages.count() == PAGES and not pages.filter(selected_illustration__isnull=True).exists()
    assert len(_pictures(story)) == PAGES
    jobs = GenerationJob.objects.filter(story=story, kind="page_illustration")
    assert jobs.count() == PAGES and set(jobs.values_list("status", flat=True)) == {"succeeded"}
    assert sum(job.cost for job in jobs) == PAGES * settings.OPENAI_PRICE_IMAGE


def test_two_workers_with_no_shared_disk_make_books_the_web_node_reads_even_when_one_dies(
    machines, redis_server, s3_storage, fake_openai, client, settings
):
    first, second = machines

    # Both machines draw the pages of one book, each from the portrait in the bucket.
    story, portrait = _book_asked(redis_server.url)
    wait_until(_ready(story), 40, "the first book finishing", _logs(machines))
    wait_until(_cover_drawn(story), 20, "the first book's cover", _logs(machines))
    drew = [_drew(worker) for worker in machines]
    assert all(drew) and len(drew[0] | drew[1]) == PAGES, f"pictures each worker drew: {list(map(len, drew))}"
    drawings = successful(fake_openai.requests, "edits")
    assert len(drawings) == PAGES + 1  # every page and the cover, none drawn twice
    assert all([file["size"] for file in request.files] == [len(portrait)] for request in drawings)
    _made_once(story, settings)
    assert set(_pictures(story)) <= s3_storage.names()

    # The web node reads the book (the access check, then the bucket) and prints it.
    client.force_login(story.owner)
    page = client.get(f"/stories/{story.pk}/").content.decode()
    for name in _pictures(story):
        assert f'src="/media/{name}"' in page
        answer = client.get(f"/media/{name}")
        assert answer.status_code == 302
        assert httpx.get(answer["Location"]).content == s3_storage.read(name)
    pdf = client.get(f"/api/v1/stories/{story.pk}/export/?format=pdf")  # the reader's is made on a cpu worker
    assert pdf.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == PAGES + 2  # a cover and an end page

    # One machine dies mid-picture in the next book; the other finishes it.
    story, _portrait = _book_asked(redis_server.url)
    before = _drew(first)

    def first_mid_picture() -> bool:
        return len(_pictures(story)) >= 2 and bool(_in_hand(first) - before)

    wait_until(first_mid_picture, 30, "the first worker drawing the next book", _logs(machines))
    held = _in_hand(first)
    first.kill()
    wait_until(_ready(story), 40, "the other worker finishing the book", _logs(machines))
    assert held <= _drew(second), "the picture the dead worker held was not drawn by the other"
    _made_once(story, settings)
    assert set(_pictures(story)) <= s3_storage.names()
