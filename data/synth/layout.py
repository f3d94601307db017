"""Compose an Iranian official letter on an A4 page at 300 dpi, recording where every text is.

The composer draws ink (0–255 coverage) into two layers, text and stamps, and records page
objects: the header fields' labels and values (the detector's boxes), every glyph unit (the
glyph classifier's crops) and every token of every line (the reader's line crops). Colours,
paper and scan damage come later (`data.synth.degrade`).

Example:
    >>> import numpy as np
    >>> from data.synth.content import ContentConfig, ContentMaker
    >>> from data.synth.fonts import FontLibrary
    >>> from data.synth.vocabulary import Vocabulary
    >>> fonts = FontLibrary.find(["Vazirmatn-Regular.ttf"], ["/usr/local/share/fonts"])
    >>> composer = LetterComposer(LayoutConfig(), fonts, ContentMaker(Vocabulary.load(), ContentConfig()))
    >>> page = composer.compose(np.random.default_rng(0))
    >>> page.text_ink.shape
    (3508, 2480)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from data.synth.classes import YOLO_CLASSES
from data.synth.content import ContentMaker, Value, choose, choose_weighted
from data.synth.fonts import FontFace, FontLibrary
from data.synth.render import Ink, InkStyle, glyph_class, render_line
from recognizers.charset import Charset

LABEL_WORDS = {"date": "تاریخ", "number": "شماره", "attachment": "پیوست", "title": "موضوع"}
"""Each field's usual label word; `LayoutConfig.label_words` says which others occur and how often."""

__all__ = ["YOLO_CLASSES", "Composition", "LayoutConfig", "LetterComposer", "PageObject"]


@dataclass
class LayoutConfig:
    """Page geometry and how often each layout variant occurs (`conf/synth/layout/`)."""

    width: int = 2480  # A4 at 300 dpi
    height: int = 3508
    margin: tuple[int, int] = (120, 260)
    header_left_p: float = 0.8
    header_styles: dict[str, float] = field(default_factory=lambda: {
        "inline": 0.35, "slots": 0.2, "dotted": 0.15, "boxed": 0.15, "table": 0.15})
    value_right_p: float = 0.05
    standard_order_p: float = 0.6
    field_missing_p: dict[str, float] = field(default_factory=lambda: {
        "date": 0.03, "number": 0.03, "attachment": 0.15, "title": 0.15})
    value_empty_p: float = 0.03
    colon_styles: dict[str, float] = field(default_factory=lambda: {
        "tight": 0.65, "spaced": 0.1, "none": 0.25})
    # the label's word per field, by weight, e.g. date: {تاریخ: 0.85, مورخ: 0.1, مورخه: 0.05}
    # (many letters write مورخ, "dated"); one word per field (the default) draws nothing
    label_words: dict[str, dict[str, float]] = field(default_factory=lambda: {
        f: {word: 1.0} for f, word in LABEL_WORDS.items()})
    # the subject line's ink kept this many body heights below the recipient lines' lowest ink
    # (None: placed by line pitch alone, where tall letters can touch the descenders above)
    title_clearance: float | None = None
    national_id_p: float = 0.3
    other_value_font_p: float = 0.4
    other_label_font_p: float = 0.3
    label_height: tuple[float, float] = (22.0, 40.0)  # digit ink height, px at 300 dpi
    body_height: tuple[float, float] = (20.0, 34.0)
    value_scale: tuple[float, float] = (0.85, 1.2)
    typed_jitter: float = 0.06  # baseline jitter of values typed into slots
    stamp_p: float = 0.6
    signature_p: float = 0.8
    copies_p: float = 0.5
    digit_scripts: dict[str, float] = field(default_factory=lambda: {
        "persian": 0.75, "ascii": 0.12, "arabic": 0.13})


@dataclass
class PageObject:
    """Something on the page whose ink we know.

    kind: `field` (name = YOLO class), `glyph` (name = glyph class) or `token` (name = role:
    `value`, `body`, `distractor_number`, `distractor_date`, …). `hull` is the convex hull of
    its ink in page pixels (x, y). Tokens of one line share `line`, in logical order `order`.
    """

    kind: str
    name: str
    text: str
    hull: np.ndarray
    line: int = -1
    order: int = 0


@dataclass
class Composition:
    """A composed page: ink layers, objects, the truth row and what was chosen."""

    text_ink: np.ndarray
    stamp_ink: np.ndarray
    objects: list[PageObject]
    truth: dict[str, str]
    meta: dict[str, object]


def _hull(points: np.ndarray) -> np.ndarray:
    if len(points) < 3:
        return points.astype(np.float32)
    return cv2.convexHull(points.astype(np.int32)).reshape(-1, 2).astype(np.float32)


class PageCanvas:
    """Ink layers plus the objects placed on them."""

    def __init__(self, width: int, height: int) -> None:
        self.text = np.zeros((height, width), np.uint8)
        self.stamp = np.zeros((height, width), np.uint8)
        self.objects: list[PageObject] = []
        self._lines = 0

    @property
    def width(self) -> int:
        return self.text.shape[1]

    @property
    def height(self) -> int:
        return self.text.shape[0]

    def place(self, ink: Ink, x: int, baseline: int, *, field_name: str | None = None,
              field_text: str = "", role: str = "body", layer: str = "text",
              record: bool = True) -> tuple[int, int, int, int]:
        """Draw `ink` with its left edge at `x` and its baseline at `baseline`.

        Returns the ink box (x0, y0, x1, y1). With `record`, adds a field object (when
        `field_name`), a glyph object per unit and a token object per token.
        """
        y = baseline - ink.baseline
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + ink.width, self.width), min(y + ink.height, self.height)
        if x1 <= x0 or y1 <= y0:
            return (x0, y0, x0, y0)
        target = (self.text if layer == "text" else self.stamp)[y0:y1, x0:x1]
        np.maximum(target, ink.mask[y0 - y:y1 - y, x0 - x:x1 - x], out=target)
        if record:
            self._record(ink, x, y, field_name, field_text, role)
        return (x, y, x + ink.width, y + ink.height)

    def _record(self, ink: Ink, x: int, y: int, field_name: str | None, field_text: str,
                role: str) -> None:
        offset = np.array([x, y])
        groups = {k: v + offset for k, v in ink.unit_points().items()}
        if not groups:
            return
        if field_name:
            self.objects.append(PageObject("field", field_name, field_text,
                                           _hull(np.concatenate(list(groups.values())))))
        by_token: dict[int, list[np.ndarray]] = {}
        line = self._lines
        self._lines += 1
        for index, points in groups.items():
            unit = ink.units[index]
            if not unit.text.isspace():
                self.objects.append(PageObject("glyph", glyph_class(unit.text), unit.text,
                                               _hull(points), line, unit.token))
            by_token.setdefault(unit.token, []).append(points)
        for token, parts in by_token.items():
            self.objects.append(PageObject("token", role, ink.tokens[token],
                                           _hull(np.concatenate(parts)), line, token))

    def rectangle(self, x0: int, y0: int, x1: int, y1: int, thickness: int, layer: str = "text"):
        cv2.rectangle(self.text if layer == "text" else self.stamp, (x0, y0), (x1, y1), 255,
                      thickness)

    def hline(self, x0: int, x1: int, y: int, thickness: int) -> None:
        cv2.line(self.text, (x0, y), (x1, y), 255, thickness)


@dataclass
class _Fonts:
    body: FontFace
    label: FontFace
    value: FontFace
    heading: FontFace


class LetterComposer:
    """Draws a whole letter: letterhead, header block, subject, body, signature, copies."""

    def __init__(self, config: LayoutConfig, fonts: FontLibrary, content: ContentMaker) -> None:
        self.config = config
        self.fonts = fonts
        self.content = content

    # --- helpers ---------------------------------------------------------------------------
    def _face(self, rng: np.random.Generator) -> FontFace:
        return choose(rng, self.fonts.faces)

    def _digits(self, text: str, script: str) -> str:
        return Charset.to_digit_script(text, script)

    # --- the page ----------------------------------------------------------------------------
    def compose(self, rng: np.random.Generator) -> Composition:
        cfg = self.config
        canvas = PageCanvas(cfg.width, cfg.height)
        body_face = self._face(rng)
        label_face = self._face(rng) if rng.random() < cfg.other_label_font_p else body_face
        value_face = self._face(rng) if rng.random() < cfg.other_value_font_p else label_face
        fonts = _Fonts(body_face, label_face, value_face, self._face(rng))
        script = choose_weighted(rng, cfg.digit_scripts)
        margins = [int(rng.integers(*cfg.margin)) for _ in range(4)]  # left, top, right, bottom
        body_h = float(rng.uniform(*cfg.body_height))
        label_h = float(rng.uniform(*cfg.label_height))
        header_left = bool(rng.random() < cfg.header_left_p)
        meta: dict[str, object] = {"fonts": {k: getattr(fonts, k).name for k in
                                             ("body", "label", "value", "heading")},
                                   "digit_script": script, "header_side":
                                   "left" if header_left else "right"}

        letterhead_bottom = self._letterhead(canvas, rng, fonts, body_h, margins, script,
                                             header_left)
        truth, header_bottom = self._header(canvas, rng, fonts, label_h, margins, script,
                                            header_left, letterhead_bottom, meta)
        y = max(letterhead_bottom, header_bottom) + int(rng.uniform(2.5, 6) * body_h)
        title = self._body(canvas, rng, fonts, body_h, label_h, margins, script, y, meta)
        truth["title"] = title
        return Composition(canvas.text, canvas.stamp, canvas.objects, truth, meta)

    # --- letterhead ---------------------------------------------------------------------------
    def _letterhead(self, canvas: PageCanvas, rng, fonts: _Fonts, body_h: float, margins,
                    script: str, header_left: bool) -> int:
        _left, top, right, _ = margins
        w = canvas.width
        style = InkStyle.random(rng, body_h)
        # بسمه تعالی at top centre
        bismillah = render_line(choose(rng, ("بسمه تعالی", "باسمه تعالی", "بسمه تعالی")).split(),
                                fonts.heading, body_h * rng.uniform(0.9, 1.3), style, rng)
        canvas.place(bismillah, (w - bismillah.width) // 2 + int(rng.integers(-60, 60)),
                     top + bismillah.baseline, role="letterhead")
        # emblem and organisation lines, centred on a column at top right
        lines = self.content.letterhead(rng)
        heights = [body_h * rng.uniform(0.9, 1.25) for _ in lines]
        inks = [render_line(t.split(), fonts.heading, h, style, rng) for t, h in zip(lines, heights,
                                                                                  strict=True)]
        column_w = max(i.width for i in inks)
        centre = w - right - column_w // 2 - int(rng.integers(0, 80))
        y = top + int(rng.uniform(1.5, 3) * body_h)
        if rng.random() < 0.85:
            radius = int(rng.uniform(2.2, 3.8) * body_h)
            self._emblem(canvas, rng, centre, y + radius, radius)
            y += 2 * radius + int(body_h)
        for ink in inks:
            y += int(ink.baseline + body_h * 0.6)
            canvas.place(ink, centre - ink.width // 2, y, role="letterhead")
            y += ink.height - ink.baseline
        return y

    @staticmethod
    def _emblem(canvas: PageCanvas, rng, cx: int, cy: int, r: int) -> None:
        t = max(2, r // 18)
        cv2.circle(canvas.text, (cx, cy), r, 255, t, cv2.LINE_AA)
        if rng.random() < 0.6:
            cv2.circle(canvas.text, (cx, cy), int(r * 0.82), 255, max(1, t // 2), cv2.LINE_AA)
        petals = int(rng.integers(3, 6))
        for i in range(petals):
            angle = 180 + 180 * (i + 0.5) / petals
            cv2.ellipse(canvas.text, (cx, cy + r // 5), (r // 6, r // 2), angle - 90, 0, 360,
                        255, t, cv2.LINE_AA)
        cv2.line(canvas.text, (cx, cy - r // 2), (cx, cy + r // 2), 255, t, cv2.LINE_AA)

    # --- header block ---------------------------------------------------------------------------
    def _header(self, canvas: PageCanvas, rng, fonts: _Fonts, label_h: float, margins,
                script: str, header_left: bool, letterhead_bottom: int, meta) -> tuple[dict, int]:
        cfg = self.config
        left, top, right, _ = margins
        values: dict[str, Value] = {
            "date": self.content.date(rng), "number": self.content.number(rng),
            "attachment": self.content.attachment(rng),
        }
        order = ["date", "number", "attachment"]
        if rng.random() >= cfg.standard_order_p:
            order = [order[i] for i in rng.permutation(3)]
        present = [f for f in order if rng.random() >= cfg.field_missing_p[f]]
        empty = {f for f in present if rng.random() < cfg.value_empty_p}
        style_name = choose_weighted(rng, cfg.header_styles)
        value_right = bool(rng.random() < cfg.value_right_p)
        colon = choose_weighted(rng, cfg.colon_styles)
        value_h = label_h * float(rng.uniform(*cfg.value_scale))
        label_style = InkStyle.random(rng, label_h)
        typed = style_name in ("slots", "dotted")
        value_style = InkStyle.random(rng, value_h, cfg.typed_jitter if typed else 0.0)
        meta.update(header_style=style_name, value_right=value_right, fields=present,
                    empty_values=sorted(empty))

        words = {f: self._label_word(rng, f) for f in present}
        labels = {f: render_line(self._label_tokens(words[f], colon), fonts.label, label_h,
                                 label_style, rng) for f in present}
        inks = {f: render_line(self._digits(values[f].text, script).split(), fonts.value,
                               value_h, value_style, rng) for f in present if f not in empty}
        label_w = max((i.width for i in labels.values()), default=0)
        value_w = max((i.width for i in inks.values()), default=int(6 * value_h))
        gap = int(rng.uniform(0.4, 1.4) * label_h)
        block_w = label_w + gap + value_w + int(rng.uniform(0, 4) * label_h)
        if header_left:
            block_x0 = left + int(rng.integers(0, 120))
            block_top = top + int(rng.uniform(1.0, 5.0) * label_h)
            if block_x0 + block_w > canvas.width // 2 - 250:  # keep clear of بسمه تعالی
                block_top = max(block_top, top + int(4 * label_h))
        else:
            block_x0 = canvas.width - right - block_w - int(rng.integers(0, 80))
            block_top = letterhead_bottom + int(rng.uniform(1.5, 3.0) * label_h)
        block_x1 = block_x0 + block_w
        pitch = int(rng.uniform(1.9, 2.7) * max(label_h, value_h))
        baseline = block_top + int(1.2 * label_h)
        truth = {"number": "", "date": "", "date_gregorian": "", "attachment": ""}
        rows: list[tuple[int, int]] = []
        left_edges = [block_x0]
        for f in present:
            label = labels[f]
            lx = block_x0 if value_right else block_x1 - label.width
            lbox = canvas.place(label, lx, baseline, field_name=f"{f}_label",
                                field_text=words[f], role="label")
            rows.append((lbox[1], lbox[3]))
            if style_name == "dotted" and not value_right:
                self._dots(canvas, rng, block_x0, lbox[0] - gap // 3, baseline, label_h)
            ink = inks.get(f)
            if ink is not None:
                shift = 0
                if value_right:
                    vx = lbox[2] + gap
                else:
                    vx1 = (lbox[0] - gap if style_name != "slots"
                           else block_x1 - label_w - gap + int(rng.integers(-10, 10)))
                    vx = vx1 - ink.width
                if style_name == "slots":
                    shift = int(rng.uniform(-0.45, 0.35) * label_h)
                elif style_name == "dotted":
                    shift = -int(rng.uniform(0.05, 0.35) * label_h)
                vbox = canvas.place(ink, max(vx, 5), baseline + shift, field_name=f"{f}_value",
                                    field_text=self._digits(values[f].text, script), role=f"{f}_value")
                rows[-1] = (min(rows[-1][0], vbox[1]), max(rows[-1][1], vbox[3]))
                left_edges.append(vbox[0])
                truth[f] = values[f].truth
                if f == "date":
                    truth["date_gregorian"] = values[f].gregorian
            baseline += pitch
        bottom = baseline - pitch + int(label_h)
        if rows and style_name in ("boxed", "table"):
            pad = int(rng.uniform(0.4, 1.0) * label_h)
            y0 = min(r[0] for r in rows) - pad
            y1 = max(r[1] for r in rows) + pad
            x0 = min(left_edges) - pad
            thickness = int(rng.integers(2, 5))
            canvas.rectangle(int(x0), y0, block_x1 + pad, y1, thickness)
            if style_name == "table":
                for (_, b), (a, _) in itertools.pairwise(rows):
                    canvas.hline(int(x0), block_x1 + pad, (b + a) // 2, max(1, thickness - 1))
            bottom = y1
        if rng.random() < self.config.national_id_p:
            bottom = self._national_id(canvas, rng, fonts, label_h, script, block_x0, block_x1,
                                       bottom)
        return truth, bottom

    def _label_word(self, rng, f: str) -> str:
        """The word of field `f`'s label on this page (no draw when the field has one word)."""
        words = self.config.label_words.get(f) or {LABEL_WORDS[f]: 1.0}
        return next(iter(words)) if len(words) == 1 else choose_weighted(rng, words)

    @staticmethod
    def _label_tokens(word: str, colon: str) -> list[str]:
        return {"tight": [word + ":"], "spaced": [word, ":"], "none": [word]}[colon]

    @staticmethod
    def _dots(canvas: PageCanvas, rng, x0: int, x1: int, baseline: int, h: float) -> None:
        step = max(6, int(h * rng.uniform(0.25, 0.45)))
        r = max(1, int(h / 14))
        for x in range(int(x0), int(x1), step):
            cv2.circle(canvas.text, (x, baseline), r, 255, -1, cv2.LINE_AA)

    def _national_id(self, canvas: PageCanvas, rng, fonts: _Fonts, h: float, script: str,
                     x0: int, x1: int, bottom: int) -> int:
        """A national document ID near the header: number-like, but not a field."""
        label = choose(rng, ("شناسه ملی سند:", "شناسه سند:", "کد رهگیری:", ""))
        text = self._digits(self.content.national_id(rng), script)
        tokens = (label.split() if label else []) + [text]
        ink = render_line(tokens, fonts.label, h * rng.uniform(0.7, 0.95), InkStyle(), rng)
        baseline = bottom + int(1.2 * h) + ink.baseline
        canvas.place(ink, max(5, x1 - ink.width), baseline, role="distractor_number")
        return baseline + ink.height - ink.baseline

    # --- body --------------------------------------------------------------------------------
    def _body(self, canvas: PageCanvas, rng, fonts: _Fonts, body_h: float, label_h: float,
              margins, script: str, y: int, meta) -> str:
        cfg = self.config
        left, _, right, bottom_margin = margins
        x_right = canvas.width - right
        bottom_limit = canvas.height - bottom_margin
        style = InkStyle.random(rng, body_h)
        pitch = body_h * rng.uniform(1.9, 2.6)

        def put_right(text: str, role: str = "body", indent: int = 0, face=None, h=None):
            nonlocal y
            ink = render_line(self._digits(text, script).split(), face or fonts.body, h or body_h,
                              style, rng)
            y += int(pitch)
            if y + ink.height - ink.baseline > bottom_limit:
                return None
            return canvas.place(ink, x_right - indent - ink.width, y, role=role)

        above = None  # the lowest ink row of the recipient lines
        for line in self.content.recipient(rng):
            placed = put_right(line, indent=int(rng.integers(0, 200)))
            above = max(above or 0, placed[3]) if placed else above
        title = ""
        if rng.random() >= cfg.field_missing_p["title"]:
            y += int(pitch * rng.uniform(1.0, 1.6))
            clear = cfg.title_clearance
            min_top = 0 if clear is None or above is None else above + int(clear * body_h)
            title, y = self._title(canvas, rng, fonts, body_h, label_h, x_right, y, script, left,
                                   min_top)
            y += int(pitch * 0.3)
        y += int(pitch * rng.uniform(0.3, 1.0))
        put_right(choose(rng, self.content.vocab.salutations))
        # the measure, before the style widens and slants the line
        width = (canvas.width - left - right - abs(style.slant) * 2 * body_h) / style.width
        for paragraph in self.content.body(rng):
            y += int(pitch * rng.uniform(0.0, 0.6))
            for line in self._wrap(paragraph, fonts.body, body_h, width):
                if put_right(line) is None:
                    break
        # signature block on the left half, with a stamp over it
        if y + 6 * pitch < bottom_limit:
            y += int(pitch * rng.uniform(1.0, 2.0))
            centre = left + int(rng.uniform(0.15, 0.35) * canvas.width)
            sig_top = y
            for line in [choose(rng, self.content.vocab.closings), *self.content.signature(rng)]:
                ink = render_line(line.split(), fonts.body, body_h, style, rng)
                y += int(pitch)
                canvas.place(ink, centre - ink.width // 2, y, role="signature")
            if rng.random() < cfg.signature_p:
                self._scribble(canvas, rng, centre, sig_top + int(pitch), body_h)
            if rng.random() < cfg.stamp_p:
                self._stamp(canvas, rng, fonts, centre + int(rng.integers(-150, 150)),
                            sig_top + int(pitch * 1.5), body_h)
        if rng.random() < cfg.copies_p and y + 4 * pitch < bottom_limit:
            y += int(pitch * 1.5)
            small = body_h * 0.85
            put_right("رونوشت:", face=fonts.label, h=small)
            for line in self.content.copies(rng):
                if put_right(line, h=small, indent=int(body_h)) is None:
                    break
        return title

    def _title(self, canvas: PageCanvas, rng, fonts: _Fonts, body_h: float, label_h: float,
               x_right: int, baseline: int, script: str, left: int, min_top: int = 0
               ) -> tuple[str, int]:
        """The subject line at `baseline`, moved down when its ink would rise above `min_top`
        (tall letters under a recipient line's descenders); returns its text and baseline."""
        colon = choose_weighted(rng, self.config.colon_styles)
        h = body_h * rng.uniform(0.95, 1.2)
        word = self._label_word(rng, "title")
        label = render_line(self._label_tokens(word, colon), fonts.label, h,
                            InkStyle.random(rng, h), rng)
        indent = int(rng.integers(0, 300))
        label_x = x_right - indent - label.width
        subject = self.content.subject(rng)
        text = self._digits(subject.text, script)
        ink = render_line(text.split(), fonts.value, h, InkStyle.random(rng, h), rng)
        gap = int(rng.uniform(0.3, 1.0) * h)
        while ink.width > label_x - gap - left and len(text.split()) > 1:  # keep to one line
            text = " ".join(text.split()[:-1])
            ink = render_line(text.split(), fonts.value, h, InkStyle.random(rng, h), rng)
        baseline = max(baseline, min_top + label.baseline, min_top + ink.baseline)
        canvas.place(label, label_x, baseline, field_name="title_label", field_text=word,
                     role="label")
        canvas.place(ink, label_x - gap - ink.width, baseline, field_name="title_value",
                     field_text=text, role="title_value")
        return text, baseline

    @staticmethod
    def _wrap(paragraph: str, face: FontFace, h: float, width: float) -> list[str]:
        space = face.glyph(" ", False, h).advance
        lines, current, used = [], [], 0.0
        for word in paragraph.split():
            w = sum(face.glyph(r, Charset.is_rtl_char(r[0]), h).advance
                    for r in Charset.split_runs(word))
            if current and used + space + w > width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0) + w
            current.append(word)
        if current:
            lines.append(" ".join(current))
        return lines

    @staticmethod
    def _scribble(canvas: PageCanvas, rng, cx: int, cy: int, h: float) -> None:
        """A handwritten signature: a smooth random stroke."""
        n = int(rng.integers(5, 9))
        xs = np.linspace(-3 * h, 3 * h, n) + rng.normal(0, h * 0.6, n) + cx
        ys = rng.normal(0, h * 0.9, n) + cy
        t = np.linspace(0, n - 1, 200)
        px = np.interp(t, np.arange(n), xs) + np.sin(t * 2.5) * h * 0.4
        py = np.interp(t, np.arange(n), ys) + np.cos(t * 3.1) * h * 0.5
        pts = np.stack([px, py], 1).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(canvas.text, [pts], False, 255, max(2, int(h / 12)), cv2.LINE_AA)

    def _stamp(self, canvas: PageCanvas, rng, fonts: _Fonts, cx: int, cy: int, h: float) -> None:
        r = int(h * rng.uniform(3.5, 5.5))
        t = max(2, int(h / 10))
        cv2.circle(canvas.stamp, (cx, cy), r, 255, t, cv2.LINE_AA)
        cv2.circle(canvas.stamp, (cx, cy), int(r * 0.78), 255, max(1, t // 2), cv2.LINE_AA)
        words = choose(rng, self.content.vocab.units).split()[:2]
        ink = render_line(words, fonts.heading, h * 0.7, InkStyle(), rng)
        if ink.width < 1.5 * r:
            canvas.place(ink, cx - ink.width // 2, cy + ink.baseline // 2, layer="stamp",
                         record=False)

