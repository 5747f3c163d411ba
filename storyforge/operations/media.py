"""Stored files that no database row refers to any more (`manage.py prune_media`).

Only the folders portraits, illustrations, covers and narration clips are stored in (`UPLOAD_FOLDER`) are
walked, through the storage API, so it works on object storage too; any other
file under MEDIA_ROOT is never touched. A file newer than `min_age` is kept:
a worker saves an image a moment before the transaction that adds its row
commits, and that file is not an orphan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from characters.models import Portrait
from stories.models import CoverPicture, Illustration, SentenceClip

# Each kind of stored file: its model, the file field, and the folder it is kept in.
STORED_FILES = ((Portrait, "image"), (Illustration, "image"), (CoverPicture, "image"), (SentenceClip, "audio"))
DEFAULT_MIN_AGE = timedelta(hours=1)


@dataclass
class MediaPruneResult:
    files: list[str] = field(default_factory=list)  # storage names, deleted or (dry run) to delete
    bytes: int = 0
    kept_recent: int = 0  # orphans younger than min_age, left for next time
    dry_run: bool = False


def media_walk(storage: Storage, folder: str):
    """Every file name under `folder`, recursively; nothing when it does not exist."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for name in sorted(folders):
        yield from media_walk(storage, f"{folder}/{name}")


def media_prune(
    *, dry_run: bool = False, min_age: timedelta = DEFAULT_MIN_AGE, now: datetime | None = None, storage=None
) -> MediaPruneResult:
    storage = storage or default_storage
    now = now or timezone.now()
    referenced = set()
    for model, field_name in STORED_FILES:
        referenced.update(model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True))
    result = MediaPruneResult(dry_run=dry_run)
    for folder in sorted({model.UPLOAD_FOLDER for model, _ in STORED_FILES}):
        for name in media_walk(storage, folder):
            if name in referenced:
                continue
            try:
                if now - storage.get_modified_time(name) < min_age:
                    result.kept_recent += 1
                    continue
                size = storage.size(name)
            except FileNotFoundError:
                continue  # deleted meanwhile
            if not dry_run:
                storage.delete(name)
            result.files.append(name)
            result.bytes += size
    return result
