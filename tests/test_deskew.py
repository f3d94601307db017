"""Skew of a page (pipeline.deskew): the angle found on generated letters, and boxes mapped back."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipeline.deskew import level_page, skew_angle


@pytest.fixture(scope="module")
def letters(geometry_corpus) -> list[np.ndarray]:
    """Three generated letters (RGB), each scanned turned by its own small angle."""
    paths = sorted((geometry_corpus / "yolo" / "images").iterdir())[:3]
    return [np.asarray(Image.open(p).convert("RGB")) for p in paths]


@pytest.mark.parametrize("angle", [-8.0, -3.0, 2.5, 6.0])
def test_the_angle_a_letter_was_turned_by_is_found(letters, angle):
    for page in letters:
        before = skew_angle(page)
        assert abs(before) <= 4.0  # the corpus turns pages by 1.5 degrees (sigma)
        turned = level_page(page, angle).image
        assert skew_angle(turned) == pytest.approx(before - angle, abs=0.3)


def test_pages_with_no_lines_are_left_alone():
    rng = np.random.default_rng(0)
    assert skew_angle(np.full((800, 600), 255, np.uint8)) == 0.0
    assert skew_angle(rng.integers(0, 256, (800, 600), dtype=np.uint8)) == 0.0  # speckle


@pytest.mark.parametrize("quarter_turns", [1, 3])
def test_a_crooked_page_scanned_sideways_is_turned_upright(letters, quarter_turns):
    """Its lines then run straight up and down; the orientation step turns it a quarter."""
    for page in letters:
        before = skew_angle(page)
        sideways = np.ascontiguousarray(np.rot90(level_page(page, 5.0).image, quarter_turns))
        assert skew_angle(sideways) == pytest.approx(before - 5.0, abs=0.3)


def test_a_levelled_page_keeps_its_corners_and_maps_boxes_back():
    page = np.full((300, 400, 3), 240, np.uint8)
    page[20:40, 30:90] = 0  # a dark block near the top-left corner, where headers are
    levelled = level_page(page, 7.0)
    h, w = levelled.image.shape[:2]
    assert h > 300 and w > 400  # grown, not cropped
    ys, xs = np.nonzero(levelled.image[:, :, 0] < 128)
    assert levelled.image[0, 0].tolist() == [240, 240, 240]  # filled with the paper's colour
    box = levelled.to_original((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))
    # the block's box on the page as given, grown only by the turn (7 degrees of a 60x20 box)
    assert box[0] <= 30 and box[1] <= 20 and box[2] >= 90 and box[3] >= 40
    assert box[0] >= 30 - 6 and box[1] >= 20 - 9 and box[2] <= 90 + 6 and box[3] <= 40 + 9


def test_a_box_in_a_levelled_pages_grown_corner_stays_on_the_page_as_loaded():
    from pipeline.predictor import as_loaded

    page = np.full((300, 400), 250, np.uint8)
    frame = level_page(page, 8.0)
    for box in ((0.0, 0.0, 120.0, 120.0), (0.0, 0.0, 20.0, 20.0)):  # partly, wholly off the page
        assert min(frame.to_original(box)[:2]) < 0
        x0, y0, x1, y1 = as_loaded(box, frame.image, 0, frame, page.shape)
        assert 0 <= x0 <= x1 <= 400 and 0 <= y0 <= y1 <= 300
    assert as_loaded((0.0, 0.0, 120.0, 120.0), frame.image, 0, frame, page.shape)[3] > 0
