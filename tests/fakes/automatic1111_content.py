"""What the fake AUTOMATIC1111 server's answers contain: `Reply` (what a test can
script), the request fields it reads (with pydantic v1's coercion and 422 wording),
checkpoints, the error bodies of the webui's exception middleware, and the pictures
with their `info` JSON string. Modelled on AUTOMATIC1111/stable-diffusion-webui modules/api/api.py (decode_base64_to_image,
encode_pil_to_base64, api_middleware) and modules/processing.py (Processed.js)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, PngImagePlugin, UnidentifiedImageError

OUT_OF_MEMORY = (
    "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 8.00 GiB total capacity; 5.89 GiB already allocated; "
    "0 bytes free; 6.00 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting "
    "max_split_size_mb to avoid fragmentation.  See documentation for Memory Management and PYTORCH_CUDA_ALLOC_CONF"
)
# The request fields the fake reads, with pydantic v1's coercion and error wording.
FIELDS = {
    "prompt": (str, ""),
    "negative_prompt": (str, ""),
    "seed": (int, -1),
    "width": (int, 512),
    "height": (int, 512),
    "batch_size": (int, 1),
    "n_iter": (int, 1),
    "steps": (int, 20),
    "denoising_strength": (float, 0.75),
    "init_images": (list, None),
    "override_settings": (dict, {}),
}
TYPE_NAMES = {int: "integer", float: "float", str: "str", list: "list", dict: "dict"}


def checkpoint(name: str) -> dict:
    """A /sdapi/v1/sd-models item for a checkpoint file (its hash is the sha256's first ten digits)."""
    sha256 = hashlib.sha256(name.encode()).hexdigest()
    return {
        "title": f"{name} [{sha256[:10]}]",
        "model_name": name.rsplit(".", 1)[0],
        "hash": sha256[:10],
        "sha256": sha256,
        "filename": f"/stable-diffusion-webui/models/Stable-diffusion/{name}",
        "config": None,
    }


def middleware_error(status: int, error: str, *, detail: str = "", errors: str = "") -> dict:
    """api_middleware's body for an exception; `errors` is str(e) ("401: ..." for an HTTPException)."""
    return {"error": error, "detail": detail, "body": "", "errors": errors or (f"{status}: {detail}" if detail else "")}


@dataclass(frozen=True)
class Reply:
    """One scripted answer; build them with the class methods."""

    kind: str  # ok, error, slow, drop, no_images
    status: int = 200
    body: dict | list | None = None
    seconds: float = -1.0

    @property
    def label(self) -> str:
        return str(self.status) if self.kind == "error" else self.kind

    @classmethod
    def ok(cls) -> Reply:
        return cls("ok")

    @classmethod
    def out_of_memory(cls) -> Reply:
        """500 from torch running out of graphics memory while drawing."""
        return cls("error", 500, middleware_error(500, "OutOfMemoryError", errors=OUT_OF_MEMORY))

    @classmethod
    def error(cls, status: int, detail: str, error: str = "HTTPException") -> Reply:
        """An HTTPException (or another exception class) as api_middleware answers it."""
        return cls("error", status, middleware_error(status, error, detail=detail))

    @classmethod
    def unprocessable(cls, field_name: str = "width") -> Reply:
        """FastAPI's 422 for a field pydantic would not take."""
        detail = [{"loc": ["body", field_name], "msg": "value is not a valid integer", "type": "type_error.integer"}]
        return cls("error", 422, {"detail": detail})

    @classmethod
    def slow(cls, seconds: float | None = None) -> Reply:
        """The usual answer after `seconds` more (default the server's `slow_seconds`)."""
        return cls("slow", seconds=-1.0 if seconds is None else seconds)

    @classmethod
    def drop(cls) -> Reply:
        """The connection closes without an answer (a server that crashed mid-request)."""
        return cls("drop")

    @classmethod
    def no_images(cls) -> Reply:
        """200 with an empty `images` list (what `send_images: false` gives)."""
        return cls("no_images")


def request_validated(body: bytes) -> tuple[dict, dict]:
    """The JSON body and the fields the fake reads (defaults filled in); ValueError holds FastAPI's 422 detail."""
    try:
        data = json.loads(body or b"{}")
    except ValueError as error:
        raise ValueError([{"loc": ["body", 0], "msg": str(error), "type": "value_error.jsondecode"}]) from None
    if not isinstance(data, dict):
        raise ValueError([{"loc": ["body"], "msg": "value is not a valid dict", "type": "type_error.dict"}])
    values, problems = {}, []
    for name, (kind, default) in FIELDS.items():
        try:
            values[name] = _coerced(data.get(name, default), kind)
        except (TypeError, ValueError):
            type_name = TYPE_NAMES[kind]
            problems.append(
                {"loc": ["body", name], "msg": f"value is not a valid {type_name}", "type": f"type_error.{type_name}"}
            )
    if problems:
        raise ValueError(problems)
    return data, values


def _coerced(value, kind: type):
    """`value` as pydantic v1 takes it for a field of type `kind` (lists and dicts may be None)."""
    if kind in (list, dict):
        if value is None or isinstance(value, kind):
            return value
        raise TypeError
    if kind is str and not isinstance(value, str | int | float):
        raise TypeError
    return kind(value)


def image_decode(encoded) -> tuple[Image.Image, str]:
    """api.decode_base64_to_image: base64, or a data: URL; ValueError when it is not an image."""
    text = str(encoded)
    if text.startswith("data:image/"):
        text = text.split(";")[1].split(",")[1]
    try:
        data = base64.b64decode(text, validate=True)
        image = Image.open(io.BytesIO(data))
        image.load()
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
        raise ValueError("Invalid encoded image") from None
    return image, hashlib.sha256(data).hexdigest()


def drawing_answer(
    body: dict, values: dict, *, model: dict, init: Image.Image | None, samples_format: str, with_images: bool = True
) -> dict:
    """The answer to a drawing request by checkpoint `model`: pictures, the request echoed, and the info JSON string."""
    count = values["batch_size"] * values["n_iter"]
    seed = values["seed"] if values["seed"] != -1 else random.randrange(2**32)
    seeds = [seed + index for index in range(count)]
    prompt, negative = values["prompt"], values["negative_prompt"]
    width, height = values["width"], values["height"]
    infotexts = [
        f"{prompt}\nNegative prompt: {negative}\nSteps: {values['steps']}, Sampler: Euler a, CFG scale: 7, "
        f"Seed: {one}, Size: {width}x{height}, Model hash: {model['hash']}, Model: {model['model_name']}"
        for one in seeds
    ]
    images = []
    if with_images:
        for one, text in zip(seeds, infotexts, strict=True):
            picture = _picture(prompt, one, width, height, init, values["denoising_strength"])
            images.append(base64.b64encode(_encoded(picture, samples_format, text)).decode())
    info = {
        "prompt": prompt,
        "all_prompts": [prompt] * count,
        "negative_prompt": negative,
        "all_negative_prompts": [negative] * count,
        "seed": seed,
        "all_seeds": seeds,
        "subseed": seed,
        "all_subseeds": seeds,
        "width": width,
        "height": height,
        "sampler_name": "Euler a",
        "steps": values["steps"],
        "batch_size": values["batch_size"],
        "sd_model_name": model["model_name"],
        "sd_model_hash": model["hash"],
        "denoising_strength": values["denoising_strength"] if init is not None else None,
        "index_of_first_image": 0,
        "infotexts": infotexts,
        "version": "v1.10.1",
    }
    parameters = {**body, "init_images": None} if init is not None else body  # include_init_images is false
    return {"images": images, "parameters": parameters, "info": json.dumps(info)}


def _picture(prompt: str, seed: int, width: int, height: int, init: Image.Image | None, strength: float) -> Image.Image:
    """A picture that differs with the prompt (its colours) and the seed (its shapes), over the init image."""
    digest = hashlib.sha256(prompt.encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[:3]))
    draw, rng = ImageDraw.Draw(image), random.Random(seed)
    for _ in range(4):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(8, max(9, min(width, height) // 3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    if init is not None:
        image = Image.blend(init.convert("RGB").resize((width, height)), image, max(0.0, min(1.0, strength)))
    return image


def _encoded(image: Image.Image, samples_format: str, infotext: str) -> bytes:
    """api.encode_pil_to_base64's bytes: PNG with the infotext as "parameters", or JPEG/WEBP."""
    buffer = io.BytesIO()
    if samples_format == "png":
        metadata = PngImagePlugin.PngInfo()
        metadata.add_text("parameters", infotext)
        image.save(buffer, "PNG", pnginfo=metadata)
    else:
        image.save(buffer, "JPEG" if samples_format in ("jpg", "jpeg") else "WEBP")
    return buffer.getvalue()
