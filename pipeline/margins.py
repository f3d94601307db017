"""The part of a scan that is the letter: dark scanner borders cut off, and a small letter on a
large scanner bed cut out.

A scan often carries more than the page: black bands where the lid did not cover the glass, or an
A5 letter lying in one corner of an A4 scan. The detector was trained on whole pages, where the
text spans most of the width; on an A4 scan of an A5 letter its print is two thirds of the size
it expects (80 pages of val300 put in the corner of a canvas 1.45 times their size: 96.25 -> 76.25
% all four right; with 4 % black borders: 91.25 %).

Example:
    >>> scan = np.full((1400, 1000), 235, np.uint8)     # an A4 bed, grey lid
    >>> scan[:700, 500:] = 255                          # a small white letter in the corner
    >>> for y in range(60, 600, 40):                   # its lines of words
    ...     for x in range(540, 960, 60):
    ...         scan[y:y + 10, x:x + 45] = 0
    >>> letter_region(scan)
    (516, 36, 970, 679)
"""

from __future__ import annotations

import numpy as np

from pipeline.deskew import shrunk_grey, text_ink

DARK = 80  # grey level under which a pixel is border, not paper
DARK_SHARE = 0.6  # a row or column of the scan's edge this dark is border
MAX_BORDER = 0.25  # at most this share of each side is cut as border
MIN_INK = 3  # ink pixels (of the shrunk scan) that make a row or column part of the text
# text narrower than this share of the scan is a letter smaller than its scan (the generator's
# pages: 0.85 in the median, 0.66 at least on val300, bench200 and skew200 but for one page
# turned 8 degrees, 0.58; val300 pages in a 1.45 times larger canvas: 0.45 to 0.61)
MIN_TEXT_WIDTH = 0.62
MARGIN = 0.06  # the margin kept around such a letter's text, as a share of the text's width
A4 = 297 / 210  # height over width of the page the letter is cut out as


def _dark_border(dark: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the scan inside its dark edge rows and columns."""
    h, w = dark.shape
    top, bottom, left, right = 0, h, 0, w
    while top < h * MAX_BORDER and dark[top, left:right].mean() > DARK_SHARE:
        top += 1
    while bottom > h * (1 - MAX_BORDER) and dark[bottom - 1, left:right].mean() > DARK_SHARE:
        bottom -= 1
    while left < w * MAX_BORDER and dark[top:bottom, left].mean() > DARK_SHARE:
        left += 1
    while right > w * (1 - MAX_BORDER) and dark[top:bottom, right - 1].mean() > DARK_SHARE:
        right -= 1
    return top, bottom, left, right


def letter_region(page: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of the letter on a scan, or None when that is the whole scan.

    Dark bands along the edges are cut off; then, when the text spans less than
    `MIN_TEXT_WIDTH` of what is left, the letter is taken to be the text's columns with a margin,
    from above its first line down one A4 page's height (or to the scan's end). `sketch_region`
    of the page's `shrunk_grey` and its `text_ink`.

    Example:
        >>> letter_region(np.full((300, 200), 255, np.uint8)) is None   # a blank page
        True
    """
    grey, step = shrunk_grey(page)  # the copy DocumentPredictor.frame measures too
    return sketch_region(grey, text_ink(grey), step, page.shape[:2])


def sketch_region(
    grey: np.ndarray, ink: np.ndarray, step: int, shape: tuple[int, int]
) -> tuple[int, int, int, int] | None:
    """`letter_region` of a page of `shape` (height, width) from every `step`-th pixel of it in
    grey and that grey's text ink (`pipeline.deskew.text_ink`: a page's own edges and rules are
    not text)."""
    h, w = shape
    top, bottom, left, right = _dark_border(grey < DARK)
    # one more line each side where a border was cut: its edge is not clean
    top, left = top + (top > 0), left + (left > 0)
    bottom, right = bottom - (bottom < grey.shape[0]), right - (right < grey.shape[1])
    region = [left, top, right, bottom]
    inner = ink[top:bottom, left:right]
    rows = np.nonzero(inner.sum(axis=1) >= MIN_INK)[0]
    cols = np.nonzero(inner.sum(axis=0) >= MIN_INK)[0]
    if len(rows) and len(cols) and (cols[-1] + 1 - cols[0]) < MIN_TEXT_WIDTH * inner.shape[1]:
        margin = MARGIN * (cols[-1] + 1 - cols[0])
        x0, x1 = left + cols[0] - margin, left + cols[-1] + 1 + margin
        y0 = top + rows[0] - margin
        region = [max(left, x0), max(top, y0), min(right, x1), min(bottom, y0 + A4 * (x1 - x0))]
    box = tuple(round(float(v) * step) for v in region)
    box = (box[0], box[1], min(w, box[2]), min(h, box[3]))
    return None if box == (0, 0, w, h) else box
