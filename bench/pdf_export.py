"""How long `story_export_pdf` takes for a 20-page book.

    .venv/bin/python bench/pdf_export.py [--runs 5] [--pages 20] [--size square] [--bleed] [--epub]

Sets Django up on a throw-away SQLite database and MEDIA_ROOT, makes a ready book
the way a reader without an OpenAI key would (the services with Celery tasks run
inline and the offline storyteller and artist, portraits included), then times
the export and prints each run, the median and the file size. The target is
under 3 seconds for the 20-page PDF. `--epub` times `story_export_epub` as well.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 3.0


def django_setup(scratch: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("STORYFORGE_", "OPENAI_")) or name in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"):
            del os.environ[name]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "storyforge.settings",
            "STORYFORGE_READ_DOT_ENV": "0",
            "STORYFORGE_VAR_DIR": str(scratch / "var"),
            "MEDIA_ROOT": str(scratch / "media"),
            "STORYFORGE_AI_PROVIDER": "offline",
            "STORYFORGE_DAILY_GENERATIONS": "100000",
        }
    )
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # the pipeline's INFO lines would bury the figures
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def book_make(pages: int):
    """A ready book of `pages` pages with three characters, each with a portrait."""
    from accounts.models import User
    from characters import services as characters
    from stories import services as stories
    from stories.models import Story
    from storyforge.celery import app

    app.conf.task_always_eager = True
    user = User.objects.create_user("bench", password="bench-pass-123", first_name="Ada", last_name="Lovelace")
    cast = [
        characters.character_create(user=user, name="Mia", kind="child", pronouns="she/her", age=7,
                                    traits=["brave", "curious"], hair_colour="auburn", hair_style="braids",
                                    eye_colour="green", skin_tone="light", clothing="a yellow raincoat"),
        characters.character_create(user=user, name="Leo", kind="child", pronouns="he/him", age=4,
                                    traits=["playful", "funny"], hair_colour="brown", hair_style="curly"),
        characters.character_create(user=user, name="Pip", kind="dragon", pronouns="they/them",
                                    traits=["gentle"], skin_tone="scales-green", clothing="a tiny blue scarf"),
    ]  # fmt: skip
    for character in cast:
        characters.portrait_generate(user=user, character_id=character.pk)
        portrait = character.portraits.order_by("id").first()
        characters.portrait_select(user=user, character_id=character.pk, portrait_id=portrait.pk)
    story, _job = stories.story_create(
        user=user,
        characters=[{"character": c.pk, "role": "main" if i == 0 else "supporting"} for i, c in enumerate(cast)],
        age_group="6-8",
        page_count=pages,
        moral="Friends help each other.",
        setting="the seaside",
    )
    story.refresh_from_db()
    if story.status != Story.Status.READY:
        raise SystemExit(f"the book did not finish: {story.status} {story.error_code} {story.error_message}")
    return user, story


def timed(call, runs: int) -> tuple[list[float], bytes]:
    seconds, output = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        output = call()
        seconds.append(time.perf_counter() - start)
    return seconds, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--size", default="square", choices=("square", "a4", "letter"))
    parser.add_argument("--bleed", action="store_true")
    parser.add_argument("--epub", action="store_true", help="time the EPUB export too")
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="storyforge-bench-"))
    try:
        django_setup(scratch)
        from stories.export import story_export_epub, story_export_pdf

        made = time.perf_counter()
        user, story = book_make(options.pages)
        print(f"made a ready {options.pages}-page book in {time.perf_counter() - made:.1f} s (offline provider)")

        def pdf():
            return story_export_pdf(user=user, story_id=story.pk, size=options.size, bleed=options.bleed)

        pdf()  # a warm-up: WeasyPrint's imports and Pango's font set-up happen once per process
        seconds, output = timed(pdf, options.runs)
        for run, value in enumerate(seconds, 1):
            print(f"run {run}: {value:.3f} s")
        median = statistics.median(seconds)
        label = f"{options.size}{' with bleed' if options.bleed else ''}"
        print(f"PDF, {options.pages} pages, {label}: median of {options.runs} {median:.3f} s, {len(output):,} bytes")
        if options.epub:
            epub_seconds, epub = timed(lambda: story_export_epub(user=user, story_id=story.pk), options.runs)
            print(f"EPUB: median of {options.runs} {statistics.median(epub_seconds):.3f} s, {len(epub):,} bytes")
        verdict = "within" if median < TARGET_SECONDS else "OVER"
        print(f"{verdict} the {TARGET_SECONDS:.0f} s target")
        return 0 if median < TARGET_SECONDS else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
