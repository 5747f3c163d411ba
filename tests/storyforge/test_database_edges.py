"""Database edge cases, run on SQLite and again on PostgreSQL (`make test`'s second pass):
half-done work leaves nothing behind, two editors at once, broken foreign keys,
and migrations that go back and forth over real rows."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_save

from characters.models import Character, Portrait
from characters.services import portrait_candidates_draw
from stories import services
from stories.models import Illustration, Page, Story, StoryCharacter
from storyforge.core.errors import Conflict
from storyforge.generation.models import GenerationJob
from tests.factories import (
    CharacterFactory,
    GenerationJobFactory,
    PageFactory,
    PortraitFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)
from tests.workers import database_url

pytestmark = pytest.mark.both_databases


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def integrity_error(*args, **kwargs):
    raise IntegrityError("insert refused by the database")


# --- A service that fails half-way leaves no rows and no files ------------------------


@pytest.mark.django_db(transaction=True)
def test_portrait_candidates_whose_rows_cannot_be_saved_leave_no_rows_and_no_files(monkeypatch, media_root):
    character = CharacterFactory()
    job = GenerationJobFactory(owner=character.owner, kind="portrait", story=None, character=character)
    # The failure is injected at the ORM boundary: no data can make this insert fail
    # honestly once the character exists. The files are already on disk by then.
    monkeypatch.setattr(Portrait.objects, "bulk_create", integrity_error)
    with pytest.raises(IntegrityError):
        portrait_candidates_draw(job_id=job.pk)
    assert not Portrait.objects.filter(character=character).exists()
    job.refresh_from_db()
    assert job.status != GenerationJob.Status.SUCCEEDED
    assert files_under(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_page_picture_whose_row_cannot_be_saved_leaves_no_row_and_no_file(monkeypatch, media_root):
    page = PageFactory()
    job = GenerationJobFactory(owner=page.story.owner, kind="page_illustration", story=page.story, page=page)
    # Injected at the ORM boundary, after the picture's file was written.
    monkeypatch.setattr(Illustration.objects, "create", integrity_error)
    with pytest.raises(IntegrityError):
        services.page_illustration_draw(job_id=job.pk)
    assert not Illustration.objects.filter(page=page).exists()
    page.refresh_from_db()
    assert page.selected_illustration_id is None
    job.refresh_from_db()
    assert job.status != GenerationJob.Status.SUCCEEDED
    assert files_under(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_story_whose_cast_member_is_deleted_meanwhile_saves_nothing():
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")

    def delete_mia(sender, instance, created, **kwargs):
        # Stands in for another request deleting the character between the cast
        # check and the insert; the foreign key then refuses the StoryCharacter row.
        Character.objects.filter(pk=mia.pk).delete()

    post_save.connect(delete_mia, sender=Story, dispatch_uid="test-delete-mia")
    try:
        with pytest.raises(IntegrityError):
            services.story_create(user=user, characters=[{"character": mia.pk, "role": "main"}], page_count=4)
    finally:
        post_save.disconnect(sender=Story, dispatch_uid="test-delete-mia")
    assert not Story.objects.exists()
    assert not StoryCharacter.objects.exists()
    assert not GenerationJob.objects.exists()
    assert Character.objects.filter(pk=mia.pk).exists()  # the delete went with the failed transaction


# --- Two people editing the same page at once -----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_page_at_once_give_one_save_and_one_conflict():
    page = PageFactory(text="The first words.")
    owner = page.story.owner
    assert page.version == 1
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def edit(text):
        try:
            barrier.wait()
            services.page_text_update(user=owner, story_id=page.story_id, number=page.number, text=text, version=1)
            outcomes[text] = "saved"
        except Exception as error:  # recorded and asserted below
            outcomes[text] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(text,)) for text in ("Anna's words.", "Ben's words.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    saved = [text for text, outcome in outcomes.items() if outcome == "saved"]
    refused = [outcome for outcome in outcomes.values() if outcome != "saved"]
    assert len(saved) == 1, outcomes
    assert len(refused) == 1 and isinstance(refused[0], Conflict), outcomes
    assert refused[0].code == "CONFLICT"
    page.refresh_from_db()
    assert page.text == saved[0]
    assert page.version == 2


# --- A full connection pool answers 503 quickly -----------------------------------------

ROOT = Path(__file__).resolve().parents[2]
POOL_TIMEOUT = 1.0
# In a process of its own with a pool of one: one thread takes the only connection,
# the other makes an API request (its token lookup needs the database).
POOL_SCRIPT = """
import json, threading, time
import django
django.setup()
from django.db import connection
from django.test import Client

held, release = threading.Event(), threading.Event()

def hold():
    connection.ensure_connection()
    held.set()
    release.wait(30)
    connection.close()

holder = threading.Thread(target=hold)
holder.start()
assert held.wait(10), "the holder never got a connection"
start = time.monotonic()
response = Client().get(
    "/api/v1/characters/", HTTP_HOST="localhost", HTTP_AUTHORIZATION="Token sf_not_a_real_token_0123456789"
)
elapsed = time.monotonic() - start
release.set()
holder.join(10)
print(json.dumps({"status": response.status_code, "body": response.json(), "elapsed": elapsed}))
"""


@pytest.mark.django_db(transaction=True)
def test_a_request_finding_the_pool_empty_answers_503_quickly(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "STORYFORGE", "DJANGO"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": database_url(),
            "DATABASE_POOL_MAX_SIZE": "1",
            "DATABASE_POOL_TIMEOUT": str(POOL_TIMEOUT),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", POOL_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503, answer
    assert answer["body"]["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert POOL_TIMEOUT * 0.9 <= answer["elapsed"] < POOL_TIMEOUT + 1.5, answer


# --- Foreign keys refuse rows pointing at nothing --------------------------------------


def _insert_then_check(create):
    with transaction.atomic():
        create()
        # Foreign keys are deferred to commit on both databases; inside the test's
        # own transaction, check them now.
        connection.check_constraints()


@pytest.mark.django_db
def test_a_page_of_a_story_that_does_not_exist_is_refused():
    with pytest.raises(IntegrityError):
        _insert_then_check(lambda: Page.objects.create(story_id=999999, number=1, text="Nowhere."))
    assert not Page.objects.exists()


@pytest.mark.django_db
def test_a_cast_member_that_does_not_exist_is_refused():
    story = StoryFactory()
    with pytest.raises(IntegrityError):
        _insert_then_check(lambda: StoryCharacter.objects.create(story=story, character_id=999999, position=0))
    assert not StoryCharacter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_foreign_key_is_checked_when_the_transaction_commits():
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(story_id=999999, number=1, text="Nowhere.")
    assert not Page.objects.exists()


# --- Migrations go back and forth over real rows ---------------------------------------

PREVIOUS = [("accounts", "0001_initial"), ("characters", "0001_initial"), ("stories", "0002_generation_job_requested")]


OURS = ("accounts", "characters", "stories", "generation")


def _latest(executor) -> list:
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in OURS]


@pytest.mark.django_db(transaction=True)
def test_migrations_go_back_and_forth_keeping_the_rows():
    link = StoryCharacterFactory()
    story, character = link.story, link.character
    PageFactory(story=story, text="Once upon a time.")
    PortraitFactory(character=character)
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    try:
        executor.migrate(PREVIOUS)
        old = MigrationExecutor(connection).loader.project_state(PREVIOUS).apps
        assert old.get_model("accounts", "User").objects.filter(pk=story.owner_id).exists()
        assert old.get_model("characters", "Character").objects.get(pk=character.pk).name == character.name
        assert old.get_model("characters", "Portrait").objects.filter(character_id=character.pk).count() == 1
        assert old.get_model("stories", "Story").objects.get(pk=story.pk).title == story.title
        assert old.get_model("stories", "Page").objects.get(story_id=story.pk).text == "Once upon a time."
        assert old.get_model("stories", "StoryCharacter").objects.filter(story_id=story.pk).count() == 1
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert Story.objects.get(pk=story.pk).title == story.title
    assert Page.objects.get(story=story).text == "Once upon a time."
    assert Character.objects.get(pk=character.pk).name == character.name
    assert Portrait.objects.filter(character=character).count() == 1
    assert StoryCharacter.objects.filter(story=story, character=character).exists()
    Story.objects.get(pk=story.pk).share_token  # noqa: B018 - the latest migration's column is back


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_migrates_to_nothing_and_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    ours = OURS
    try:
        # Undoing accounts undoes everything that depends on the user model too.
        executor.migrate([(app, None) for app in ours])
        tables = connection.introspection.table_names()
        assert not [table for table in tables if table.startswith(tuple(f"{app}_" for app in ours))]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert {
        "accounts_user",
        "characters_character",
        "stories_story",
        "stories_page",
        "generation_generationjob",
    } <= set(connection.introspection.table_names())
    assert not MigrationExecutor(connection).migration_plan(latest)
    assert StoryFactory().pk


BEFORE_THE_MOVE = [("stories", "0003_story_share_token")]


@pytest.mark.django_db(transaction=True)
def test_generation_jobs_move_between_apps_and_back_keeping_every_row():
    """stories 0004 and generation 0001 move the job model between apps: the table is
    renamed, the rows, their links and the admin's content type go with it."""
    from django.contrib.contenttypes.models import ContentType

    story = StoryFactory()
    job = GenerationJobFactory(owner=story.owner, story=story, kind="story_text", succeeded=True)
    ContentType.objects.get_for_model(GenerationJob)  # the content type exists, as after any migrate
    executor = MigrationExecutor(connection)
    latest = _latest(executor)
    try:
        executor.migrate(BEFORE_THE_MOVE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps
        row = old.get_model("stories", "GenerationJob").objects.get(pk=job.pk)
        assert (row.kind, row.story_id, row.cost) == ("story_text", story.pk, job.cost)
        assert "stories_generationjob" in connection.introspection.table_names()
        assert ContentType.objects.filter(app_label="stories", model="generationjob").exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    moved = GenerationJob.objects.get(pk=job.pk)
    assert (moved.kind, moved.story_id, moved.status, moved.cost) == ("story_text", story.pk, "succeeded", job.cost)
    assert "stories_generationjob" not in connection.introspection.table_names()
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(GenerationJob).app_label == "generation"
    assert not ContentType.objects.filter(app_label="stories", model="generationjob").exists()
