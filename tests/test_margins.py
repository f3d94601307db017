"""The letter cut out of a scan (pipeline.margins): dark borders, a small letter on a large scan."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pipeline.margins import letter_region


@pytest.fixture(scope="module")
def letters(geometry_corpus) -> list[np.ndarray]:
    paths = sorted((geometry_corpus / "yolo" / "images").iterdir())[:4]
    return [np.asarray(Image.open(p).convert("RGB")) for p in paths]


def test_generated_letters_are_read_whole(letters):
    assert [letter_region(page) for page in letters] == [None] * len(letters)


def test_dark_borders_are_cut_off(letters):
    for page in letters:
        h, w = page.shape[:2]
        b = round(0.04 * w)
        framed = np.pad(page, ((b, b), (b, b), (0, 0)), constant_values=15)
        x0, y0, x1, y1 = letter_region(framed)
        step = max(1, round(max(framed.shape[:2]) / 600))  # measured on every step-th pixel
        assert b <= x0 <= b + 3 * step and b <= y0 <= b + 3 * step
        assert b + w - 3 * step <= x1 <= b + w and b + h - 3 * step <= y1 <= b + h


def test_a_small_letter_is_cut_out_of_a_large_scan():
    scan = np.full((1400, 1000, 3), 235, np.uint8)  # an A4 bed with a grey lid
    scan[:700, 500:] = 255  # an A5 letter in its corner: a header and lines of text
    for x in range(540, 700, 40):
        scan[60:72, x:x + 30] = 0
    for y in range(120, 640, 30):
        for x in range(540, 960, 60):
            scan[y:y + 10, x:x + 45] = 0
    x0, y0, x1, y1 = letter_region(scan)
    assert 500 <= x0 < 540 and 0 <= y0 < 60 and 960 < x1 <= 1000  # the text's columns, a margin
    assert 640 < y1 < 1400  # down one A4 page's height for that width, within the scan
    assert letter_region(scan[:, 400:]) is None  # text across most of the scan: all of it
