"""Server profiles: the OpenAI-compatible servers self-hosters run, as far as
StoryForge can tell them apart. `FakeOpenAIServer(profile=OLLAMA)` behaves like
Ollama for the life of the server; the default is OpenAI itself.

A profile says what the server can do (models, endpoints, response formats, a
model check, what its models write); its `dialect` says how it words the answers
(dialects.py). Each ready-made profile names the source it is modelled on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ALL_FORMATS = frozenset({"text", "json_object", "json_schema"})
NO_PICTURES = frozenset({"moderations", "images", "edits", "speech"})  # and no speech either


@dataclass(frozen=True)
class ServerProfile:
    name: str
    dialect: str  # how it words answers: openai, ollama, llamacpp, lmstudio, vllm (see dialects.py)
    models: tuple[str, ...]  # GET /v1/models, in order
    owned_by: str
    missing: frozenset[str] = frozenset()  # endpoints it lacks: moderations, images, edits
    response_formats: frozenset[str] = ALL_FORMATS  # the `response_format.type`s it takes
    # A type it does not know is ignored, as if no response_format was sent, instead of refused.
    ignores_unknown_formats: bool = False
    format_error_status: int = 400  # the status of a refused response_format
    model_check: bool = False  # an unknown model in a chat request is refused; off: any name is served
    model_retrieve: bool = True  # it has GET /v1/models/{model}
    think: str = ""  # when set, what its model thinks aloud in <think> before every default answer
    # Without response_format (or with "text"), its model wraps the JSON in prose and a ```json fence.
    prose_around_json: bool = False


# OpenAI itself: everything StoryForge uses, every model name accepted (the fake
# serves any name, so tests may name any model). Model ids from GET /v1/models.
OPENAI = ServerProfile(
    name="openai",
    dialect="openai",
    models=("gpt-5.4-mini", "gpt-4o-mini", "gpt-image-2", "gpt-image-1", "dall-e-3", "omni-moderation-latest"),
    owned_by="system",
)

# Ollama (ollama/ollama docs/api/openai-compatibility.mdx, openai/openai.go,
# middleware/openai.go, server/routes.go): chat, completions, embeddings and models
# only; owned_by is the model's namespace, "library" for library models; json_object
# and json_schema both honoured, any other type silently ignored (FromChatRequest);
# a model that is not pulled is a 404.
OLLAMA = ServerProfile(
    name="ollama",
    dialect="ollama",
    models=("llama3.2:latest", "qwen3:8b"),
    owned_by="library",
    missing=NO_PICTURES,
    ignores_unknown_formats=True,
    model_check=True,
    prose_around_json=True,
)

# A reasoning model (deepseek-r1, qwen3) on an Ollama that leaves its thinking in
# the content: /v1 got a separate `reasoning` field in v0.11 (Aug 2025) and thinking
# on by default for reasoning models in v0.12.4 (Oct 2025); before, the answer
# started with the <think> block. llama.cpp's --reasoning-format none and vLLM
# without --reasoning-parser still send it so.
OLLAMA_REASONING = replace(
    OLLAMA,
    name="ollama-reasoning",
    think="The child wants a gentle story. I should keep the sentences short and end happily.",
)

# llama.cpp's llama-server as built in 2024, before it took json_schema (ggml-org/
# llama.cpp examples/server README and utils.hpp oaicompat_completion_params_parse):
# one model, listed by its file name; the model name of a request is ignored;
# json_schema refused with a 500, as its exception handler answered every throw.
LLAMACPP_OLD = ServerProfile(
    name="llamacpp-old",
    dialect="llamacpp",
    models=("models/llama-3.2-3b-instruct-q4_k_m.gguf",),
    owned_by="llamacpp",
    missing=NO_PICTURES,
    response_formats=frozenset({"text", "json_object"}),
    format_error_status=500,
    model_retrieve=False,
    prose_around_json=True,
)

# A server whose model writes plain text only, answering json_object and
# json_schema with a 400 naming response_format, in the words OpenAI used for its
# models without JSON mode (openai/openai-python#887).
TEXTGEN_PLAIN = ServerProfile(
    name="textgen-plain",
    dialect="openai",
    models=("plain-text-model",),
    owned_by="system",
    missing=NO_PICTURES,
    response_formats=frozenset({"text"}),
    model_retrieve=False,
    prose_around_json=True,
)

# LM Studio 0.4 (lmstudio.ai/docs, lmstudio-bug-tracker #189, #618): no moderations or
# images, and a route it lacks is answered 200 with an error in the body; it takes
# json_schema and text but refuses json_object. Whether it refuses an unknown model
# depends on just-in-time loading, so no model check.
LMSTUDIO = ServerProfile(
    name="lmstudio",
    dialect="lmstudio",
    models=("qwen2.5-7b-instruct", "text-embedding-nomic-embed-text-v1.5"),
    owned_by="organization_owner",
    missing=NO_PICTURES,
    response_formats=frozenset({"text", "json_schema"}),
    model_retrieve=False,
    prose_around_json=True,
)

# vLLM's OpenAI-compatible server (vllm/entrypoints/openai): no moderations or
# images, the model must be named exactly as served (--served-model-name), owned_by
# "vllm", all three formats.
VLLM = ServerProfile(
    name="vllm",
    dialect="vllm",
    models=("meta-llama/Llama-3.1-8B-Instruct",),
    owned_by="vllm",
    missing=NO_PICTURES,
    model_check=True,
    model_retrieve=False,
    prose_around_json=True,
)
