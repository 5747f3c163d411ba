"""Moving an installation's stored files between the local folder and object storage
(`manage.py media_copy --to s3`, and `--to local` to come back).

Every file a row refers to (portraits, illustrations, narration clips) is copied under
the same name, read and written through the storage API. A file the target already
holds with the same size is skipped, so a copy that was stopped picks up where it
left off, and running it twice copies nothing the second time. Nothing is deleted
from the source: switch STORYFORGE_MEDIA_STORAGE once `check_integrity` finds every
file, then remove the old copies yourself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.module_loading import import_string

from storyforge import config
from storyforge.operations.media import STORED_FILES

STORAGE_KINDS = tuple(config.MEDIA_STORAGES)


@dataclass
class MediaCopyResult:
    copied: int = 0
    skipped: int = 0  # already in the target, same size
    bytes: int = 0
    missing: list[str] = field(default_factory=list)  # referenced, but not in the source

    @property
    def total(self) -> int:
        return self.copied + self.skipped + len(self.missing)


def storage_of(kind: str) -> Storage:
    """The storage `kind` ("local": MEDIA_ROOT; "s3": the bucket the AWS_* settings
    name), whichever STORYFORGE_MEDIA_STORAGE is in use now."""
    if kind == "local":
        return FileSystemStorage(location=settings.MEDIA_ROOT)
    if kind == "s3":
        if not settings.AWS_STORAGE_BUCKET_NAME:
            raise ValueError("Set AWS_STORAGE_BUCKET_NAME (and the other AWS_* variables) to copy to or from a bucket.")
        return import_string(config.MEDIA_STORAGES["s3"])()
    raise ValueError(f"'{kind}' is not a storage: use one of {', '.join(STORAGE_KINDS)}.")


def stored_names() -> list[str]:
    """Every file name a row refers to, in a stable order."""
    names: set[str] = set()
    for model, field_name in STORED_FILES:
        names.update(model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True))
    return sorted(names)


def media_copy(
    source: Storage, target: Storage, *, progress: Callable[[int, int, MediaCopyResult], None] | None = None
) -> MediaCopyResult:
    names = stored_names()
    result = MediaCopyResult()
    for done, name in enumerate(names, start=1):
        _copy_one(source, target, name, result)
        if progress is not None:
            progress(done, len(names), result)
    return result


def _copy_one(source: Storage, target: Storage, name: str, result: MediaCopyResult) -> None:
    try:
        size = source.size(name)
    except (FileNotFoundError, OSError):
        result.missing.append(name)
        return
    if target.exists(name):
        if target.size(name) == size:
            result.skipped += 1
            return
        target.delete(name)  # a copy cut short last time: write it again
    with source.open(name, "rb") as file:
        saved = target.save(name, file)
    if saved != name:  # never happens on an empty name; a storage that renames is refused
        target.delete(saved)
        raise RuntimeError(f"The target stored {name} as {saved}; nothing was changed for that file.")
    result.copied += 1
    result.bytes += size
