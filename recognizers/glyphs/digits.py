"""`DigitReader`: reads a date or number crop glyph by glyph with the glyph classifier.

An independent second reading for the CRNN's: the crop is split into glyphs by connected
components (a glyph's parts and dots, which overlap it horizontally, are merged into it), each
glyph is classified, and the left-to-right sequence is turned into reading order. Letters, which
the classifier only knows as `Otherchar`, become `؟` (one per letter run).

Example:
    >>> reader = DigitReader(GlyphClassifier.load("recognizers/weights/glyphs.pt"))  # doctest: +SKIP
    >>> reader([number_crop])[0].text                                   # doctest: +SKIP
    '1234/؟/1402'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from recognizers.charset import Charset
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.images import check_batch

UNKNOWN_LETTER = "؟"  # strong right-to-left, so reading order treats it as a letter
SYMBOLS = {"slash": "/", "dash": "-", "underscore": "_"}
SEPARATORS = frozenset(SYMBOLS.values())
# Grey levels between a crop's paper (75th percentile) and its darkest 1 % below which it holds no
# writing: a value box the detector put on bare paper beside its label (val300 p000056, paper 238,
# grain down to 217) otherwise reads as dots, i.e. zeros, and passes as a date.
NO_INK_CONTRAST = 30


@dataclass(frozen=True)
class GlyphReading:
    """A crop read glyph by glyph: `text` in reading order, the least sure glyph's confidence,
    and the glyph boxes (x0, y0, x1, y1) left to right."""

    text: str
    confidence: float
    boxes: tuple[tuple[int, int, int, int], ...]


def split_glyphs(
    grey: np.ndarray,
    min_area: float = 0.002,
    overlap: float = 0.5,
    part: float = 0.5,
    wide: float = 0.9,
    bridge: float = 0.4,
) -> list[tuple[int, int, int, int]]:
    """Glyph boxes of a grey crop, left to right.

    Components smaller than `min_area`·H² are specks. A component wider than `wide` times the
    tallest one is glyphs touching (bold ink, tight kerning): it is cut in the middle of each run
    of thin columns (at most `bridge` times the tallest height of ink). A part (a dot, a broken
    stroke: shorter than `part` of the tallest) overlapping a glyph horizontally by more than
    `overlap` of the narrower one's width joins it; two tall components never join (a slanted
    `/` leans over its neighbours).

    Example:
        >>> crop = np.full((30, 80), 255, np.uint8)
        >>> crop[5:25, 5:9] = 0; crop[5:25, 30:34] = 0; crop[2:4, 31:33] = 0   # 2 strokes, 1 dot
        >>> crop[5:25, 50:56] = 0; crop[22:25, 56:64] = 0; crop[5:25, 64:70] = 0  # 2 touching
        >>> split_glyphs(crop)
        [(5, 5, 9, 25), (30, 2, 34, 25), (50, 5, 60, 25), (60, 5, 70, 25)]
    """
    paper, ink = np.percentile(grey, (75, 1))  # paper covers at least a quarter of a value crop
    if paper - ink < NO_INK_CONTRAST:  # nothing darker than the paper but its grain: no writing
        return []
    h = grey.shape[0]
    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    components = [
        (index, [int(x), int(y), int(x + w), int(y + hh)])
        for index, (x, y, w, hh, area) in enumerate(stats[1:count], start=1)
        if area >= max(2.0, min_area * h * h)
    ]
    # ink touching the whole height of the crop is a border or a neighbour's stroke, not a glyph
    components = [(i, b) for i, b in components if not (b[1] == 0 and b[3] == h and b[2] - b[0] < 0.1 * h)]
    if not components:
        return []
    tall = max(b[3] - b[1] for _, b in components)
    boxes = []
    for index, box in components:
        if box[2] - box[0] > wide * tall:
            boxes += _cut_touching(labels[box[1] : box[3], box[0] : box[2]] == index, box, tall, bridge)
        else:
            boxes.append(box)
    boxes.sort(key=lambda b: (b[0], b[2]))
    groups: list[list[int]] = []
    for box in boxes:
        for group in groups:
            inter = min(group[2], box[2]) - max(group[0], box[0])
            is_part = min(group[3] - group[1], box[3] - box[1]) < part * tall
            if is_part and inter > overlap * min(group[2] - group[0], box[2] - box[0]):
                group[:] = [
                    min(group[0], box[0]),
                    min(group[1], box[1]),
                    max(group[2], box[2]),
                    max(group[3], box[3]),
                ]
                break
        else:
            groups.append(list(box))
    groups.sort(key=lambda b: b[0])
    return [tuple(g) for g in groups]  # type: ignore[misc]


def _cut_touching(mask: np.ndarray, box: list[int], tall: int, bridge: float) -> list[list[int]]:
    """Boxes of the glyphs in one wide component (`mask` over `box`): cut in the middle of each
    run of thin columns (at most `bridge`·`tall` of ink) that lies 0.3·`tall` clear of both ends."""
    width = mask.shape[1]
    profile = mask.sum(0)
    thin = profile <= bridge * tall
    end = 0.3 * tall
    cuts, column = [], 0
    while column < width:
        if not thin[column]:
            column += 1
            continue
        run_end = column
        while run_end + 1 < width and thin[run_end + 1]:
            run_end += 1
        middle = (column + run_end + 1) // 2
        if middle >= end and width - middle >= end:
            cuts.append(middle)
        column = run_end + 1
    out = []
    for a, b in itertools.pairwise([0, *cuts, width]):
        rows = np.flatnonzero(mask[:, a:b].any(1))
        if len(rows):
            out.append([box[0] + a, box[1] + int(rows[0]), box[0] + b, box[1] + int(rows[-1]) + 1])
    return out


def letters_as_unknown(text: str) -> str:
    """A text as the digit reader can know it: canonical, spaces out, each letter run one `؟`.

    Example:
        >>> letters_as_unknown("۱۲۳۴/الف/۱۴۰۲")
        '1234/؟/1402'
    """
    runs = Charset.split_runs(Charset.canonical(text).replace(" ", ""))
    return "".join(UNKNOWN_LETTER if Charset.is_rtl_char(r[0]) else r for r in runs)


def tidy(visual: str) -> str:
    """A value never starts or ends with a separator, nor holds two in a row: such glyphs are
    ink from the crop's edges (a label's colon, a frame, a neighbour), so they go.

    Example:
        >>> tidy("/1382/09//14-")
        '1382/09/14'
    """
    out: list[str] = []
    for char in visual:
        if char in SEPARATORS and (not out or out[-1] in SEPARATORS):
            continue
        out.append(char)
    while out and out[-1] in SEPARATORS:
        out.pop()
    return "".join(out)


class DigitReader:
    """Splits crops into glyphs and reads them with a `GlyphClassifier`."""

    def __init__(self, classifier: GlyphClassifier, margin: float = 0.12) -> None:
        self.classifier = classifier
        self.margin = margin

    def _cut(self, grey: np.ndarray, box: tuple[int, int, int, int], band: tuple[int, int]) -> np.ndarray:
        """The glyph's columns over the rows of all the crop's glyphs (as the training crops are
        cut: where a glyph sits in the line tells `_` from `-`), with margins."""
        x0, _, x1, _ = box
        y0, y1 = band
        pad = max(1, round(self.margin * (y1 - y0)))
        padx = max(1, round(0.04 * (y1 - y0)))
        h, w = grey.shape
        return grey[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - padx) : min(w, x1 + padx)]

    def __call__(self, crops: Sequence[np.ndarray]) -> list[GlyphReading]:
        """Read each crop (grey or RGB uint8); an empty list gives an empty list."""
        greys = check_batch(crops)
        boxes = [split_glyphs(g) for g in greys]
        pieces = [
            self._cut(g, b, (min(c[1] for c in bs), max(c[3] for c in bs)))
            for g, bs in zip(greys, boxes, strict=True)
            for b in bs
        ]
        pieces = [p if min(p.shape) >= 2 else np.pad(p, 1, constant_values=255) for p in pieces]
        predictions = iter(self.classifier(pieces))
        readings = []
        for bs in boxes:
            chars, confidence = [], 1.0
            for _ in bs:
                p = next(predictions)
                confidence = min(confidence, p.confidence)
                char = p.label if p.label.isdigit() else SYMBOLS.get(p.label, UNKNOWN_LETTER)
                if not (char == UNKNOWN_LETTER and chars and chars[-1] == UNKNOWN_LETTER):
                    chars.append(char)
            text = Charset.to_logical(tidy("".join(chars)))
            readings.append(GlyphReading(text, confidence if bs else 0.0, tuple(bs)))
        return readings
