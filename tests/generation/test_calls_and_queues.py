"""AI calls hold no database connection while they wait, and each task goes to the
queue of the pool that suits it: waiting work to the threads, computing to the cores."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction

from storyforge.generation.calls import provider_call
from storyforge.generation.providers.offline import OfflineProvider
from storyforge.generation.routing import task_queue
from tests.factories import CharacterFactory, UserFactory


def connections_held() -> list[str]:
    return [c.alias for c in connections.all(initialized_only=True) if c.connection is not None]


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_no_database_connection_is_checked_out_while_the_ai_answers():
    get_user_model().objects.count()
    assert connections_held() == ["default"]
    during = []
    provider_call(lambda: during.extend(connections_held()))
    assert during == []
    assert get_user_model().objects.count() == 0  # and one is taken again afterwards


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_a_call_inside_a_transaction_keeps_its_connection_and_the_transaction():
    with transaction.atomic():
        UserFactory(username="kept")
        during = []
        provider_call(lambda: during.extend(connections_held()))
        assert during == ["default"]
    assert get_user_model().objects.filter(username="kept").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_tasks")
def test_writing_and_illustrating_a_book_holds_no_connection_during_any_ai_call(monkeypatch):
    from stories import services

    seen = []

    def watched(method):
        def call(self, *args, **kwargs):
            seen.append((method.__name__, connection.connection is not None))
            return method(self, *args, **kwargs)

        return call

    for name in ("story_write", "page_illustrate", "moderate"):
        monkeypatch.setattr(OfflineProvider, name, watched(getattr(OfflineProvider, name)))
    user = UserFactory()
    mia = CharacterFactory(owner=user, name="Mia")
    services.story_create(user=user, characters=[{"character": mia.pk, "role": "main"}], page_count=3)
    names = {name for name, _ in seen}
    assert {"story_write", "page_illustrate", "moderate"} <= names
    assert [name for name, held in seen if held] == [], seen


def test_offline_drawing_goes_to_the_cores_and_ai_pictures_to_the_waiting_threads(settings):
    settings.STORYFORGE_AI_PROVIDER = "offline"
    settings.STORYFORGE_IMAGE_PROVIDER = ""
    assert task_queue("stories.tasks.page_illustration_draw") == "cpu"
    assert task_queue("characters.tasks.portrait_candidates_draw") == "cpu"
    assert task_queue("stories.tasks.story_text_write") == "ai"
    settings.STORYFORGE_IMAGE_PROVIDER = "openai"
    assert task_queue("stories.tasks.page_illustration_draw") == "ai"
    settings.STORYFORGE_IMAGE_PROVIDER = "automatic1111"
    assert task_queue("characters.tasks.portrait_candidates_draw") == "ai"
    assert task_queue("storyforge.generation.tasks.jobs_reap") == "ai"


def test_a_task_sent_to_a_worker_carries_its_queue(settings):
    from stories.tasks import page_illustration_draw
    from storyforge.celery import app

    settings.STORYFORGE_AI_PROVIDER = "offline"
    route = app.amqp.router.route({}, page_illustration_draw.name, args=(1,), kwargs={})
    assert route["queue"].name == "cpu"
