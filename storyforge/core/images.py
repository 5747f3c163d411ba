"""What portraits and page illustrations have in common: a stored image file and
the record of how it was made (prompt, provider, model, seed and cost)."""

import uuid

from django.db import models


def image_upload_to(instance, filename: str) -> str:
    """`portraits/ab/<uuid>.png`: unguessable names spread over 256 folders."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    name = uuid.uuid4().hex
    return f"{instance.UPLOAD_FOLDER}/{name[:2]}/{name}.{suffix}"


class GeneratedImage(models.Model):
    UPLOAD_FOLDER = "images"

    image = models.ImageField(upload_to=image_upload_to, width_field="width", height_field="height", max_length=200)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    prompt = models.TextField(blank=True)
    provider = models.CharField(
        max_length=32, blank=True, help_text="Which AI provider drew it: offline, openai, or upload."
    )
    model = models.CharField(max_length=100, blank=True, help_text="The image model, where the provider has one.")
    seed = models.BigIntegerField(null=True, blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0, help_text="US dollars.")
    is_selected = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def artist(self) -> str:
        """Who drew it, in words for the reader: "the built-in artist", "gpt-image-2",
        "Stable Diffusion (dreamshaper_8)"."""
        if self.provider == "offline":
            return "the built-in artist"
        if self.provider == "automatic1111":
            return f"Stable Diffusion ({self.model})" if self.model else "Stable Diffusion"
        if self.provider == "upload":
            return "the family's own pictures"
        return self.model or self.provider or "an unknown artist"


def files_delete_on_commit(names: list[str]) -> None:
    """Remove stored image files once the rows that referenced them are gone for good."""
    import contextlib

    from django.core.files.storage import default_storage
    from django.db import transaction

    def delete():
        for name in names:
            if name:
                with contextlib.suppress(OSError):
                    default_storage.delete(name)

    transaction.on_commit(delete)


def candidate_choose(holder, candidate, *, candidates, field: str, owner_id: int) -> None:
    """Make `candidate` the chosen one of `holder`'s candidate images (a character's
    portraits, a page's pictures), or none when it is None.

    Inside a transaction, with `holder` locked: every other candidate in
    `candidates` loses its `is_selected` flag, `candidate` gets it, `holder.<field>`
    points at it, and the owner's cached pages are forgotten, so the reader and the
    galleries show the new picture at once. The pickers, the uploads and the
    integrity repairs all choose through here."""
    from storyforge.core.pagecache import pagecache_invalidate

    chosen_pk = candidate.pk if candidate is not None else None
    candidates.filter(is_selected=True).exclude(pk=chosen_pk).update(is_selected=False)
    if candidate is not None and not candidate.is_selected:
        candidate.is_selected = True
        candidate.save(update_fields=["is_selected"])
    setattr(holder, field, candidate)
    holder.save(update_fields=[field, "updated_at"])
    pagecache_invalidate(owner_id)
