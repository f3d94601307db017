"""Grow a value box along its line while the line's ink goes on.

The detector's subject (`title_value`) boxes are often short: on 100 held-out pages a quarter of
them ended more than 0.3 box heights before the subject's first or last letter, and a letter cut
off is a subject read wrong. A subject is one run of words on its own line, so its true extent is
where the ink of that line stops: walking outwards from each side of the box, a gap of blank
columns wider than `max_gap` box heights ends the run. Growth to the right (towards the label in
right-to-left text) stops before any other box on the line, so the label `موضوع:` stays out; a
box the detector let overlap the label is cut back to the label's edge.

Example:
    >>> page = np.full((60, 400), 255, np.uint8)
    >>> page[20:40, 40:360] = 0                      # one long run of ink
    >>> extend_along_line(page, (150, 18, 250, 42))  # a box over its middle only
    (40.0, 18, 360.0, 42)
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from detectors.types import iou
from pipeline.pairing import TWIN_IOU
from recognizers.images import as_grey

Box = tuple[float, float, float, float]


def dark_pixels(region: np.ndarray, inside: np.ndarray) -> np.ndarray | None:
    """Which pixels of `region` are ink: darker than halfway between its paper (90th percentile)
    and the darkest tenth of `inside`, a patch known to hold text; None when either is smaller
    than 2x2 or there is no contrast (under 30 grey levels) to tell ink from paper."""
    if min(region.shape[:2]) < 2 or min(inside.shape[:2]) < 2:
        return None
    region, inside = as_grey(region).astype(np.float32), as_grey(inside)  # only the pixels read
    paper, ink = np.percentile(region, 90), np.percentile(inside, 10)
    if paper - ink < 30:
        return None
    return region < (paper + ink) / 2


def ink_marks(
    page: np.ndarray, region: tuple[int, int, int, int], ink_from: tuple[int, int], min_px: float
) -> tuple[dict[int, Box], np.ndarray, np.ndarray] | None:
    """The ink marks (8-connected components) of `region` (x0, y0, x1, y1 in page pixels), ink
    told by `dark_pixels` against columns `ink_from` (x0, x1) of the same rows; marks under
    `min_px` both ways are specks and left out. Returns each mark's page box by its component
    id, the region's component-id map and the components' stats (cv2's x, y, w, h, area); None
    for a region under 2x2 pixels or without contrast.

    Example:
        >>> page = np.full((40, 100), 255, np.uint8)
        >>> page[10:30, 20:40] = 0; page[10:11, 60:61] = 0   # a mark and a speck
        >>> boxes, _, _ = ink_marks(page, (0, 5, 100, 35), (20, 40), min_px=2)
        >>> [tuple(int(v) for v in b) for b in boxes.values()]
        [(20, 10, 40, 30)]
    """
    lo, top, hi, bottom = region
    if hi - lo < 2 or bottom - top < 2:
        return None
    dark = dark_pixels(page[top:bottom, lo:hi], page[top:bottom, ink_from[0]:ink_from[1]])
    if dark is None:
        return None
    count, ids, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    boxes = {k: (lo + stats[k, 0], top + stats[k, 1], lo + stats[k, 0] + stats[k, 2],
                 top + stats[k, 1] + stats[k, 3])
             for k in range(1, count) if max(stats[k, 2], stats[k, 3]) >= min_px}
    return boxes, ids, stats


def ink_columns(
    page: np.ndarray, box: Box, reach: float, ink_from: Box | None = None
) -> tuple[np.ndarray, int]:
    """Which columns of the box's band (its rows, `reach` box heights either side of it) hold ink.

    Returns the boolean column profile and the page column of its first entry. Ink is told by
    `dark_pixels` against `ink_from` (default: the box itself), a box known to hold text.
    """
    x0, y0, x1, y1 = (round(v) for v in box)
    ix0, _, ix1, _ = (round(v) for v in (ink_from or box))
    h = max(1, y1 - y0)
    inset = max(1, round(0.15 * h))  # skip the band's top and bottom: other lines' tails
    rows = slice(max(0, y0 + inset), max(y0 + inset + 1, y1 - inset))
    left, right = max(0, x0 - int(reach * h)), min(page.shape[1], x1 + int(reach * h))
    dark = dark_pixels(page[rows, left:right], page[rows, max(0, ix0):max(ix0 + 1, ix1)])
    if dark is None:  # nothing to follow
        return np.zeros(max(0, right - left), bool), left
    return dark.sum(axis=0) >= 2, left


def fit_rows(page: np.ndarray, box: Box, ink_from: Box, slack: float = 0.6) -> Box:
    """`box` grown up and down to the ink of its line: from the box's rows, every adjoining row
    (up to `slack` box heights out) that holds ink joins; the first blank row stops it.

    Example:
        >>> page = np.full((80, 300), 255, np.uint8)
        >>> page[18:52, 40:200] = 0; page[24:44, 220:280] = 0   # tall value, short label
        >>> fit_rows(page, (40, 24, 200, 44), ink_from=(220, 24, 280, 44))
        (40, 18.0, 200, 52.0)
    """
    x0, y0, x1, y1 = box
    h = max(1.0, y1 - y0)
    top, bottom = max(0, int(y0 - slack * h)), min(page.shape[0], int(np.ceil(y1 + slack * h)))
    ix0, iy0, ix1, iy1 = (round(v) for v in ink_from)
    dark = dark_pixels(page[top:bottom, max(0, int(x0)):max(int(x0) + 1, int(x1))],
                       page[max(0, iy0):max(iy0 + 1, iy1), max(0, ix0):max(ix0 + 1, ix1)])
    if dark is None:
        return box
    inked = dark.sum(axis=1) >= 2
    first, last = int(y0) - top, int(np.ceil(y1)) - 1 - top
    while first > 0 and inked[first - 1]:
        first -= 1
    while last < len(inked) - 1 and inked[last + 1]:
        last += 1
    return (x0, float(min(y0, top + first)), x1, float(max(y1, top + last + 1)))


def extend_along_line(
    page: np.ndarray,
    box: Box,
    others: Sequence[Box] = (),
    max_gap: float = 1.0,
    reach: float = 12.0,
    ink_from: Box | None = None,
) -> Box:
    """`box` widened to the ink run of its line (see the module docstring).

    Args:
        page: grey or RGB uint8.
        box: x0, y0, x1, y1 in page pixels.
        others: the other boxes on the page; growth stops before any that share the line.
        max_gap: blank columns (in box heights) that end the run.
        reach: at most this many box heights of growth on each side.
        ink_from: a box on the line known to hold text, to learn the ink's darkness from
            (default: `box`).
    """
    x0, y0, x1, y1 = box
    h = max(1.0, y1 - y0)
    columns, offset = ink_columns(page, box, reach, ink_from)
    if not columns.any():
        return box
    limit_left, limit_right = offset, offset + len(columns)
    for other in others:
        ox0, oy0, ox1, oy1 = other
        if min(oy1, y1) - max(oy0, y0) <= 0.5 * min(h, oy1 - oy0):
            continue  # not on this line
        if iou(box, other) >= TWIN_IOU:
            continue  # the same words found twice
        # a box on the line bounds the run on its side, even one the detector let overlap `box`
        if ox0 + ox1 >= x0 + x1:
            limit_right = min(limit_right, int(ox0))
        else:
            limit_left = max(limit_left, int(np.ceil(ox1)))
    gap = max(2, int(max_gap * h))

    def walk(start: int, step: int) -> int:
        """The last ink column reached from `start` (step -1: leftwards) before a wide gap."""
        last, blank, x = start, 0, start
        while limit_left <= x + step < limit_right:
            x += step
            if columns[x - offset]:
                last, blank = x, 0
            else:
                blank += 1
                if blank > gap:
                    break
        return last

    new_x0 = walk(max(int(x0), limit_left), -1)
    new_x1 = walk(min(int(np.ceil(x1)), limit_right) - 1, 1) + 1
    grown_x0, grown_x1 = max(min(x0, new_x0), limit_left), min(max(x1, new_x1), limit_right)
    if grown_x1 - grown_x0 < 0.5 * (x1 - x0):
        return box  # the bounds would leave less than half the box: trust the detector
    return (float(grown_x0), y0, float(grown_x1), y1)


def value_beside_label(
    page: np.ndarray,
    label: Box,
    others: Sequence[Box] = (),
    max_lead: float = 6.0,
    max_gap: float = 1.0,
    reach: float = 40.0,
    rightwards: bool = False,
) -> Box | None:
    """The ink run beside a label whose value the detector did not find, or None.

    In right-to-left text a header value follows its label to the left: the first ink within
    `max_lead` label heights left of the label starts the run, which then grows like
    `extend_along_line`, at most `reach` label heights (a subject line is long), and is then
    fitted to the line's ink rows (its letters may be taller than the label's: `fit_rows`) and
    grown once more in those rows.
    Boxes in `others` on the line bound it. `rightwards` looks right of the label instead, for
    the forms that print their values there (`values_right_of_labels` tells them).

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 300:380] = 0; page[20:40, 150:260] = 0   # label, then its value
        >>> value_beside_label(page, (298, 18, 382, 42))
        (150.0, 18.0, 260.0, 42.0)
    """
    x0, y0, x1, y1 = label
    h = max(1.0, y1 - y0)
    lead = int(max_lead * h)
    if rightwards:
        search = (x1, y0, min(float(page.shape[1]), x1 + lead), y1)
    else:
        search = (max(0.0, x0 - lead), y0, x0, y1)
    past = past_label_marks(page, label, search, rightwards)
    search = (past, y0, search[2], y1) if rightwards else (search[0], y0, past, y1)
    if search[2] - search[0] < 2:
        return None
    bound = (x0, y0, past, y1) if rightwards else (past, y0, x1, y1)  # the label with its marks
    columns, offset = ink_columns(page, search, 0.0, ink_from=label)
    if not columns.any():
        return None
    ink = np.flatnonzero(columns)
    start = offset + int(ink[0] if rightwards else ink[-1])  # the ink nearest the label
    seed = (float(start), y0, float(start + 1), y1)
    grown = extend_along_line(page, seed, [*others, bound], max_gap=max_gap, reach=reach, ink_from=label)
    if grown[2] - grown[0] < 0.5 * h:
        return None
    fitted = fit_rows(page, grown, ink_from=label)
    # grown again in the line's own rows and ink: a label box set lower or higher than the line
    # saw only the tails of its letters, with gaps between them (bench200 p000136)
    scale = h / max(1.0, fitted[3] - fitted[1])  # the same gap and reach in pixels
    return extend_along_line(page, fitted, [*others, bound], max_gap=max_gap * scale, reach=reach * scale)


def colon_pair(a: Box, b: Box, h: float, max_side: float = 0.4) -> bool:
    """Whether marks `a` and `b` can be the two dots of one colon on a line `h` high: each under
    `max_side` line heights both ways, of a size (the larger's longer side at most 1.6 times the
    smaller's, plus a pixel), one above the other with a gap of at least 0.3 of the smaller's
    side, and centred on each other (within 0.35 of the larger's side, plus a pixel). A ب over
    its own dot, or over the ر that touches it below (test p000092), and the pieces of a faded
    label's letters (bench200 p000171) are no colon.

    Example:
        >>> colon_pair((10, 4, 14, 8), (10, 14, 14, 18), 20)
        True
        >>> colon_pair((9, 0, 25, 13), (0, 14, 13, 23), 41)  # بر in two pieces
        False
    """
    def side(m: Box) -> float:
        return max(m[2] - m[0], m[3] - m[1])

    small, large = sorted((side(a), side(b)))
    gap = b[1] - a[3] if b[1] >= a[3] else a[1] - b[3]
    offset = abs((a[0] + a[2]) - (b[0] + b[2])) / 2
    return (large < max_side * h and large <= 1.6 * small + 1 and gap >= 0.3 * small
            and offset <= 0.35 * large + 1)


def colon_dot(mark: Box, marks: Sequence[Box], h: float) -> bool:
    """Whether `mark` is a dot of a colon: another of `marks` makes a `colon_pair` with it (val2
    p000125: a ۴ cut by a box's edge over a leader's dot is no colon; both marks must be small).

    Example:
        >>> dots = [(10, 4, 14, 8), (10, 14, 14, 18)]
        >>> colon_dot(dots[0], dots, 20), colon_dot(dots[0], [dots[0], (8, 14, 22, 30)], 20)
        (True, False)
    """
    return any(m is not mark and colon_pair(mark, m, h) for m in marks)


def label_beside_value(
    page: np.ndarray,
    value: Box,
    others: Sequence[Box] = (),
    max_lead: float = 3.0,
    max_gap: float = 0.4,
    reach: float = 5.0,
    rightwards: bool = False,
) -> Box | None:
    """The ink run where a value's label would be, or None: right of the value in right-to-left
    text (left of it when `rightwards`, a form printing values right of their labels), the first
    ink within `max_lead` value heights, grown over gaps under `max_gap` heights (a keyword's
    letters stand close), at most `reach` heights. `value_beside_label` seen from the other side.

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 100:200] = 0; page[20:40, 230:290] = 0   # a value, then its label
        >>> label_beside_value(page, (100, 20, 200, 40))
        (230.0, 20.0, 290.0, 40.0)
    """
    return value_beside_label(page, value, others, max_lead=max_lead, max_gap=max_gap, reach=reach,
                              rightwards=not rightwards)


def past_label_marks(
    page: np.ndarray, label: Box, search: Box, rightwards: bool = False,
    max_gap: float = 1.0, min_size: float = 0.08,
) -> float:
    """Where the search for a label's value starts: past the label's own ink drawn beyond its
    box (a final letter's tail) and past its colon (two marks one above the other), so that
    neither starts the value (val2 p000033: `پیوست`'s ت tail read `یه`; p000123: `موضوع:`'s
    colon read `1`). Returns the page column on the value's side of those marks, or the label's
    edge when there are none. Marks under `min_size` label heights both ways are specks.

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 240:300] = 0; page[30:38, 234:240] = 0   # the label, its tail past the box
        >>> page[22:26, 226:230] = 0; page[34:38, 226:230] = 0   # its colon
        >>> page[20:40, 100:200] = 0                              # the value
        >>> past_label_marks(page, (240, 20, 300, 40), (0, 20, 240, 40))
        226.0
    """
    x0, y0, x1, y1 = label
    h = max(1.0, y1 - y0)
    edge = x1 if rightwards else x0
    lo, hi = max(0, int(search[0])), min(page.shape[1], int(np.ceil(search[2])))
    top, bottom = max(0, int(y0)), min(page.shape[0], int(np.ceil(y1)))
    found = ink_marks(page, (lo, top, hi, bottom), (max(0, int(x0)), max(int(x0) + 1, int(x1))),
                      max(2.0, min_size * h))
    if found is None:
        return float(edge)
    marks = list(found[0].values())
    nearest_first = sorted(marks, key=(lambda m: m[0]) if rightwards else (lambda m: -m[2]))
    for mark in nearest_first:
        ahead = mark[0] - edge if rightwards else edge - mark[2]
        if ahead > max_gap * h:
            break
        touching = (mark[0] <= lo if rightwards else mark[2] >= hi) and mark[2] - mark[0] < 0.6 * h
        if not (touching or colon_dot(mark, marks, h)):
            break
        edge = max(edge, mark[2]) if rightwards else min(edge, mark[0])
    return float(edge)


def label_cut_at_colon(
    page: np.ndarray, label: Box, value: Box, near: float = 1.5, min_size: float = 0.08
) -> Box:
    """`label` cut back to its colon when its box reaches past the colon over ink on the value's
    side: the value's nearest glyph taken into the label's box (val3 p000294: the box of
    `تاریخ:` held the last `۱` of `۱۳۸۳/۰۷/۰۱`). A colon is two dots (under 0.25 label heights,
    about as wide as tall, of like size) one above the other and alone in their columns, within
    `near` label heights of the box's edge facing the value, with the label's word beyond it and
    under a label height of ink before it, a glyph at least half a label height tall among it
    (stricter than `colon_dot`: inside a label's box the dots of its own letters stand near).

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 100:200] = 0                               # the value
        >>> page[20:40, 214:217] = 0                               # its last glyph, a ۱
        >>> page[22:26, 224:228] = 0; page[34:38, 224:228] = 0    # the colon
        >>> page[20:40, 232:300] = 0                               # the label word
        >>> label_cut_at_colon(page, (210, 20, 300, 40), (100, 20, 200, 40))
        (224.0, 20, 300, 40)
    """
    x0, y0, x1, y1 = label
    h = max(1.0, y1 - y0)
    right_of_value = x0 + x1 >= value[0] + value[2]
    if right_of_value:
        lo, hi = int(x0), int(min(x1, x0 + near * h))
    else:
        lo, hi = int(max(x0, x1 - near * h)), int(x1)
    top, bottom = max(0, int(y0)), min(page.shape[0], int(np.ceil(y1)))
    lo, hi = max(0, lo), min(page.shape[1], hi)
    found = ink_marks(page, (lo, top, hi, bottom), (max(0, int(x0)), max(int(x0) + 1, int(x1))),
                      max(2.0, min_size * h))
    if found is None:
        return label
    box_of, ids, stats = found
    marks = list(box_of.values())
    # a colon's dots: small, about as wide as tall (not a thin piece of a letter's stroke)
    small = [k for k in box_of if max(stats[k, 2], stats[k, 3]) < 0.25 * h
             and max(stats[k, 2], stats[k, 3]) <= 2.5 * min(stats[k, 2], stats[k, 3])]

    def alone(a: int, b: int) -> bool:
        """Whether marks a and b are the only ink in their columns: a colon, not the dots of two
        letters with the letters' bodies between them (val2 p000108: ت's dots over ی's)."""
        c0, c1 = min(box_of[a][0], box_of[b][0]) - lo, max(box_of[a][2], box_of[b][2]) - lo
        return all(k not in box_of for k in set(np.unique(ids[:, c0:c1])) - {0, a, b})  # specks aside

    def stacked(a: int, b: int) -> bool:
        """a over b, the two a `colon_pair`, neither more than 4 times the other's ink."""
        similar = max(stats[a, 4], stats[b, 4]) <= 4 * min(stats[a, 4], stats[b, 4])
        return box_of[a][3] <= box_of[b][1] and colon_pair(box_of[a], box_of[b], h, 0.25) and similar

    colons = [(min(box_of[a][0], box_of[b][0]), max(box_of[a][2], box_of[b][2]))
              for a in small for b in small if stacked(a, b) and alone(a, b)]
    if not colons:
        return label
    # the colon nearest the value, the label's word beyond it, and before it, between the box's
    # edge and the colon, a glyph or two (under 1 label height) that are the value's
    # ... and a glyph half a label height tall among them, not only fragments (bench200 p000171:
    # the pieces of a faded `تاریخ` made a colon and the marks before it)
    if right_of_value:
        c0, c1 = min(colons)
        before = [m for m in marks if m[2] <= c0]
        if (before and c0 - min(m[0] for m in before) < h and any(m[0] >= c1 for m in marks)
                and any(m[3] - m[1] >= 0.5 * h for m in before)):
            return (float(c0), y0, x1, y1)
    else:
        c0, c1 = max(colons, key=lambda c: c[1])
        before = [m for m in marks if m[0] >= c1]
        if (before and max(m[2] for m in before) - c1 < h and any(m[2] <= c0 for m in marks)
                and any(m[3] - m[1] >= 0.5 * h for m in before)):
            return (x0, y0, float(c1), y1)
    return label


def reach_label(
    page: np.ndarray,
    box: Box,
    label: Box,
    max_gap: float = 0.35,
    reach: float = 3.0,
    min_size: float = 0.08,
) -> Box:
    """`box` grown towards its label over the glyphs the detector cut off at that end.

    The detector's number boxes often stop one glyph short on the label's side, and the glyph
    lost there is most often a trailing Persian zero `۰`, a lone dot (`۷۴۹۰` read `۷۴۹`). Walking
    from the box's edge towards the label, each ink component of the box's rows that starts
    within `max_gap` box heights of the edge joins, until a wider gap, the label, ink that runs on
    into the label's box (the label's own letter drawn past its box), a colon (two marks one
    above the other) or a baseline dot (a leader line under the value: its centre in the bottom
    fifth of the box, or of the ink rows of the marks the box holds near that end) ends the
    walk. Marks under `min_size` box heights both ways are specks, not ink. A label box that
    reached past its colon over the value's glyph is cut back to the colon first
    (`label_cut_at_colon`), and the glyphs before the colon join across gaps up to 1 box height.

    Example:
        >>> page = np.full((60, 400), 255, np.uint8)
        >>> page[20:40, 100:200] = 0; page[27:32, 204:209] = 0    # digits, then a zero
        >>> page[22:26, 230:234] = 0; page[34:38, 230:234] = 0    # the label's colon
        >>> page[20:40, 240:300] = 0                              # the label
        >>> reach_label(page, (100, 20, 201, 40), label=(228, 20, 300, 40))
        (100, 20, 209.0, 40)
    """
    x0, y0, x1, y1 = box
    h = max(1.0, y1 - y0)
    cut = label_cut_at_colon(page, label, box)
    if cut != label:  # between the value and a colon inside the label's box: the value's glyphs
        label, max_gap = cut, max(max_gap, 1.0)
    rightwards = label[0] + label[2] >= x0 + x1
    if rightwards:
        lo, hi = int(x1 - h), int(min(label[0], x1 + reach * h))
        at_label = label[0] <= x1 + reach * h
    else:
        lo, hi = int(max(label[2], x0 - reach * h)), int(np.ceil(x0 + h))
        at_label = label[2] >= x0 - reach * h
    top, bottom = max(0, int(y0)), min(page.shape[0], int(np.ceil(y1)))
    lo, hi = max(0, lo), min(page.shape[1], hi)
    found = ink_marks(page, (lo, top, hi, bottom), (max(0, int(x0)), max(int(x0) + 1, int(x1))),
                      max(2.0, min_size * h))
    if found is None:
        return box
    marks = list(found[0].values())
    # walk outwards: rightwards by left edge, leftwards (mirrored) by right edge
    key = (lambda m: m[0]) if rightwards else (lambda m: -m[2])
    edge = x1 if rightwards else x0
    # the line's ink rows, from the marks inside the box: a leader's dots sit on the line's
    # baseline, a Persian zero halfway up (val2 p000055: a loose box's bottom fifth missed them)
    held = [m for m in marks if (m[2] <= edge if rightwards else m[0] >= edge)]
    ink_top = min((m[1] for m in held), default=y0)
    ink_bottom = max((m[3] for m in held), default=y1)
    for mark in sorted(marks, key=key):
        inside = mark[2] <= edge if rightwards else mark[0] >= edge
        if inside:
            continue
        ahead = mark[0] - edge if rightwards else edge - mark[2]  # the gap before the mark
        if ahead > max_gap * h:
            break
        centre = (mark[1] + mark[3]) / 2
        on_baseline = centre > y1 - 0.2 * h or centre > ink_bottom - 0.2 * (ink_bottom - ink_top)
        if colon_dot(mark, marks, h) or on_baseline:
            break  # a colon, or a leader line's dot
        if (mark[2] >= hi if rightwards else mark[0] <= lo) and at_label:
            break  # ink running on into the label's box: the label's own glyph, drawn past its box
        edge = max(edge, mark[2]) if rightwards else min(edge, mark[0])
    if rightwards:
        return box if edge <= x1 else (x0, y0, float(edge), y1)
    return box if edge >= x0 else (float(edge), y0, x1, y1)
