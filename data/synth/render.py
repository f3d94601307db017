"""Render a line of Persian text into an ink mask, knowing where every glyph unit lies.

A line is a sequence of tokens (words or numbers) laid out right to left. Inside a token, the
Unicode bidi algorithm gives the visual order of its runs (`Charset.visual_runs`): a run of
letters is drawn as one shaped unit by raqm, every other character (digit, separator) is its own
unit. Digits and separators never join, so drawing them one by one gives the same picture as
drawing the whole string, and tells us each glyph's ink.

Example:
    >>> import numpy as np
    >>> from data.synth.fonts import FontLibrary
    >>> lib = FontLibrary.find(["Vazirmatn-Regular.ttf"], ["/usr/local/share/fonts"])
    >>> ink = render_line(["شماره:", "۱۲۳۴/ص/۱۴۰۲"], lib.faces[0], 30, InkStyle())
    >>> [u.text for u in ink.units][:5]
    ['۱', '۴', '۰', '۲', '/']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from data.synth.fonts import FontFace, Glyph
from recognizers.charset import Charset

KEYWORD_CLASSES = {"تاریخ": "Date", "مورخ": "dated", "مورخه": "dated", "پیوست": "attachment",
                   "شماره": "number", "موضوع": "title"}
SEPARATOR_CLASSES = {"/": "slash", "-": "dash", "_": "underscore"}
INK_THRESHOLD = 64  # mask value above which a pixel counts as ink


def glyph_class(unit_text: str) -> str:
    """The glyph-classifier class of a unit: a digit, a separator, a keyword or Otherchar.

    Example:
        >>> glyph_class("۷"), glyph_class("/"), glyph_class("پیوست"), glyph_class("ص")
        ('7', 'slash', 'attachment', 'Otherchar')
    """
    value = Charset.digit_value(unit_text) if len(unit_text) == 1 else None
    if value is not None:
        return str(value)
    return SEPARATOR_CLASSES.get(unit_text) or KEYWORD_CLASSES.get(unit_text) or "Otherchar"


@dataclass(frozen=True)
class Unit:
    """A piece of a line drawn in one go: a letter run or a single other character."""

    text: str
    token: int  # index of the token (logical order) this unit belongs to

    @property
    def rtl(self) -> bool:
        return Charset.is_rtl_char(self.text[0])


@dataclass(frozen=True)
class InkStyle:
    """How a line's strokes differ from the font's outline.

    stroke: >0 thickens by that many px (dilation), <0 thins (erosion).
    width: horizontal scale. slant: shear (x shifts by slant·height above the baseline).
    jitter: per-unit baseline offset, as a fraction of the digit height (typed values).
    """

    stroke: int = 0
    width: float = 1.0
    slant: float = 0.0
    jitter: float = 0.0

    @classmethod
    def random(cls, rng: np.random.Generator, digit_height: float, jitter: float = 0.0) -> InkStyle:
        max_stroke = max(1, round(digit_height / 14))
        return cls(
            stroke=int(rng.integers(-1, max_stroke + 1)) if rng.random() < 0.6 else 0,
            width=float(rng.uniform(0.85, 1.15)) if rng.random() < 0.6 else 1.0,
            slant=float(rng.uniform(-0.18, 0.18)) if rng.random() < 0.25 else 0.0,
            jitter=jitter,
        )


@dataclass
class Ink:
    """A rendered line: ink coverage, which unit owns each ink pixel, and the units."""

    mask: np.ndarray  # uint8 (h, w), 255 = full ink
    ids: np.ndarray  # uint16 (h, w), unit index + 1 on that unit's ink, else 0
    units: list[Unit]
    tokens: list[str]  # the line's tokens in logical order
    baseline: int = 0  # row of the text baseline in `mask`

    @property
    def width(self) -> int:
        return self.mask.shape[1]

    @property
    def height(self) -> int:
        return self.mask.shape[0]

    def unit_points(self) -> dict[int, np.ndarray]:
        """Ink pixel coordinates (x, y) of every unit that has ink, by unit index."""
        ys, xs = np.nonzero((self.mask > INK_THRESHOLD) & (self.ids > 0))
        owners = self.ids[ys, xs].astype(np.int64) - 1
        order = np.argsort(owners, kind="stable")
        owners, points = owners[order], np.stack([xs[order], ys[order]], axis=1)
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(owners) else []
        ends = [*list(starts[1:]), len(owners)]
        return {int(owners[a]): points[a:b] for a, b in zip(starts, ends, strict=True)}


def render_line(tokens: Sequence[str], face: FontFace, digit_height: float, style: InkStyle,
                rng: np.random.Generator | None = None, word_gap: float = 1.0) -> Ink:
    """Lay out `tokens` (logical order) right to left and draw them.

    Args:
        tokens: words or numbers, no spaces inside.
        face: the font; digit_height: ink height of digits in px.
        style: stroke, width, slant, baseline jitter (needs `rng` when jitter > 0).
        word_gap: the space between tokens, as a multiple of the font's space.
    """
    font = face.at(digit_height)
    space = face.glyph(" ", False, digit_height).advance * word_gap
    units: list[Unit] = []
    glyphs: list[Glyph] = []
    pens: list[float] = []
    pen = 0.0
    for index in reversed(range(len(tokens))):  # right-to-left: last token is leftmost
        for run in Charset.visual_runs(tokens[index]):
            unit = Unit(run, index)
            glyph = face.glyph(run, unit.rtl, digit_height)
            units.append(unit)
            glyphs.append(glyph)
            pens.append(pen)
            pen += glyph.advance
        pen += space
    ascent, descent = font.getmetrics()
    pad = int(digit_height) + 4
    height = ascent + descent + 2 * pad
    width = int(pen) + 2 * pad
    baseline = pad + ascent
    mask = np.zeros((height, width), np.uint8)
    ids = np.zeros((height, width), np.uint16)
    for index, (g, x) in enumerate(zip(glyphs, pens, strict=True)):
        if g.ink is None:
            continue
        glyph, dx, dy = g.ink, g.dx, g.dy
        shift = 0
        if style.jitter and rng is not None:
            shift = round(rng.normal(0, style.jitter * digit_height))
        x0, y0 = round(pad + x + dx), baseline + dy + shift
        y0 = min(max(y0, 0), height - glyph.shape[0])
        region = mask[y0:y0 + glyph.shape[0], x0:x0 + glyph.shape[1]]
        np.maximum(region, glyph, out=region)
        ids[y0:y0 + glyph.shape[0], x0:x0 + glyph.shape[1]][glyph > INK_THRESHOLD] = index + 1
    mask, ids = _apply_style(mask, ids, style, baseline)
    return _trim(Ink(mask, ids, units, list(tokens), baseline))


def _apply_style(mask: np.ndarray, ids: np.ndarray, style: InkStyle, baseline: int):
    if style.width != 1.0:
        new_w = max(1, round(mask.shape[1] * style.width))
        mask = cv2.resize(mask, (new_w, mask.shape[0]), interpolation=cv2.INTER_LINEAR)
        ids = cv2.resize(ids, (new_w, ids.shape[0]), interpolation=cv2.INTER_NEAREST)
    if style.slant:
        # x' = x + slant * (baseline - y): strokes lean right for slant > 0
        top_shift = style.slant * baseline
        bottom_shift = style.slant * (baseline - mask.shape[0])
        offset = -min(top_shift, bottom_shift)
        matrix = np.float32([[1, -style.slant, style.slant * baseline + offset], [0, 1, 0]])
        size = (mask.shape[1] + int(abs(top_shift - bottom_shift)) + 2, mask.shape[0])
        mask = cv2.warpAffine(mask, matrix, size, flags=cv2.INTER_LINEAR)
        ids = cv2.warpAffine(ids, matrix, size, flags=cv2.INTER_NEAREST)
    if style.stroke:
        k = abs(style.stroke) * 2 + 1
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
        if style.stroke > 0:
            mask = cv2.dilate(mask, kernel)
            ids = cv2.dilate(ids, kernel)
        else:
            thinned = cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
            # keep hairlines: thinning never removes a stroke completely
            mask = np.where(cv2.dilate(thinned, kernel) > INK_THRESHOLD, thinned, mask)
    return mask, ids


def _trim(ink: Ink) -> Ink:
    """Crop the canvas to the ink, with a one-pixel border."""
    ys, xs = np.nonzero(ink.mask > INK_THRESHOLD)
    if len(ys) == 0:
        return ink
    y0, y1 = max(ys.min() - 1, 0), ys.max() + 2
    x0, x1 = max(xs.min() - 1, 0), xs.max() + 2
    return Ink(ink.mask[y0:y1, x0:x1].copy(), ink.ids[y0:y1, x0:x1].copy(), ink.units, ink.tokens,
               ink.baseline - int(y0))
