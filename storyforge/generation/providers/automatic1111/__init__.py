"""The AUTOMATIC1111 provider: pictures from a Stable Diffusion WebUI of one's own,
AUTOMATIC1111's or Forge (which keeps its API), started with `--api`.

It speaks the webui's HTTP API (AUTOMATIC1111/stable-diffusion-webui modules/api/api.py
and models.py): POST /sdapi/v1/txt2img draws from the prompt; POST /sdapi/v1/img2img
draws over `init_images[0]` (here the character's selected portrait, so the pages
keep its look), changing it by `denoising_strength`; GET /sdapi/v1/sd-models lists the
checkpoints and GET /sdapi/v1/options says which one is loaded. Both drawing answers
are {"images": [base64...], "parameters": {...}, "info": "<JSON string>"}, the info
holding the seeds used.

The checkpoints are asked for, not assumed: the webui silently ignores an
`override_settings.sd_model_checkpoint` it does not have (processing.process_images
pops it) and draws with whatever is loaded, so a misspelt OPENAI_IMAGE_MODEL would go
unnoticed. The list is kept with the server's other facts (facts.py) for a few
minutes. The webui draws one picture at a time behind its queue lock; every drawing
call holds one of IMAGE_MAX_CONCURRENCY slots (slots.py) so that jobs queue here and
not in requests that time out there.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import logging
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from storyforge.config import image_size_parse
from storyforge.core.errors import ErrorCode
from storyforge.generation.providers import prompts
from storyforge.generation.providers.automatic1111.errors import api_missing, invalid_output, provider_error
from storyforge.generation.providers.base import (
    Capability,
    CapabilityReport,
    CharacterSheet,
    DrawnImage,
    Endpoint,
    ImageProvider,
    ProviderError,
    Scene,
    Status,
)
from storyforge.generation.providers.facts import MODELS_SECONDS, facts_get, facts_learn, models_fresh
from storyforge.generation.providers.references import portrait_read
from storyforge.generation.slots import image_slot

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:7860"  # where webui.py listens unless told otherwise
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# img2img's resize_mode (modules/images.py resize_image): 2 is "Resize and fill", which keeps
# a square portrait's proportions on a landscape page instead of stretching the character.
RESIZE_AND_FILL = 2


class Automatic1111Provider(ImageProvider):
    name = "automatic1111"

    def __init__(self, endpoint: Endpoint | None = None, **options):
        super().__init__(endpoint or Endpoint(settings.IMAGE_BASE_URL, settings.IMAGE_API_KEY, settings.IMAGE_TIMEOUT))
        self.options = options
        self.base_url = _base_url(self.endpoint.base_url)
        self.shown_url = _without_credentials(self.base_url)  # in messages and facts: never a password
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                key = self.endpoint.api_key.strip()
                auth, headers = None, {}
                if ":" in key:  # --api-auth user:password is HTTP basic auth
                    user, password = key.split(":", 1)
                    auth = httpx.BasicAuth(user, password)
                elif key:  # a proxy in front of the server may want a bearer token
                    headers["Authorization"] = f"Bearer {key}"
                timeout = self.endpoint.timeout
                self._client = httpx.Client(
                    base_url=self.base_url,
                    auth=auth,
                    headers=headers,
                    timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
                )
            return self._client

    def close(self) -> None:
        """Close the HTTP connections; the provider opens new ones if used again."""
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def capability_missing(self, capability: str) -> bool:
        """Whether the server was lately found to have no API at all (started without --api)."""
        return capability == Capability.IMAGE and _missing_lately(facts_get(self.shown_url))

    # -- drawing ----------------------------------------------------------------

    def portrait_draw(self, character: CharacterSheet, *, count: int, art_style: str, seed: int) -> list[DrawnImage]:
        """`count` square candidates from one batch, seeds `seed`, `seed + 1`, ..."""
        _, height = image_size_parse(settings.IMAGE_PAGE_SIZE)
        prompt = prompts.portrait_prompt(character, art_style, seed)
        payload = {"prompt": prompt, "seed": seed, "width": height, "height": height, "batch_size": count}
        return self._draw("/sdapi/v1/txt2img", payload, count)

    def page_illustrate(self, scene: Scene) -> DrawnImage:
        """The page's picture, drawn over the portrait of its first character that has
        one (main characters first), so that the character looks the same; from the
        prompt alone when none has."""
        width, height = image_size_parse(settings.IMAGE_PAGE_SIZE)
        payload = {"prompt": prompts.scene_prompt(scene), "seed": scene.seed, "width": width, "height": height}
        portrait = _portrait_first(scene.characters)
        if portrait is None:
            return self._draw("/sdapi/v1/txt2img", payload, 1)[0]
        payload |= {
            "init_images": [base64.b64encode(portrait).decode()],
            "denoising_strength": settings.IMAGE_DENOISING_STRENGTH,
            "resize_mode": RESIZE_AND_FILL,
        }
        return self._draw("/sdapi/v1/img2img", payload, 1)[0]

    def _draw(self, path: str, payload: dict, count: int) -> list[DrawnImage]:
        checkpoint = self._checkpoint()
        payload = {"negative_prompt": prompts.NEGATIVE_PROMPT, "batch_size": 1, "n_iter": 1, **payload}
        if checkpoint:
            payload["override_settings"] = {"sd_model_checkpoint": checkpoint}
        with image_slot():
            body = self._send("POST", path, json=payload)
        if not isinstance(body, dict) or not isinstance(body.get("images"), list) or not body["images"]:
            raise invalid_output(self.shown_url, "the answer holds no images")
        info = _info(body.get("info"))
        first = info.get("index_of_first_image")
        first = max(0, first) if isinstance(first, int) else 0
        pictures = body["images"][first : first + count] or body["images"][:count]  # a grid may come first
        seeds = info.get("all_seeds") if isinstance(info.get("all_seeds"), list) else []
        model = checkpoint or str(info.get("sd_model_name") or "")
        return [
            DrawnImage(
                png=self._png(picture),
                prompt=payload["prompt"],
                model=model,
                seed=_seed(seeds, number, info.get("seed")),
                provider=self.name,
            )
            for number, picture in enumerate(pictures)
        ]

    def _png(self, encoded) -> bytes:
        """PNG bytes of one picture of an answer, converted when the webui saves JPEG or WEBP."""
        try:
            text = str(encoded)
            if text.startswith("data:image/"):
                text = text.split(",", 1)[1]
            data = base64.b64decode(text, validate=True)
            if not data.startswith(PNG_SIGNATURE):
                buffer = io.BytesIO()
                Image.open(io.BytesIO(data)).save(buffer, "PNG")
                data = buffer.getvalue()
        except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
            raise invalid_output(self.shown_url, "a picture is not a base64 image") from None
        return data

    # -- checkpoints ------------------------------------------------------------

    def _checkpoint(self) -> str:
        """OPENAI_IMAGE_MODEL once it is known the server has it (empty: the loaded one).
        Raises AI_CAPABILITY_MISSING at once while the server is known to lack --api."""
        facts = facts_get(self.shown_url)
        if _missing_lately(facts):
            raise api_missing(self.shown_url)
        fresh = models_fresh(facts)
        models = facts["models"] if fresh else self._models_learn()
        configured = settings.OPENAI_IMAGE_MODEL.strip()
        if not configured or _checkpoint_known(configured, models):
            return configured
        if fresh:  # the list may be older than a checkpoint added since
            models = self._models_learn()
            if _checkpoint_known(configured, models):
                return configured
        raise self._checkpoint_missing(configured)

    def _models_learn(self) -> list[str]:
        """Ask the server for its checkpoints and remember their titles and model names."""
        items = self._send("GET", "/sdapi/v1/sd-models")
        if not isinstance(items, list):
            raise invalid_output(self.shown_url, "its list of checkpoints is not a list")
        items = [item for item in items if isinstance(item, dict)]
        titles = [str(item.get("title") or "") for item in items if item.get("title")]
        names = [str(item.get("model_name") or "") for item in items if item.get("model_name")]
        facts_learn(self.shown_url, image="ok", models=titles + names, checkpoints=titles, models_at=time.time())
        return titles + names

    def _checkpoint_missing(self, configured: str) -> ProviderError:
        facts = facts_get(self.shown_url)
        have = ", ".join(facts.get("checkpoints") or facts.get("models") or []) or "none at all"
        return ProviderError(
            ErrorCode.AI_MODEL_MISSING,
            f"The picture server at {self.shown_url} has no checkpoint '{configured}' (OPENAI_IMAGE_MODEL). "
            f"It has: {have}. Set OPENAI_IMAGE_MODEL to one of them, or leave it empty to draw with the one "
            "it has loaded.",
            transient=False,
        )

    # -- HTTP ---------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs):
        """The JSON of a successful answer; anything else raises ProviderError."""
        try:
            response = self.client.request(method, path, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as problem:
            raise self._error(problem) from None
        if response.is_success:
            try:
                return response.json()
            except ValueError:
                raise invalid_output(self.shown_url, "the answer is not JSON") from None
        error = self._error(response)
        if error.code == ErrorCode.AI_CAPABILITY_MISSING:
            facts_learn(self.shown_url, image="missing", image_at=time.time())
        raise error

    def _error(self, problem) -> ProviderError:
        key = self.endpoint.api_key.strip()
        secrets = [key, *key.split(":", 1)[1:]]  # the key, and the password on its own
        return provider_error(problem, url=self.shown_url, timeout=self.endpoint.timeout, secrets=secrets)

    # -- probing ------------------------------------------------------------------

    def probe(self, capability: Capability) -> CapabilityReport:
        """Asks the server afresh which checkpoints it has and which one draws (and
        remembers the answer); draws nothing."""
        capability = Capability(capability)
        configured = settings.OPENAI_IMAGE_MODEL.strip()

        def report(status: Status, why: str, model: str = configured, missing: bool = False) -> CapabilityReport:
            return CapabilityReport(str(capability), self.name, self.shown_url, model, status, why, missing)

        if capability != Capability.IMAGE:
            return report(Status.FAILING, "A Stable Diffusion WebUI only draws pictures.", "", missing=True)
        try:
            models = self._models_learn()
        except ProviderError as error:
            return report(Status.FAILING, error.message, missing=error.code == ErrorCode.AI_CAPABILITY_MISSING)
        checkpoints = facts_get(self.shown_url).get("checkpoints") or []
        if not checkpoints:
            return report(Status.FAILING, "The server has no checkpoints: put one in models/Stable-diffusion.")
        if configured and not _checkpoint_known(configured, models):
            return report(Status.FAILING, self._checkpoint_missing(configured).message)
        model = configured
        if not model:
            try:
                options = self._send("GET", "/sdapi/v1/options")
            except ProviderError as error:
                return report(Status.FAILING, error.message)
            model = str(options.get("sd_model_checkpoint") or "") if isinstance(options, dict) else ""
            facts_learn(self.shown_url, loaded=model)
        count = len(checkpoints)
        return report(
            Status.OK, f"{count} checkpoint{'s' if count != 1 else ''}; draws with {model or 'the loaded one'}", model
        )


def _base_url(raw: str) -> str:
    """The server's root: no trailing slash, no /sdapi/v1 (which people often paste)."""
    url = (raw or DEFAULT_BASE_URL).strip().rstrip("/")
    for suffix in ("/sdapi/v1", "/sdapi"):
        url = url.removesuffix(suffix)
    return url


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _missing_lately(facts: dict) -> bool:
    return facts.get("image") == "missing" and time.time() - facts.get("image_at", 0) < MODELS_SECONDS


def _checkpoint_known(name: str, models: list[str]) -> bool:
    """Whether the server would load `name`: a title, a model name, or a title without
    its [hash] (some of the aliases modules/sd_models.py's CheckpointInfo answers to)."""
    return any(name in (model, model.split(" [")[0]) for model in models) or name.rsplit(".", 1)[0] in models


def _portrait_first(characters) -> bytes | None:
    """The bytes of the first portrait that can be read and is a picture, main characters first."""
    for character in sorted(characters, key=lambda character: character.role != "main"):
        data = portrait_read(character)
        if data is None:
            continue
        try:
            Image.open(io.BytesIO(data)).verify()
        except (OSError, UnidentifiedImageError, ValueError):
            logger.warning("Portrait of %s is not a picture it can read (%s).", character.name, character.portrait_file)
            continue
        return data
    return None


def _info(raw) -> dict:
    """The answer's `info`, a JSON string (a dict from some forks)."""
    if isinstance(raw, dict):
        return raw
    try:
        info = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return info if isinstance(info, dict) else {}


def _seed(seeds: list, number: int, seed) -> int | None:
    if number < len(seeds) and isinstance(seeds[number], int):
        return seeds[number]
    return seed + number if isinstance(seed, int) else None
