"""`DocumentPredictor`: pages in, per page its header fields read, checked and fused.

Composes the field detector, the CRNN reader and the glyph digit reader (docTR-style); every stage
is timed. The letter is cut out of a scan that holds more (`pipeline.margins`) and turned level when
crooked (`pipeline.deskew`); pages whose fields are not found upright are tried turned by 180, 90
and 270 degrees.

Example:
    >>> predictor = DocumentPredictor(FieldDetector.load(...), TextReader.load(...),
    ...                               DigitReader(GlyphClassifier.load(...)))   # doctest: +SKIP
    >>> predictor([page])[0].fields["date"].text                              # doctest: +SKIP
    '1402/05/12'
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from detectors.predictor import FieldDetector
from detectors.types import Detection, iou
from pipeline.deskew import PageFrame, ink_angle, level_page, shrunk_grey, text_ink
from pipeline.fusion import FUSIONS, NUMERIC, fuse
from pipeline.labels import KEYWORD_FIELDS, check_labels, labels_beside_lone_values
from pipeline.margins import sketch_region
from pipeline.pairing import (
    holds_its_label,
    merge_twins,
    nearest_label,
    pair_candidates,
    unpaired_labels,
    values_right_of_labels,
)
from pipeline.refine import extend_along_line, reach_label, value_beside_label
from pipeline.script import arabic_digit_pages, in_arabic_order
from pipeline.types import FIELDS, FieldResult
from recognizers.glyphs.digits import DigitReader
from recognizers.reader.predictor import TextReader

GROWN = "grown along line"  # a detector box widened to its line's ink
REACHED = "grown to label"  # a detector box grown over the glyphs it cut off on its label's side
BESIDE = "beside label"  # a value box found from its label's position, not by the detector
SECOND = ", second choice"  # appended to where a box came from when the field's first box failed
ROTATIONS = (2, 1, 3)  # quarter turns counter-clockwise tried, in order, for a page with no fields
BODY_TEXT_FIELDS = ("title",)  # set as body text, right to left, on every form
HEADER_FIELDS = ("number", "date")  # what every letter's header has: none found, look again
# what a value box with no label on its line needs (val300: recipient lines at 0.53 and 0.60
# taken for subjects, a tracking code at 0.52 for the number)
LONE_MIN_CONFIDENCE = {"number": 0.55, "date": 0.5, "attachment": 0.5, "title": 0.65}
FILL_OVERLAP = 0.3  # a box from the second look that overlaps one of the first this much is a twin


@dataclass
class PipelineSettings:
    """How the predictor reads (`conf/nameh.yaml`)."""

    fusion: str = "fused"
    crop_margin: float = 0.1  # value crops grow by this × box height on each side
    orient: bool = True  # try turned pages when no field is found upright
    crop_letter: bool = True  # dark scan borders cut off, a small letter cut out of a large scan
    # a page whose text lines slope by at least `deskew_min_angle` degrees (and at most
    # `deskew_max_angle`) is turned level before detection; None: never
    deskew_min_angle: float | None = 2.0
    deskew_max_angle: float = 10.0
    min_confidence: float = 0.5  # a page with fewer than 2 value boxes this sure is tried turned
    extend: tuple[str, ...] = ("title",)  # value boxes grown along their line's ink (pipeline.refine)
    # the blank gap, in box heights, that ends a field's run (a subject's words are far apart; a
    # number's colon is near); fields not named here stop at 1 box height
    extend_gap: dict[str, float] = field(default_factory=dict)
    # value boxes grown towards their label over cut-off glyphs, a trailing zero most often
    reach_label: tuple[str, ...] = ("number", "date", "attachment")
    # extra crop margins a field's value is also read at; the surest reading of the views wins
    reread: dict[str, tuple[float, ...]] = field(default_factory=dict)
    beside_label: tuple[str, ...] = ("number", "date", "attachment", "title")  # searched beside a lone label
    beside_min_confidence: float = 0.5  # what a value found beside its label must read with
    beside_confirm: bool = True  # ... and only beside a label the glyph classifier reads as its keyword
    # what a value box with no label on its line needs, per field (pairing)
    lone_min_confidence: dict[str, float] = field(default_factory=lambda: dict(LONE_MIN_CONFIDENCE))
    check_labels: bool = True  # label boxes checked by the glyph classifier's keywords (labels.py)
    label_min_confidence: float = 0.9  # ... which renames or drops a label only when this sure
    # ... and which looks beside a value box less sure than its lone floor with no label on its
    # line for its field's keyword, when the box is at least this sure; None: never
    lone_keyword_min: float | None = 0.25
    second_choice: bool = True  # a field whose first value box fails its check reads its next one
    # a page with neither a number nor a date value box is detected again at this input size
    # (small print on a wide scan); None: never
    retry_imgsz: int | None = 1024
    # fields whose missing value box also sends the page to that second look; what it finds of
    # them is added where the first look found nothing, when the glyph classifier reads the
    # label found with it as the field's keyword
    fill_fields: tuple[str, ...] = ("title",)

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}; choose one of {FUSIONS}")
        for name in ("extend", "beside_label", "reach_label", "reread", "fill_fields", "lone_min_confidence"):
            unknown = set(getattr(self, name)) - set(FIELDS)
            if unknown:
                raise ValueError(f"{name}: unknown fields {sorted(unknown)}; choose from {FIELDS}")


@dataclass
class PageReading:
    """A page's fields, every detection (as dicts, boxes on the page as loaded), its rotation
    (quarter turns, degrees), the degrees it was turned to level its text (`skew`) and the part
    of the scan that was read as the letter (`region`, None: all of it)."""

    fields: dict[str, FieldResult]
    detections: list[dict]
    rotation: int
    skew: float = 0.0
    region: tuple[int, int, int, int] | None = None  # the letter cut out of a larger scan


@dataclass
class Located:
    """Pages as `DocumentPredictor.locate` leaves them for reading, per page: its frame (None:
    taken as loaded), the page the detector saw upright (`level`) before any quarter turns, the page
    turned upright, the detections, the detections after the label check and its notes, the
    quarter turns, and the labels the check found that the detector missed."""

    frames: list[PageFrame | None]
    level: list[np.ndarray]
    upright: list[np.ndarray]
    detections: list[list[Detection]]
    checked: list[list[Detection]]
    turns: list[int]
    notes: list[dict[int, str]]
    added: list[list[Detection]]  # labels the detector missed, found by the label check


def unrotate_box(box: tuple[float, ...], quarter_turns: int, width: int, height: int) -> tuple[float, ...]:
    """A box found on `np.rot90(page, quarter_turns)` in the coordinates of `page` (width × height).

    Example:
        >>> unrotate_box((10, 20, 30, 40), 2, 100, 200)
        (70, 160, 90, 180)
    """
    x0, y0, x1, y1 = box
    k = quarter_turns % 4
    if k == 0:
        return (x0, y0, x1, y1)
    if k == 1:  # rotated (x', y') came from (W - y', x')
        return (width - y1, x0, width - y0, x1)
    if k == 2:
        return (width - x1, height - y1, width - x0, height - y0)
    return (y0, height - x1, y1, height - x0)  # k == 3: from (y', H - x')


def as_loaded(
    box: tuple[float, ...], page: np.ndarray, quarter_turns: int, frame: PageFrame | None,
    loaded: tuple[int, ...],
) -> tuple[float, ...]:
    """A box found on `page` turned by `quarter_turns`, on the page as loaded (of shape
    `loaded`), before `page` was cut out of it and levelled (`frame`; None: `page` is the page as
    loaded), kept within it (a box in a levelled page's grown corner) and rounded to 0.1 px.

    Example:
        >>> as_loaded((10, 20, 30, 40), np.zeros((200, 100)), 2, None, (200, 100))
        (70, 160, 90, 180)
    """
    h, w = page.shape[:2]
    box = unrotate_box(box, quarter_turns, w, h)
    if frame is not None:
        xs, ys = np.clip(frame.to_original(box), 0, [loaded[1], loaded[0]] * 2).reshape(2, 2).T
        box = (float(xs[0]), float(ys[0]), float(xs[1]), float(ys[1]))
    return tuple(round(v, 1) for v in box)


class DocumentPredictor:
    """Detector + CRNN reader + glyph digit reader -> fields per page."""

    def __init__(
        self,
        detector: FieldDetector,
        reader: TextReader,
        digits: DigitReader | None,
        settings: PipelineSettings | None = None,
    ) -> None:
        self.detector, self.reader, self.digits = detector, reader, digits
        self.settings = settings or PipelineSettings()
        if self.settings.fusion != "crnn_only" and digits is None:
            raise ValueError(f"fusion={self.settings.fusion} needs the glyph digit reader")
        self.times: dict[str, float] = defaultdict(float)

    def _found(self, detections: list[Detection]) -> bool:
        """Two confident value boxes: one stray box on a turned page is not a header."""
        return (
            sum(d.part == "value" and d.confidence >= self.settings.min_confidence for d in detections) >= 2
        )

    @staticmethod
    def _score(detections: list[Detection]) -> float:
        return sum(d.confidence for d in detections if d.part == "value")

    def frame(self, pages: Sequence[np.ndarray]) -> list[PageFrame | None]:
        """What the detector is to see of each page: the letter cut out of a scan that holds more
        (`crop_letter`, `pipeline.margins`), turned level when its text slopes by
        `deskew_min_angle` degrees or more (`pipeline.deskew`); None for a page taken as it is.
        Both measure one shrunk grey copy of the page and its text ink."""
        start = time.perf_counter()
        out: list[PageFrame | None] = []
        for page in pages:
            if not self.settings.crop_letter and self.settings.deskew_min_angle is None:
                out.append(None)
                continue
            grey, step = shrunk_grey(page)
            ink = text_ink(grey)
            region = sketch_region(grey, ink, step, page.shape[:2]) if self.settings.crop_letter else None
            part, part_ink = page, ink
            if region is not None:
                x0, y0, x1, y1 = region
                part, part_ink = page[y0:y1, x0:x1], ink[y0 // step:y1 // step, x0 // step:x1 // step]
            angle = 0.0
            if self.settings.deskew_min_angle is not None:
                angle = ink_angle(part_ink, self.settings.deskew_max_angle)
                angle = angle if abs(angle) >= self.settings.deskew_min_angle else 0.0
            frame = level_page(part, angle) if angle or region is not None else None
            out.append(frame if region is None or frame is None else frame.within(region))
        self.times["frame"] += time.perf_counter() - start
        return out

    def detect(
        self, pages: Sequence[np.ndarray]
    ) -> tuple[list[np.ndarray], list[list[Detection]], list[int]]:
        """Detections per page; pages with none upright are turned and tried again."""
        start = time.perf_counter()
        upright = list(pages)
        detections = self.detector(upright)
        turns = [0] * len(upright)
        if self.settings.orient:
            for i, page in enumerate(pages):
                if self._found(detections[i]):
                    continue
                tries = [np.ascontiguousarray(np.rot90(page, k)) for k in ROTATIONS]
                results = self.detector(tries)
                best = int(np.argmax([self._score(r) for r in results]))
                if self._score(results[best]) > self._score(detections[i]):
                    upright[i], detections[i], turns[i] = tries[best], results[best], ROTATIONS[best]
        if self.settings.retry_imgsz:
            larger = self._retry_larger(upright, detections)
            if self.settings.fill_fields and self.digits is not None:  # labels need the classifier
                self._fill_missing(upright, detections, larger)
        self.times["detect"] += time.perf_counter() - start
        return upright, detections, turns

    def _retry_larger(
        self, pages: list[np.ndarray], detections: list[list[Detection]]
    ) -> dict[int, list[Detection]]:
        """Pages with no number or date value box detected again at `retry_imgsz`; the run that
        finds more value confidence is kept (val300 p000113: 8 px labels beside large values).
        Returns the larger runs by page index."""
        missing = [i for i, dets in enumerate(detections)
                   if not any(d.field in HEADER_FIELDS and d.part == "value" for d in dets)]
        again = self.detector([pages[i] for i in missing], imgsz=self.settings.retry_imgsz) if missing else []
        for i, dets in zip(missing, again, strict=True):
            if self._score(dets) > self._score(detections[i]):
                detections[i] = dets
        return dict(zip(missing, again, strict=True))

    def _fill_missing(
        self, pages: list[np.ndarray], detections: list[list[Detection]], larger: dict[int, list[Detection]]
    ) -> None:
        """Pages lacking a value box of a `fill_fields` field detected again at `retry_imgsz`;
        that look's boxes of each field the first look lacks are added, unless they overlap a box
        already there, when the glyph classifier reads a label among them as the field's keyword
        (bench200 p000110: a faint subject line found at 1024 px, not at 800; without the check,
        val300 p000218's recipient line came in as a subject). `larger`: pages already detected
        at that size (`_retry_larger`), not detected again."""
        wanted = set(self.settings.fill_fields)
        lacking = [{f for f in wanted if not any(d.field == f and d.part == "value" for d in dets)}
                   for dets in detections]
        todo = [i for i, fields in enumerate(lacking) if fields]
        if not todo:
            return
        fresh = [i for i in todo if i not in larger]
        runs = self.detector([pages[i] for i in fresh], imgsz=self.settings.retry_imgsz) if fresh else []
        larger = {**larger, **dict(zip(fresh, runs, strict=True))}
        again = [larger[i] for i in todo]
        found = [[d for d in dets if d.field in lacking[i]
                  and all(iou(d.box, k.box) < FILL_OVERLAP for k in detections[i])]
                 for i, dets in zip(todo, again, strict=True)]
        jobs = [(n, d) for n, dets in enumerate(found) for d in dets if d.part == "label"]
        read = self._read_as_keyword([(pages[todo[n]], d) for n, d in jobs])
        confirmed = {(n, d.field) for (n, d), ok in zip(jobs, read, strict=True) if ok}
        for n, (i, dets) in enumerate(zip(todo, found, strict=True)):
            detections[i] = detections[i] + [d for d in dets if (n, d.field) in confirmed]

    def check(
        self, pages: list[np.ndarray], detections: list[list[Detection]]
    ) -> tuple[list[list[Detection]], list[dict[int, str]], list[list[Detection]]]:
        """Label boxes checked by the glyph classifier (`pipeline.labels`), when it is loaded, and
        labels it finds beside lone values (`lone_keyword_min`). Returns per page the checked
        detections, notes by index into the page's detections followed by its added labels, and
        the added labels."""
        added: list[list[Detection]] = [[] for _ in detections]
        if not self.settings.check_labels or self.digits is None:
            return detections, [{} for _ in detections], added
        start = time.perf_counter()
        checked, notes = check_labels(pages, detections, self.digits.classifier,
                                      self.settings.label_min_confidence)
        if self.settings.lone_keyword_min is not None:
            found = labels_beside_lone_values(
                pages, checked, self.digits.classifier, self.settings.lone_min_confidence,
                self.settings.lone_keyword_min, self.settings.label_min_confidence)
            for i, labels in enumerate(found):
                added[i] = [label for label, _ in labels]
                for n, (_, sure) in enumerate(labels):
                    why = f"found beside a lone value (glyph classifier {sure:.2f})"
                    notes[i][len(detections[i]) + n] = why
                checked[i] = checked[i] + added[i]
        self.times["check_labels"] += time.perf_counter() - start
        return checked, notes, added

    def _refined(
        self, page: np.ndarray, name: str, det: Detection, labels: list[Detection], dets: list[Detection]
    ) -> tuple[Detection, str]:
        """A paired value box grown as its field is (`reach_label`, `extend`), and its origin."""
        origin = "detector"
        label = nearest_label(det, labels) if name in self.settings.reach_label else None
        if label is not None:
            grown = reach_label(page, det.box, label.box)
            det, origin = replace(det, box=grown), (REACHED if grown != det.box else origin)
        if name in self.settings.extend:
            others = [d.box for d in dets if d is not det]
            gap = self.settings.extend_gap.get(name, 1.0)
            grown = extend_along_line(page, det.box, others, max_gap=gap)
            det, origin = replace(det, box=grown), (GROWN if grown != det.box else origin)
        return det, origin

    def value_boxes(
        self, page: np.ndarray, dets: list[Detection]
    ) -> tuple[list[tuple[str, Detection, str]], dict[str, Detection]]:
        """(field, value box, where the box came from) for each field to read on a page, and
        each paired field's second-best value box as the detector gave it (`second_choice`).

        Paired values first (subject boxes grown along their line, numeric ones grown to their
        label over cut-off glyphs); then, for a field whose label was found without a value, the
        ink run left of the label (`pipeline.refine`).
        """
        candidates = pair_candidates(dets, self.settings.lone_min_confidence)
        paired = {name: boxes[0] for name, boxes in candidates.items()}
        runners_up = {name: boxes[1] for name, boxes in candidates.items() if len(boxes) > 1}
        labels = merge_twins([d for d in dets if d.part == "label"])
        out = [(name, *self._refined(page, name, det, labels, dets)) for name, det in paired.items()]
        rightwards = values_right_of_labels(paired, labels)
        for label in unpaired_labels(dets, paired):
            if label.field not in self.settings.beside_label or not self._keyword_read(page, label):
                continue
            others = [d.box for d in dets if d is not label]
            # the subject line is body text, right to left, whichever side the header's form
            # prints its values on (bench200 p000136)
            box = value_beside_label(page, label.box, others,
                                     rightwards=rightwards and label.field not in BODY_TEXT_FIELDS)
            if box is not None:
                out.append((label.field, Detection(f"{label.field}_value", 0.0, box), BESIDE))
        return out, runners_up

    def _read_as_keyword(self, labels: list[tuple[np.ndarray, Detection]]) -> list[bool]:
        """Per (page, label box): whether the glyph classifier (loaded) reads the box as its
        field's keyword, in one call; a box under 2 px is not read."""
        crops = [label.crop(page, 0.0) for page, label in labels]
        readable = [min(c.shape[:2]) >= 2 for c in crops]
        kept = [c for c, ok in zip(crops, readable, strict=True) if ok]
        predictions = iter(self.digits.classifier(kept) if kept else [])
        return [ok and KEYWORD_FIELDS.get(next(predictions).label) == label.field
                for (_, label), ok in zip(labels, readable, strict=True)]

    def _keyword_read(self, page: np.ndarray, label: Detection) -> bool:
        """Whether a value is looked for beside this lone label: only when the glyph classifier
        reads it as its field's keyword (always, when `beside_confirm` is off or the classifier
        is not loaded; bench200 p000180: a recipient line taken for موضوع, read as پیوست)."""
        if not self.settings.beside_confirm or self.digits is None:
            return True
        return self._read_as_keyword([(page, label)])[0]

    def _read_crops(self, pages: list[np.ndarray], jobs: list[tuple]) -> tuple[list, dict[int, object]]:
        """Both readers on the jobs' crops: (CRNN readings, glyph readings by job index)."""
        start = time.perf_counter()
        crops = [j[3] for j in jobs]
        views = [(k, j[2].crop(pages[j[0]], margin)) for k, j in enumerate(jobs)
                 for margin in self.settings.reread.get(j[1], ())]
        views = [(k, c) for k, c in views if min(c.shape[:2]) >= 2]
        kinds = [j[1] for j in jobs] + [jobs[k][1] for k, _ in views]
        readings = self.reader(crops + [c for _, c in views], kinds=kinds) if jobs else []
        readings, extra = readings[: len(jobs)], readings[len(jobs):]
        for (k, _), reading in zip(views, extra, strict=True):
            if reading.confidence > readings[k].confidence:  # the surer view of the same box
                readings[k] = reading
        self.times["read_crnn"] += time.perf_counter() - start
        start = time.perf_counter()
        numeric = [k for k, j in enumerate(jobs) if j[1] in NUMERIC]
        glyphs: dict[int, object] = {}
        if self.digits is not None and self.settings.fusion != "crnn_only" and numeric:
            glyphs = dict(zip(numeric, self.digits([crops[k] for k in numeric]), strict=True))
        self.times["read_glyphs"] += time.perf_counter() - start
        return readings, glyphs

    def _fused(
        self, job: tuple, crnn, glyph, arabic: set[int], labels: list[Detection]
    ) -> FieldResult | None:
        """A job's fused result with its box, or None for a guess beside a label that is not sure.
        `labels`: the page's label boxes (a value box holding its label loses the label's word)."""
        i, name, det, _, origin = job
        if i in arabic and crnn.script is None:  # no 4/5/6 of its own: the page's script
            crnn, glyph = in_arabic_order(crnn), in_arabic_order(glyph)
        result = fuse(name, crnn, glyph, self.settings.fusion, holds_its_label(det, name, labels))
        sure = result.valid and result.text and result.confidence >= self.settings.beside_min_confidence
        if origin == BESIDE and not sure:
            return None  # a guess beside a label must read as a sure, valid value, or it is dropped
        result.box, result.box_from = tuple(round(v, 1) for v in det.box), origin
        return result

    def value_jobs(
        self, pages: list[np.ndarray], detections: list[list[Detection]]
    ) -> tuple[list[tuple], list[dict[str, Detection]]]:
        """What `read` reads first: (page index, field, value box, crop as the readers get it,
        where the box came from) for each field of each page, and per page each paired field's
        second-best value box (`value_boxes`). `pipeline.harvest` cuts the reader's training
        crops with it, so they are cut as the pipeline cuts them."""
        jobs, spares = [], []
        for i, (page, dets) in enumerate(zip(pages, detections, strict=True)):
            boxes, runners_up = self.value_boxes(page, dets)
            spares.append(runners_up)
            for name, det, origin in boxes:
                crop = det.crop(page, self.settings.crop_margin)
                if min(crop.shape[:2]) >= 2:
                    jobs.append((i, name, det, crop, origin))
        return jobs, spares

    def read(
        self, pages: list[np.ndarray], detections: list[list[Detection]]
    ) -> list[dict[str, FieldResult]]:
        """Crop each page's value boxes, read them with both readers, order the values of pages
        written in Arabic-Indic digits as those read (`pipeline.script`), fuse; a field whose
        value fails its check has its second-best box read the same way (`second_choice`)."""
        start = time.perf_counter()
        jobs, spares = self.value_jobs(pages, detections)
        self.times["read_crnn"] += time.perf_counter() - start
        readings, glyphs = self._read_crops(pages, jobs)
        start = time.perf_counter()
        out: list[dict[str, FieldResult]] = [{} for _ in pages]
        arabic = arabic_digit_pages(readings, [j[0] for j in jobs])
        labels = [merge_twins([d for d in dets if d.part == "label"]) for dets in detections]
        for k, job in enumerate(jobs):
            result = self._fused(job, readings[k], glyphs.get(k), arabic, labels[job[0]])
            if result is not None:
                out[job[0]][job[1]] = result
        retry = []
        if self.settings.second_choice:
            for i, (page, dets) in enumerate(zip(pages, detections, strict=True)):
                failed = [n for n in spares[i] if n not in out[i] or not out[i][n].valid]
                for name in failed:
                    det, origin = self._refined(page, name, spares[i][name], labels[i], dets)
                    crop = det.crop(page, self.settings.crop_margin)
                    if min(crop.shape[:2]) >= 2:
                        retry.append((i, name, det, crop, origin + SECOND))
        self.times["fuse"] += time.perf_counter() - start
        if retry:
            readings, glyphs = self._read_crops(pages, retry)
            start = time.perf_counter()
            for k, job in enumerate(retry):
                result = self._fused(job, readings[k], glyphs.get(k), arabic, labels[job[0]])
                if result is not None and result.valid:
                    out[job[0]][job[1]] = result
            self.times["fuse"] += time.perf_counter() - start
        return out

    def locate(self, pages: Sequence[np.ndarray]) -> Located:
        """Every stage before reading: pages framed (`frame`), detected upright (`detect`),
        labels checked (`check`)."""
        frames = self.frame(pages)
        level = [p if fr is None else fr.image for p, fr in zip(pages, frames, strict=True)]
        upright, detections, turns = self.detect(level)
        checked, notes, added = self.check(upright, detections)
        return Located(frames, level, upright, detections, checked, turns, notes, added)

    def __call__(self, pages: Sequence[np.ndarray]) -> list[PageReading]:
        """Read pages (RGB or grey uint8 arrays)."""
        if len(pages) == 0:
            return []
        return self.finish(pages, self.locate(pages))

    def finish(self, pages: Sequence[np.ndarray], at: Located) -> list[PageReading]:
        """Read `pages` where `locate` left them (`at`): fields read and fused, every box mapped
        back onto the page as loaded. `locate` and `finish` may run in two threads at once, on
        different batches (`pipeline.batches`)."""
        fields = self.read(at.upright, at.checked)
        results = []
        for loaded, page, fr, dets, found, k, note, added in zip(
                pages, at.level, at.frames, at.detections, fields, at.turns, at.notes, at.added, strict=True):
            for f in found.values():
                f.box = as_loaded(f.box, page, k, fr, loaded.shape)
            boxes = [
                {**d.to_dict(), "box": list(as_loaded(d.box, page, k, fr, loaded.shape)),
                 **({"label_check": note[j]} if j in note else {})}
                for j, d in enumerate([*dets, *added])
            ]
            results.append(PageReading(found, boxes, 90 * k, 0.0 if fr is None else fr.angle,
                                       None if fr is None else fr.region))
        return results
