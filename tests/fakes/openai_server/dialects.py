"""How each family of OpenAI-compatible servers words its answers: the model list,
an unknown route, an unknown model, a `response_format` it will not take.

Each shape is copied from the server's source or from answers quoted in its
issue tracker; the comment on each says which. What a server can do (its models,
the endpoints it lacks, the formats it takes) is the profile's business
(profiles.py); this module only says how it puts it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fakes.openai_server.profiles import ServerProfile

CREATED = 1_735_689_600  # the "created" of every listed model: a fixed time, so answers repeat
OPENAI_FORMATS = ("text", "json_object", "json_schema")


@dataclass(frozen=True)
class Answer:
    """A whole HTTP answer: status, body and its content type."""

    status: int
    body: bytes
    content_type: str = "application/json"


def json_answer(status: int, payload: dict, content_type: str = "application/json") -> Answer:
    return Answer(status, json.dumps(payload).encode(), content_type)


def _openai_error(status: int, message: str, type: str, *, param=None, code=None) -> Answer:
    return json_answer(status, {"error": {"message": message, "type": type, "param": param, "code": code}})


# -- routes the server does not have ---------------------------------------------


def unknown_route(profile: ServerProfile, method: str, path: str, *, other_method: bool) -> Answer:
    """The answer to a route the server lacks. `other_method`: the path exists for
    another method, which some routers answer with 405."""
    dialect = profile.dialect
    if dialect == "ollama":
        # Ollama's gin router (server/routes.go: gin.Default(), HandleMethodNotAllowed =
        # true since v0.7.0) ends in gin's serveError: its default body, text/plain.
        if other_method:
            return Answer(405, b"405 method not allowed", "text/plain")
        return Answer(404, b"404 page not found", "text/plain")
    if dialect == "llamacpp":
        # llama.cpp server's set_error_handler: any 404 becomes this (cpp-httplib has no 405).
        return json_answer(404, {"error": {"code": 404, "message": "File Not Found", "type": "not_found_error"}})
    if dialect == "lmstudio":
        # LM Studio answers 200 with an error anyway (lmstudio-bug-tracker #618, #1323:
        # "Unexpected endpoint or method. (POST /chat/completions). Returning 200 anyway").
        return json_answer(
            200, {"error": f"Unexpected endpoint or method. ({method} {path})"}, "application/json; charset=utf-8"
        )
    if dialect == "vllm":
        # vLLM's API server is FastAPI: Starlette's default answers.
        if other_method:
            return json_answer(405, {"detail": "Method Not Allowed"})
        return json_answer(404, {"detail": "Not Found"})
    # OpenAI itself.
    return _openai_error(404, f"Invalid URL ({method} {path})", "invalid_request_error")


# -- models -----------------------------------------------------------------------


def models_list(profile: ServerProfile) -> Answer:
    """GET /v1/models in the server's shape."""
    entries = [_model_entry(profile, model) for model in profile.models]
    if profile.dialect == "lmstudio":
        # LM Studio lists no "created", and puts "object" last.
        return json_answer(200, {"data": entries, "object": "list"})
    return json_answer(200, {"object": "list", "data": entries})


def model_retrieve(profile: ServerProfile, model: str) -> Answer:
    """GET /v1/models/{model}. Ollama names the model as it was asked for
    (middleware/openai.go RetrieveMiddleware keeps c.Param("model"))."""
    if model_resolve(profile, model) is None:
        return model_not_found(profile, model)
    return json_answer(200, _model_entry(profile, model))


def _model_entry(profile: ServerProfile, model: str) -> dict:
    if profile.dialect == "lmstudio":
        return {"id": model, "object": "model", "owned_by": profile.owned_by}
    entry = {"id": model, "object": "model", "created": CREATED, "owned_by": profile.owned_by}
    if profile.dialect == "llamacpp":
        # llama.cpp adds the loaded model's metadata (figures of a 3B model, for the look).
        entry["meta"] = {"vocab_type": 2, "n_vocab": 128256, "n_ctx_train": 131072, "n_params": 3212749888}
    if profile.dialect == "vllm":
        # vLLM's ModelCard (trimmed: its permission list is left empty).
        entry.update({"root": model, "parent": None, "max_model_len": 32768, "permission": []})
    return entry


def model_resolve(profile: ServerProfile, name: str) -> str | None:
    """The listed model `name` stands for, or None. Ollama completes a name as its
    model.ParseName does: no tag means ":latest", the "library/" namespace and the
    registry host may be left out, and case does not matter (server/routes.go
    getExistingName). The others want the name exactly as listed."""
    if profile.dialect != "ollama":
        return name if name in profile.models else None

    def canonical(model: str) -> str:
        model = model.lower().removeprefix("registry.ollama.ai/").removeprefix("library/")
        return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"

    wanted = canonical(name)
    return next((model for model in profile.models if canonical(model) == wanted), None)


def model_not_found(profile: ServerProfile, model: str) -> Answer:
    """The answer to a model the server does not have."""
    if profile.dialect == "ollama":
        # ChatHandler and ShowHandler (server/routes.go, since v0.12): 404 {"error": ...},
        # which BaseWriter.writeError (middleware/openai.go) rewraps with openai.NewError.
        # Before v0.12 the chat answer was `model "x" not found, try pulling it first`
        # (handleScheduleError), with type "api_error".
        return _openai_error(404, f"model '{model}' not found", "not_found_error")
    if profile.dialect == "vllm":
        # OpenAIServing._check_model; the {"error": ...} envelope since vLLM 0.10.1
        # (vllm-project/vllm#22099; before it the fields sat at the top level).
        return json_answer(
            404,
            {
                "error": {
                    "message": f"The model `{model}` does not exist.",
                    "type": "NotFoundError",
                    "param": None,
                    "code": 404,
                }
            },
        )
    return _openai_error(
        404,
        f"The model `{model}` does not exist or you do not have access to it.",
        "invalid_request_error",
        code="model_not_found",
    )


# -- response_format ------------------------------------------------------------------


def format_rejected(profile: ServerProfile, format_type: str) -> Answer:
    """The answer to a `response_format.type` the server will not take."""
    status = profile.format_error_status
    if profile.dialect == "llamacpp":
        # utils.hpp oaicompat_completion_params_parse, before json_schema was accepted
        # (2024): a std::runtime_error, which the server's exception handler answers
        # as 500 server_error (as quoted in ikawrakow/ik_llama.cpp#778). Builds of 2025
        # throw std::invalid_argument instead, answered 400 invalid_request_error.
        kind = "server_error" if status >= 500 else "invalid_request_error"
        message = f'response_format type must be one of "text" or "json_object", but got: {format_type}'
        return json_answer(status, {"error": {"code": status, "message": message, "type": kind}})
    if profile.dialect == "lmstudio":
        # LM Studio 0.4 (0.3 said "must be 'json_schema'"): lmstudio-bug-tracker #169, #189.
        return json_answer(status, {"error": "'response_format.type' must be 'json_schema' or 'text'"})
    if profile.dialect == "vllm":
        # pydantic's validation error of ChatCompletionRequest, as vLLM passes it on.
        message = (
            "1 validation error for ChatCompletionRequest\nresponse_format.type\n"
            f"  Input should be 'text', 'json_object' or 'json_schema' [type=literal_error, input_value='{format_type}']"
        )
        return json_answer(
            status, {"error": {"message": message, "type": "BadRequestError", "param": None, "code": status}}
        )
    if format_type in OPENAI_FORMATS:
        # What OpenAI said to a model without JSON mode (openai/openai-python#887,
        # openai-php/client#259).
        return _openai_error(
            status,
            f"Invalid parameter: 'response_format' of type '{format_type}' is not supported with this model.",
            "invalid_request_error",
            param="response_format",
        )
    return _openai_error(
        status,
        f"Invalid value: '{format_type}'. Supported values are: 'json_object', 'json_schema', and 'text'.",
        "invalid_request_error",
        param="response_format.type",
        code="invalid_value",
    )
