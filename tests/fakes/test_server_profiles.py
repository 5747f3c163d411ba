"""The fake server playing the servers self-hosters run, seen through the real `openai` client."""

import http.client
import json

import openai
import pytest

from tests.fakes.openai_server import OLLAMA, FakeOpenAIServer

STORY_ASKED = 'Write exactly 3 pages.\nReply with only a JSON object that matches the JSON schema named "picture_book".'
PAGE_ASKED = 'Rewrite page 2.\nReply with only a JSON object that matches the JSON schema named "picture_book_page".'
VERDICT_ASKED = (
    "Is this story idea fine for children? Reply with only a JSON object that matches the JSON schema named "
    '"moderation_verdict". Flag it if it is not.'
)
SCHEMA = {"name": "picture_book", "schema": {"type": "object"}, "strict": True}


@pytest.fixture
def client_of():
    """`client_of(server)`: an `openai` client for the server, closed after the test."""
    clients = []

    def make(server: FakeOpenAIServer) -> openai.OpenAI:
        clients.append(openai.OpenAI(api_key="sk-test", base_url=server.base_url, max_retries=0, timeout=5))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


def ask(client, model: str, prompt: str = STORY_ASKED, *, system: str = "", **extra) -> str:
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    completion = client.chat.completions.create(model=model, messages=messages, **extra)
    return completion.choices[0].message.content


def fenced_json(content: str) -> dict:
    return json.loads(content.split("```json\n", 1)[1].split("\n```", 1)[0])


def plain_get(server: FakeOpenAIServer, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


# -- models ---------------------------------------------------------------------------


def test_openai_lists_storyforges_default_models(fake_openai, client_of):
    models = list(client_of(fake_openai).models.list())

    ids = {model.id for model in models}
    assert {"gpt-5.4-mini", "gpt-image-2", "omni-moderation-latest", "gpt-4o-mini", "gpt-image-1", "dall-e-3"} <= ids
    assert {model.owned_by for model in models} == {"system"}


def test_ollama_lists_its_pulled_models_owned_by_library(fake_ollama, client_of):
    models = list(client_of(fake_ollama).models.list())

    assert [(model.id, model.owned_by, model.object) for model in models] == [
        ("llama3.2:latest", "library", "model"),
        ("qwen3:8b", "library", "model"),
    ]


def test_ollama_retrieves_a_model_by_its_short_name_and_refuses_one_not_pulled(fake_ollama, client_of):
    client = client_of(fake_ollama)

    assert client.models.retrieve("llama3.2").id == "llama3.2"
    with pytest.raises(openai.NotFoundError) as refused:
        client.models.retrieve("mistral")
    assert refused.value.body == {
        "message": "model 'mistral' not found",
        "type": "not_found_error",
        "param": None,
        "code": None,
    }


def test_llamacpp_lists_its_one_model_file_and_has_no_model_retrieval(fake_llamacpp_old, client_of):
    client = client_of(fake_llamacpp_old)

    [model] = client.models.list()

    assert (model.id, model.owned_by) == ("models/llama-3.2-3b-instruct-q4_k_m.gguf", "llamacpp")
    assert "n_params" in model.model_extra["meta"]
    with pytest.raises(openai.NotFoundError, match="File Not Found"):
        client.models.retrieve(model.id)


def test_lmstudio_lists_its_models_without_a_creation_time(fake_lmstudio, client_of):
    models = list(client_of(fake_lmstudio).models.list())

    assert [(model.id, model.owned_by) for model in models] == [
        ("qwen2.5-7b-instruct", "organization_owner"),
        ("text-embedding-nomic-embed-text-v1.5", "organization_owner"),
    ]
    assert [model.created for model in models] == [None, None]


def test_vllm_lists_its_served_model_owned_by_vllm(fake_vllm, client_of):
    [model] = client_of(fake_vllm).models.list()

    assert (model.id, model.owned_by, model.model_extra["root"]) == (
        "meta-llama/Llama-3.1-8B-Instruct",
        "vllm",
        "meta-llama/Llama-3.1-8B-Instruct",
    )


def test_the_profile_outlives_reset(fake_ollama, client_of):
    fake_ollama.reset()

    assert fake_ollama.profile is OLLAMA
    assert [model.id for model in client_of(fake_ollama).models.list()] == ["llama3.2:latest", "qwen3:8b"]


# -- endpoints a server lacks -----------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["moderations", "images", "edits"])
def test_ollama_answers_a_missing_endpoint_as_its_router_does(fake_ollama, client_of, endpoint):
    client = client_of(fake_ollama)
    calls = {
        "moderations": lambda: client.moderations.create(input="A duck and a ball."),
        "images": lambda: client.images.generate(model="gpt-image-2", prompt="A duck."),
        "edits": lambda: client.images.edit(
            model="gpt-image-2", image=("a.png", b"\x89PNG", "image/png"), prompt="A duck."
        ),
    }

    with pytest.raises(openai.NotFoundError) as missing:
        calls[endpoint]()

    assert missing.value.response.text == "404 page not found"
    assert missing.value.response.headers["Content-Type"] == "text/plain"
    assert [(request.endpoint, request.reply) for request in fake_ollama.requests] == [(endpoint, "missing")]


def test_ollama_answers_the_wrong_method_with_405(fake_ollama):
    status, content_type, body = plain_get(fake_ollama, "/v1/chat/completions")

    assert (status, content_type, body) == (405, "text/plain", b"405 method not allowed")


def test_llamacpp_answers_a_missing_endpoint_with_its_json_404(fake_llamacpp_old, client_of):
    with pytest.raises(openai.NotFoundError) as missing:
        client_of(fake_llamacpp_old).moderations.create(input="A duck.")

    assert missing.value.response.json() == {
        "error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}
    }


def test_vllm_answers_a_missing_endpoint_as_fastapi_does(fake_vllm, client_of):
    with pytest.raises(openai.NotFoundError) as missing:
        client_of(fake_vllm).images.generate(model="gpt-image-2", prompt="A duck.")

    assert missing.value.response.json() == {"detail": "Not Found"}


def test_lmstudio_answers_a_missing_endpoint_with_200_and_an_error(fake_lmstudio, client_of):
    raw = client_of(fake_lmstudio).moderations.with_raw_response.create(input="A duck.")

    assert raw.status_code == 200
    assert raw.http_response.json() == {"error": "Unexpected endpoint or method. (POST /v1/moderations)"}


# -- response_format ------------------------------------------------------------------------


@pytest.mark.parametrize("format_type", ["json_object", "json_schema"])
def test_a_plain_text_server_refuses_json_with_a_400_naming_response_format(fake_textgen_plain, client_of, format_type):
    response_format = (
        {"type": format_type, "json_schema": SCHEMA} if format_type == "json_schema" else {"type": format_type}
    )

    with pytest.raises(openai.BadRequestError) as refused:
        ask(client_of(fake_textgen_plain), "plain-text-model", response_format=response_format)

    assert refused.value.status_code == 400
    assert refused.value.body["param"] == "response_format"
    assert f"'response_format' of type '{format_type}' is not supported" in refused.value.message
    assert fake_textgen_plain.requests[0].reply == "format_rejected"


def test_a_plain_text_server_serves_text(fake_textgen_plain, client_of):
    content = ask(client_of(fake_textgen_plain), "plain-text-model", response_format={"type": "text"})

    assert len(fenced_json(content)["pages"]) == 3


def test_old_llamacpp_refuses_json_schema_with_a_500_in_its_words(fake_llamacpp_old, client_of):
    with pytest.raises(openai.InternalServerError) as refused:
        ask(client_of(fake_llamacpp_old), "any", response_format={"type": "json_schema", "json_schema": SCHEMA})

    assert refused.value.status_code == 500
    assert refused.value.body == {
        "code": 500,
        "message": 'response_format type must be one of "text" or "json_object", but got: json_schema',
        "type": "server_error",
    }


def test_old_llamacpp_holds_json_object_to_bare_json(fake_llamacpp_old, client_of):
    content = ask(client_of(fake_llamacpp_old), "any", response_format={"type": "json_object"})

    assert len(json.loads(content)["pages"]) == 3


def test_lmstudio_refuses_json_object(fake_lmstudio, client_of):
    with pytest.raises(openai.BadRequestError) as refused:
        ask(client_of(fake_lmstudio), "qwen2.5-7b-instruct", response_format={"type": "json_object"})

    assert refused.value.response.json() == {"error": "'response_format.type' must be 'json_schema' or 'text'"}


def test_openai_refuses_a_type_it_does_not_know(fake_openai, client_of):
    with pytest.raises(openai.BadRequestError) as refused:
        ask(client_of(fake_openai), "gpt-5.4-mini", response_format={"type": "xml"})

    assert refused.value.body["param"] == "response_format.type"
    assert refused.value.body["code"] == "invalid_value"


def test_ollama_ignores_a_type_it_does_not_know(fake_ollama, client_of):
    content = ask(client_of(fake_ollama), "llama3.2", response_format={"type": "xml"})

    assert content.startswith("Here is your story:\n```json\n")


# -- what the model writes ----------------------------------------------------------------------


def test_a_reasoning_model_thinks_aloud_first_in_the_stream(fake_ollama_reasoning, client_of):
    stream = client_of(fake_ollama_reasoning).chat.completions.create(
        model="qwen3:8b",
        messages=[{"role": "user", "content": STORY_ASKED}],
        response_format={"type": "json_schema", "json_schema": SCHEMA},
        stream=True,
    )

    parts = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]

    content = "".join(parts)
    thought = f"<think>{fake_ollama_reasoning.profile.think}</think>\n\n"
    assert content.startswith(thought)
    assert parts[1] != thought  # streamed in pieces like the rest
    assert len(json.loads(content.removeprefix(thought))["pages"]) == 3


def test_without_response_format_a_self_hosted_model_wraps_its_json_in_prose(fake_ollama, client_of):
    content = ask(client_of(fake_ollama), "llama3.2")

    assert content.startswith("Here is your story:\n```json\n{")
    assert content.endswith("}\n```\nI hope you like it!")
    assert len(fenced_json(content)["pages"]) == 3


def test_with_json_schema_a_self_hosted_model_writes_bare_json(fake_ollama, client_of):
    content = ask(client_of(fake_ollama), "llama3.2", response_format={"type": "json_schema", "json_schema": SCHEMA})

    assert len(json.loads(content)["pages"]) == 3


def test_the_schema_named_in_the_prompt_chooses_the_answer(fake_ollama, client_of):
    content = ask(client_of(fake_ollama), "llama3.2", PAGE_ASKED, response_format={"type": "json_object"})

    assert set(json.loads(content)) == {"text", "visual_description"}


@pytest.mark.parametrize(
    ("user_text", "verdict"),
    [
        ("A duck who loves FlagMe pancakes.", {"flagged": True, "categories": ["violence"]}),
        ("A duck who loves pancakes.", {"flagged": False, "categories": []}),
    ],
)
def test_a_moderation_verdict_flags_the_flag_word_in_the_users_text(fake_ollama, client_of, user_text, verdict):
    content = ask(
        client_of(fake_ollama), "llama3.2", user_text, system=VERDICT_ASKED, response_format={"type": "json_object"}
    )

    assert json.loads(content) == verdict


def test_a_moderation_verdict_asked_by_response_format_ignores_the_flag_word_in_the_instructions(
    fake_openai, client_of
):
    fake_openai.flag_word = "children"
    verdict_schema = {"name": "moderation_verdict", "schema": {"type": "object"}, "strict": True}

    content = ask(
        client_of(fake_openai),
        "gpt-5.4-mini",
        "A duck who loves pancakes.",
        system="Say whether this story idea is fine for children.",
        response_format={"type": "json_schema", "json_schema": verdict_schema},
    )

    assert json.loads(content) == {"flagged": False, "categories": []}


# -- the model check ---------------------------------------------------------------------------


def test_ollama_refuses_a_model_it_has_not_pulled(fake_ollama, client_of):
    with pytest.raises(openai.NotFoundError) as refused:
        ask(client_of(fake_ollama), "gpt-5.4-mini")

    assert refused.value.body == {
        "message": "model 'gpt-5.4-mini' not found",
        "type": "not_found_error",
        "param": None,
        "code": None,
    }
    assert fake_ollama.requests[0].reply == "model_not_found"


@pytest.mark.parametrize("name", ["llama3.2", "llama3.2:latest", "Llama3.2", "library/llama3.2"])
def test_ollama_serves_a_pulled_model_by_any_of_its_names(fake_ollama, client_of, name):
    assert ask(client_of(fake_ollama), name, response_format={"type": "json_object"})


def test_vllm_wants_the_model_named_exactly(fake_vllm, client_of):
    client = client_of(fake_vllm)

    with pytest.raises(openai.NotFoundError, match="The model `llama-3.1-8b-instruct` does not exist."):
        ask(client, "llama-3.1-8b-instruct")
    assert ask(client, "meta-llama/Llama-3.1-8B-Instruct", response_format={"type": "json_object"})


def test_llamacpp_serves_whatever_model_is_named(fake_llamacpp_old, client_of):
    assert ask(client_of(fake_llamacpp_old), "gpt-5.4-mini", response_format={"type": "json_object"})
