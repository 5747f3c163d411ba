"""What the fake server's default answers contain: a story that fits the prompt,
the page a rewrite gets, small PNGs drawn from the prompt, moderation's categories,
and the recognisable unsafe picture its moderation flags."""

from __future__ import annotations

import hashlib
import io
import json
import re

from PIL import Image, ImageDraw

DEFAULT_PAGE_COUNT = 4
MODERATION_CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/instructions",
    "self-harm/intent",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
# The categories omni-moderation also judges in images (OpenAI's moderation guide);
# the others read text only.
IMAGE_CATEGORIES = frozenset(
    {"self-harm", "self-harm/instructions", "self-harm/intent", "sexual", "violence", "violence/graphic"}
)
# The recognisable test picture: one filled with this colour is what the fake's
# moderation flags. Drawn pictures take their colour from a hash of the prompt, so
# none is this one by chance.
UNSAFE_PICTURE_COLOUR = (255, 0, 254)

# Page texts of the default story. The simple one reads at about grade -2, the
# other at about grade 3, so each fits the reading-level targets of its age groups.
SIMPLE_PAGES = (
    "{name} finds a red ball. The ball is big and round.",
    "The ball rolls down the hill. Roll, roll, roll!",
    "{name} runs and runs. Can {name} catch it?",
    "Splash! The ball is in the pond. A duck says quack.",
    "The duck gives the ball back. {name} says thank you.",
    "Now they play all day. What a fun day!",
    "The sun goes down. It is time for bed.",
    "{name} hugs the ball. Good night, ball.",
)
STORY_PAGES = (
    '{name} found a shiny red ball under the old apple tree. "Who does this belong to?" {name} wondered.',
    "The ball started rolling down the hill, faster and faster. {name} ran after it, laughing.",
    "At the bottom of the hill, the ball landed in the pond with a big splash.",
    "A friendly duck paddled over and pushed the ball back to the shore with her beak.",
    '"Thank you!" said {name}. The duck quacked happily and swam in a little circle.',
    "They played catch until the sky turned orange and pink above the garden.",
    "When the stars came out, {name} waved goodbye and carried the ball home.",
    "That night, {name} dreamed of rolling hills, splashing ponds and a very clever duck.",
)


REWRITTEN_PAGE = "The wind turned, and the little boat sailed home before the rain."


def default_story(messages: list[dict]) -> str:
    """A valid story for the prompt: as many pages as it asks for, at a reading
    level that suits the age group it names, about its first character."""
    text = "\n".join(str(message.get("content", "")) for message in messages if message.get("role") != "assistant")
    pages = re.search(r"exactly (\d+) pages?", text)
    age_group = re.search(r"Age group: (\d+-\d+)", text)
    name = re.search(r"^1\. (.+?) \(", text, re.MULTILINE)
    texts = page_texts(
        int(pages.group(1)) if pages else DEFAULT_PAGE_COUNT,
        age_group.group(1) if age_group else "6-8",
        name.group(1) if name else "Mia",
    )
    first_name = name.group(1) if name else "Mia"
    return json.dumps(
        {
            "title": f"{first_name} and the Red Ball",
            "summary": f"{first_name} chases a red ball into a pond, and a friendly duck helps to get it back.",
            "pages": [
                {"text": page, "visual_description": f"{first_name} in a sunny garden. {page}"} for page in texts
            ],
        }
    )


def page_texts(count: int, age_group: str, name: str) -> list[str]:
    """`count` pages of the default story about `name`, simple enough for `age_group`."""
    bank = SIMPLE_PAGES if age_group in ("1-2", "3-5") else STORY_PAGES
    return [bank[i % len(bank)].format(name=name) for i in range(count)]


def png_size(size: str) -> tuple[int, int]:
    """The size of the PNG for a requested size such as "1024x1024": a sixteenth of it."""
    match = re.fullmatch(r"(\d+)x(\d+)", size)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (1024, 1024)
    return max(16, width // 16), max(16, height // 16)


def png(prompt: str, index: int, width: int, height: int) -> bytes:
    """A small PNG whose colours come from the prompt, with a dot placed by `index`
    so that candidates of one prompt differ."""
    digest = hashlib.sha256(prompt.encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[:3]))
    x = (index * 13) % max(1, width - 16)
    ImageDraw.Draw(image).ellipse((x, height // 3, x + 16, height // 3 + 16), fill=tuple(digest[3:6]))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def unsafe_png(width: int = 64, height: int = 64) -> bytes:
    """The recognisable picture the fake's moderation flags."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), UNSAFE_PICTURE_COLOUR).save(buffer, "PNG")
    return buffer.getvalue()


def picture_unsafe(url: str) -> bool:
    """Whether a moderation input's image (a data: URL) is the unsafe test picture."""
    import base64

    if not url.startswith("data:") or "," not in url:
        raise ValueError("Only base64 data: URLs are read here.")
    with Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))) as picture:
        return picture.convert("RGB").getpixel((0, 0)) == UNSAFE_PICTURE_COLOUR


SPEECH_SECONDS_PER_CHARACTER = 0.06  # about 15 characters a second, a calm reading voice


def speech_mp3(text: str) -> bytes:
    """An MP3 (LAME, 24 kHz mono) of a soft tone lasting as long as `text` takes to say."""
    import array
    import math

    import lameenc

    rate = 24_000
    samples = int(rate * max(0.3, len(text) * SPEECH_SECONDS_PER_CHARACTER))
    tone = array.array("h", (int(3000 * math.sin(2 * math.pi * 220 * n / rate)) for n in range(samples)))
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    return bytes(encoder.encode(tone.tobytes()) + encoder.flush())
