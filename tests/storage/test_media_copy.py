"""`manage.py media_copy` moves an installation between its local folder and a bucket:
every file a row refers to, under the same name and with the same bytes; a second
run copies nothing, a run after an interrupted one rewrites what was cut short, and
once STORYFORGE_MEDIA_STORAGE is switched check_integrity finds every file."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import CharacterFactory, IllustrationFactory, PortraitFactory, SentenceClipFactory, StoryFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]

LOCAL = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def switch(settings, kind: str, s3_settings: dict) -> None:
    """What an operator does after copying: STORYFORGE_MEDIA_STORAGE=<kind>, and restart."""
    settings.STORYFORGE_MEDIA_STORAGE = kind
    settings.MEDIA_SENDFILE = "redirect" if kind == "s3" else "app"
    settings.STORAGES = s3_settings if kind == "s3" else {**s3_settings, **LOCAL}


def integrity() -> str:
    return run("check_integrity")[0].strip()


@pytest.fixture
def local_installation(s3_storage, settings, media_root):
    """An installation on its local folder, with the AWS_* variables already set for the
    bucket it is moving to: a portrait, two pages' pictures and a narration clip."""
    s3_settings = settings.STORAGES
    switch(settings, "local", s3_settings)
    portrait = PortraitFactory(character=CharacterFactory())
    story = StoryFactory(page_count=2, pages=2)
    names = [portrait.image.name]
    names += [IllustrationFactory(page=page).image.name for page in story.pages.all()]
    names.append(SentenceClipFactory(page=story.pages.first()).audio.name)
    assert all((media_root / name).is_file() for name in names) and not s3_storage.names()
    return names, s3_settings


def test_a_local_installation_moves_to_the_bucket_and_back(local_installation, s3_storage, settings, media_root):
    names, s3_settings = local_installation
    local_bytes = {name: (media_root / name).read_bytes() for name in names}

    out, err = run("media_copy", "--to", "s3")

    assert out.splitlines()[0] == (
        f"4 copied ({sum(map(len, local_bytes.values())) / 1e6:.1f} MB), 0 already there, 0 missing from local."
    )
    assert "Next: set STORYFORGE_MEDIA_STORAGE=s3 on every machine" in out
    assert err.strip().splitlines()[-1].startswith(f"[{'#' * 30}] 4/4 files")  # the progress bar, full
    assert {name: s3_storage.read(name) for name in s3_storage.names()} == local_bytes

    switch(settings, "s3", s3_settings)
    assert integrity() == "check_integrity: 0 problem(s) found; all consistent."

    for name in names:  # the way back starts from an empty folder
        (media_root / name).unlink()
    out, _ = run("media_copy", "--to", "local")
    assert out.splitlines()[0].startswith("4 copied") and out.splitlines()[0].endswith("0 missing from s3.")
    assert "Next: set STORYFORGE_MEDIA_STORAGE=local on every machine" in out
    assert {name: (media_root / name).read_bytes() for name in names} == local_bytes
    switch(settings, "local", s3_settings)
    assert integrity() == "check_integrity: 0 problem(s) found; all consistent."


def test_a_second_run_copies_nothing_and_an_interrupted_one_is_finished(local_installation, s3_storage, media_root):
    names, _ = local_installation
    run("media_copy", "--to", "s3")

    out, _ = run("media_copy", "--to", "s3")
    assert out.splitlines()[0] == "0 copied (0.0 MB), 4 already there, 0 missing from local."

    # As if the last run stopped mid-way: one object cut short, one never written.
    cut, never = names[0], names[1]
    s3_storage.client.put_object(Bucket=s3_storage.name, Key=cut, Body=(media_root / cut).read_bytes()[:10])
    s3_storage.client.delete_object(Bucket=s3_storage.name, Key=never)

    out, _ = run("media_copy", "--to", "s3")

    assert out.splitlines()[0].startswith("2 copied") and "2 already there" in out
    assert s3_storage.read(cut) == (media_root / cut).read_bytes()
    assert s3_storage.read(never) == (media_root / never).read_bytes()
    assert s3_storage.names() == set(names)  # rewritten under the same names, nothing beside them


def test_a_file_missing_from_the_source_is_named_and_the_rest_copied(local_installation, s3_storage, media_root):
    names, _ = local_installation
    (media_root / names[2]).unlink()

    out, _ = run("media_copy", "--to", "s3")

    assert out.splitlines()[0].startswith("3 copied") and out.splitlines()[0].endswith("1 missing from local.")
    assert f"  missing: {names[2]}" in out.splitlines()
    assert s3_storage.names() == set(names) - {names[2]}


def test_copying_a_storage_onto_itself_is_refused(local_installation):
    with pytest.raises(CommandError, match="same storage"):
        run("media_copy", "--to", "s3", "--from", "s3")
