"""Every kind of character can be drawn in every pose, each pose looks different from
standing still, and the hands the drawer reports are where the figure is."""

import pytest
from PIL import Image

from characters.catalogue import Kind
from storyforge.generation.providers.base import CharacterSheet
from storyforge.generation.providers.offline.artist import figure_draw
from storyforge.generation.providers.offline.canvas import SUPERSAMPLE, Pen, style_for
from storyforge.generation.providers.offline.looks import look_for
from storyforge.generation.providers.offline.poses import POSES, STAND

SIZE = 240


def drawn(kind: str, pose: str) -> tuple[bytes, tuple[float, float]]:
    image = Image.new("RGB", (SIZE * SUPERSAMPLE,) * 2, (255, 255, 255))
    pen = Pen(image, style_for("storybook"))
    hands = figure_draw(pen, look_for(CharacterSheet("Bo", kind, "it/its")), SIZE / 2, SIZE * 0.95, SIZE * 0.6, pose)
    return image.tobytes(), hands


@pytest.mark.parametrize("kind", Kind.values)
def test_every_pose_of_every_kind_is_its_own_drawing(kind):
    pictures = {pose: drawn(kind, pose)[0] for pose in POSES}

    standing = pictures[STAND]
    assert all(picture != standing for pose, picture in pictures.items() if pose != STAND)
    assert len(set(pictures.values())) >= len(POSES) - 1  # at most one pair may look alike


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("pose", POSES)
def test_the_hands_are_on_the_figures_body(kind, pose):
    _, (x, y) = drawn(kind, pose)

    assert abs(x - SIZE / 2) < SIZE * 0.1
    assert SIZE * 0.3 < y < SIZE * 0.95
