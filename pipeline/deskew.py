"""Skew of a scanned page: the angle of its text lines, found by projection profiles, and the
page turned level.

A page fed crooked into a scanner comes out turned by a few degrees; the detector and the readers
were trained on pages turned by at most 2.5 degrees, and a subject line read from an upright box
over text that climbs 6 degrees loses its ends (a 6-degree test set: 32 % of pages fully right
before this stage). The angle is the one that makes the rows of ink sharpest: for each candidate,
the ink pixels are projected onto the page's vertical axis turned by that angle, and the sum of the
squared row counts is largest when text lines fall into rows.

Example:
    >>> page = np.full((400, 600), 255, np.uint8)
    >>> for y in range(60, 360, 30):                        # ten level lines of "words"
    ...     for x in range(50, 550, 50):
    ...         page[y:y + 8, x:x + 40] = 0
    >>> crooked = level_page(page, 4.0).image                # turned 4 degrees counter-clockwise
    >>> round(-skew_angle(crooked), 1)                      # what turns it back
    4.0
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 600  # the page's longer side, in px, when its angle and its letter region are measured
MAX_INK_POINTS = 20_000  # ink pixels sampled for the profiles
MIN_INK_POINTS = 500  # fewer than this: no text to measure, angle 0
MAX_STROKE = 0.2  # ink joined across more than this share of the page's width or height is no text
COARSE_STEP = 0.5  # degrees
FINE_STEP = 0.05
# the sharpest profile must beat the level one by this ratio to count: a page with no lines
# (a photo, a page turned a quarter) has no angle that stands out
MIN_GAIN = 1.02


@dataclass
class PageFrame:
    """What the models see of a page: `image`, made from the page as given by cutting out
    `region` (x0, y0, x1, y1; None: all of it) and turning that by `angle` degrees
    (counter-clockwise) on a canvas grown to hold all of it; `matrix` maps points of the page as
    given to points of `image`."""

    image: np.ndarray
    angle: float
    matrix: np.ndarray  # 2×3 affine
    region: tuple[int, int, int, int] | None = None

    def within(self, region: tuple[int, int, int, int]) -> PageFrame:
        """This frame of a part of a page, cut out at `region`, as a frame of the whole page.

        Example:
            >>> part = level_page(np.zeros((50, 80), np.uint8), 0.0).within((100, 200, 180, 250))
            >>> part.to_original((0, 0, 10, 10)), part.region
            ((100.0, 200.0, 110.0, 210.0), (100, 200, 180, 250))
        """
        matrix = self.matrix.copy()
        matrix[:, 2] -= matrix[:, :2] @ np.array(region[:2], np.float64)
        return PageFrame(self.image, self.angle, matrix, region)

    def to_original(self, box: tuple[float, ...]) -> tuple[float, ...]:
        """The upright box (x0, y0, x1, y1) of `image`, as the upright box around it on the page
        as given.

        Example:
            >>> p = level_page(np.full((100, 200), 255, np.uint8), 0.0)
            >>> p.to_original((10, 20, 30, 40))
            (10.0, 20.0, 30.0, 40.0)
        """
        x0, y0, x1, y1 = box
        inverse = cv2.invertAffineTransform(self.matrix)
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], np.float64)
        pts = corners @ inverse.T
        return (float(pts[:, 0].min()), float(pts[:, 1].min()),
                float(pts[:, 0].max()), float(pts[:, 1].max()))


def shrunk_grey(page: np.ndarray, side: int = WORK_SIDE) -> tuple[np.ndarray, int]:
    """(every step-th pixel of the page in grey, step), the longer side about `side` px: cheap,
    and the page's layout needs no finer strokes.

    Example:
        >>> grey, step = shrunk_grey(np.zeros((1200, 900, 3), np.uint8))
        >>> grey.shape, step
        ((600, 450), 2)
    """
    step = max(1, round(max(page.shape[:2]) / side))
    small = np.ascontiguousarray(page[::step, ::step])
    return (cv2.cvtColor(small, cv2.COLOR_RGB2GRAY) if small.ndim == 3 else small), step


def text_ink(grey: np.ndarray) -> np.ndarray:
    """True where a pixel is darker than its neighbourhood by 20 grey levels (uneven lighting
    and grey paper are not ink), in a stroke joined across less than `MAX_STROKE` of the page
    both ways: a page's own edges on a scan larger than it, rules and frames are not text (the
    edges of a page turned 6 degrees outweighed its lines of text).

    Example:
        >>> grey = np.full((100, 100), 250, np.uint8)
        >>> grey[10:14, 5:95] = 0                     # a rule across the page
        >>> grey[50:58, 40:48] = 0                    # a letter
        >>> int(text_ink(grey).sum())
        64
    """
    ink = cv2.adaptiveThreshold(grey, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 20)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    too_long = (stats[:, cv2.CC_STAT_WIDTH] > MAX_STROKE * grey.shape[1]) | (
        stats[:, cv2.CC_STAT_HEIGHT] > MAX_STROKE * grey.shape[0])
    too_long[0] = True  # the background
    return ~too_long[labels]


def _ink_points(ink: np.ndarray) -> np.ndarray:
    """(N, 2) x, y of an ink map's pixels, centred on its middle, at most MAX_INK_POINTS."""
    ys, xs = np.nonzero(ink)
    pts = np.stack([xs - ink.shape[1] / 2, ys - ink.shape[0] / 2], axis=1).astype(np.float32)
    if len(pts) > MAX_INK_POINTS:  # an even sample, the same for the same page
        pts = pts[:: int(np.ceil(len(pts) / MAX_INK_POINTS))]
    return pts


def _sharpness(pts: np.ndarray, angle: float) -> float:
    """Sum of squared row counts of the points turned by `angle` degrees (counter-clockwise)."""
    a = np.deg2rad(angle)
    # y of a point after turning the page counter-clockwise by a (y grows downwards)
    rows = pts[:, 1] * np.cos(a) - pts[:, 0] * np.sin(a)
    counts = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(counts, counts))


def _sharpest(pts: np.ndarray, max_angle: float) -> tuple[float, float]:
    """(angle, sharpness) of the sharpest row profile within ±max_angle: coarse, then fine."""
    coarse = np.arange(-max_angle, max_angle + 1e-9, COARSE_STEP)
    best = float(coarse[int(np.argmax([_sharpness(pts, a) for a in coarse]))])
    fine = np.arange(max(-max_angle, best - COARSE_STEP), min(max_angle, best + COARSE_STEP) + 1e-9,
                     FINE_STEP)
    scores = [_sharpness(pts, a) for a in fine]
    k = int(np.argmax(scores))
    return float(fine[k]), scores[k]


def skew_angle(page: np.ndarray, max_angle: float = 10.0) -> float:
    """Degrees to turn the page counter-clockwise (negative: clockwise) to make its lines of text
    level, or upright on a page scanned sideways (whose lines run up and down: the orientation
    step of `DocumentPredictor` then turns it a quarter); 0.0 when the page shows no lines of
    text within `max_angle`. `ink_angle` of the page's `text_ink`.

    Example:
        >>> skew_angle(np.full((300, 200), 255, np.uint8))   # a blank page
        0.0
    """
    return ink_angle(text_ink(shrunk_grey(page)[0]), max_angle)


def ink_angle(ink: np.ndarray, max_angle: float = 10.0) -> float:
    """`skew_angle` of a page from its text ink map (`text_ink` of its `shrunk_grey`).

    Example:
        >>> ink = np.zeros((200, 300), bool)
        >>> ink[50:54, 20:280] = True          # one level line
        >>> ink_angle(ink)
        0.0
    """
    pts = _ink_points(ink)
    if len(pts) < MIN_INK_POINTS:
        return 0.0
    angle, sharpness = _sharpest(pts, max_angle)
    # the page seen across its diagonal: its columns as rows. A turn counter-clockwise is a turn
    # clockwise there.
    across, across_sharpness = _sharpest(pts[:, ::-1], max_angle)
    if across_sharpness > sharpness:  # lines run up and down: a page scanned sideways
        pts, angle, sharpness = pts[:, ::-1], -across, across_sharpness
    if sharpness < MIN_GAIN * _sharpness(pts, 0.0):
        return 0.0
    return round(angle, 2)


def level_page(page: np.ndarray, angle: float, fill: float | None = None) -> PageFrame:
    """The page turned by `angle` degrees counter-clockwise about its centre, on a canvas grown
    so that no corner is cut (the header sits in one), filled with `fill` or else the page's
    paper colour.

    Example:
        >>> level_page(np.zeros((100, 200), np.uint8), 90.0).image.shape
        (200, 100)
    """
    h, w = page.shape[:2]
    if angle == 0.0:  # nothing to turn
        return PageFrame(np.ascontiguousarray(page), 0.0, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(float(matrix[0, 0])), abs(float(matrix[0, 1]))
    new_w, new_h = round(h * sin + w * cos), round(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    if fill is None:
        fill = np.median(page[:: max(1, h // 64), :: max(1, w // 64)].reshape(-1, *page.shape[2:]), axis=0)
    border = tuple(float(v) for v in np.broadcast_to(fill, page.shape[2:] or (1,)))
    image = cv2.warpAffine(page, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_CONSTANT, borderValue=border)
    return PageFrame(image, float(angle), matrix)
