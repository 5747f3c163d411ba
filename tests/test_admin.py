import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ApiToken, Invite, User
from accounts.services import api_token_create, invite_create
from characters.models import Character, Portrait, Relationship
from stories.models import Illustration, Page, Series, Story
from storyforge.generation.models import Allowance, GenerationJob
from tests.factories import (
    AllowanceFactory,
    CharacterFactory,
    GenerationJobFactory,
    IllustrationFactory,
    PageFactory,
    PortraitFactory,
    RelationshipFactory,
    SeriesFactory,
    StoryCharacterFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _token():
    return api_token_create(user=UserFactory(), name="Home tablet")[0]


def _story_with_cast_and_pages():
    story = StoryFactory(pages=2)
    StoryCharacterFactory(story=story)
    return story


def _page_with_illustration():
    return IllustrationFactory(is_selected=True).page


def _character_with_portrait():
    return PortraitFactory(is_selected=True).character


# One object per registered model, with its inlines filled in so that they render too.
MAKERS = {
    Group: lambda: Group.objects.create(name="Editors"),
    ApiToken: _token,
    User: UserFactory,
    Character: _character_with_portrait,
    Portrait: PortraitFactory,
    Relationship: RelationshipFactory,
    Series: SeriesFactory,
    Story: _story_with_cast_and_pages,
    Page: _page_with_illustration,
    Illustration: IllustrationFactory,
    GenerationJob: GenerationJobFactory,
    Allowance: AllowanceFactory,
    Invite: lambda: invite_create(note="the Berg family")[0],
}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_registered_model_has_a_maker_here():
    assert set(REGISTERED) == set(MAKERS)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_changelist_shows_the_object(admin_client, model):
    made = MAKERS[model]()

    response = admin_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    assert made in response.context["cl"].result_list


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_add_page_answers(admin_client, model):
    # API tokens are made by their owners, who see the key once: the admin cannot add one.
    expected = 403 if model is ApiToken else 200
    assert admin_client.get(_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_change_page_answers(admin_client, model):
    made = MAKERS[model]()

    response = admin_client.get(_url(model, "change", made.pk))

    assert response.status_code == 200
    assert response.context["original"] == made


@pytest.mark.parametrize(
    ("model", "make"),
    [
        pytest.param(model, make, id=model._meta.label)
        for model, make in [
            (User, lambda name: UserFactory(username=name)),
            (Character, lambda name: CharacterFactory(name=name)),
            (Portrait, lambda name: PortraitFactory(character__name=name)),
            (Relationship, lambda name: RelationshipFactory(from_character__name=name)),
            (Series, lambda name: SeriesFactory(title=name)),
            (Story, lambda name: StoryFactory(title=name)),
            (Page, lambda name: PageFactory(story__title=name)),
            (Illustration, lambda name: IllustrationFactory(page__story__title=name)),
            (GenerationJob, lambda name: GenerationJobFactory(idempotency_key=name)),
            (Allowance, lambda name: AllowanceFactory(user__username=name)),
        ]
    ],
)
def test_the_changelist_search_finds_only_the_matching_object(admin_client, model, make):
    wanted = make("Zebedee")
    make("Florence")

    response = admin_client.get(_url(model, "changelist"), {"q": "zebedee"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_editing_a_page_moves_its_version_on(admin_client):
    page = PageFactory(text="Once upon a time.")

    response = admin_client.post(
        _url(Page, "change", page.pk),
        {
            "story": page.story_id,
            "number": page.number,
            "text": "Once upon a rainy time.",
            "visual_description": page.visual_description,
            "illustrations-TOTAL_FORMS": 0,
            "illustrations-INITIAL_FORMS": 0,
            "clips-TOTAL_FORMS": 0,
            "clips-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.text, page.version) == ("Once upon a rainy time.", 2)
    # The words it had are kept, as for an edit in the reader, and can be put back.
    assert list(page.revisions.values_list("version", "text")) == [(1, "Once upon a time.")]


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "factory", [CharacterFactory, StoryFactory, GenerationJobFactory], ids=lambda factory: factory.__name__
)
def test_the_changelist_costs_the_same_queries_for_3_or_10_objects(admin_client, factory):
    model = factory._meta.model
    factory.create_batch(3)
    with_3 = _changelist_queries(admin_client, model)

    factory.create_batch(7)
    with_10 = _changelist_queries(admin_client, model)

    assert model.objects.count() == 10
    assert with_10 == with_3


def test_the_admin_refuses_a_second_relationship_for_a_pair_with_a_message(admin_client):
    relationship = RelationshipFactory()

    response = admin_client.post(
        _url(Relationship, "add"),
        {
            "from_character": relationship.to_character_id,
            "to_character": relationship.from_character_id,
            "kind": "friend",
        },
    )

    assert response.status_code == 200
    assert "relationship_one_per_pair" in str(response.context["adminform"].form.non_field_errors())
    assert Relationship.objects.count() == 1


def test_the_jobs_list_shows_what_was_learnt_about_the_ai_servers(admin_client, settings, fake_ollama):
    from storyforge.generation.providers.facts import facts_learn

    settings.STORYFORGE_AI_PROVIDER = "openai"
    settings.STORYFORGE_TEXT_PROVIDER = settings.STORYFORGE_IMAGE_PROVIDER = ""
    settings.STORYFORGE_MODERATION_PROVIDER = ""
    settings.OPENAI_BASE_URL = fake_ollama.base_url
    facts_learn(fake_ollama.base_url.rstrip("/"), image="missing")

    response = admin_client.get(reverse("admin:generation_generationjob_changelist"))

    text = response.content.decode()
    assert 'id="ai-capabilities"' in text
    assert "The server has no endpoint for this; offline stands in." in text
    assert fake_ollama.base_url.rstrip("/") in text  # operators see the address
    assert fake_ollama.requests == []  # the page asks no server anything
