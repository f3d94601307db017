"""Growing short subject boxes along their line's ink (pipeline.refine)."""

import numpy as np
import pytest

from pipeline.refine import extend_along_line

# the fake detectors below find boxes on the page as drawn: it is neither cut out nor levelled
AS_DRAWN = {"crop_letter": False, "deskew_min_angle": None}


def line_page() -> np.ndarray:
    """Words at x 100-180, 200-300 (gap 20 px: one word gap), a label at 330-380, text far left."""
    page = np.full((100, 600), 250, np.uint8)
    for x0, x1 in ((10, 40), (100, 180), (200, 300), (330, 380)):
        page[40:60, x0:x1] = 20
    return page


def test_grows_over_word_gaps_and_stops_at_a_wide_gap_and_at_the_label():
    label = (328.0, 38.0, 382.0, 62.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [label], max_gap=1.5)
    # left: the 20 px word gap is crossed, the 60 px gap to x=40 (2.5 heights) is not;
    # right: the 30 px gap to the label is under 1.5 heights, but the label's box ends the growth
    assert box == (100.0, 38.0, 300.0, 62.0)


def test_without_the_label_box_the_gap_before_it_still_counts():
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)  # the label's ink joins: hence the stop at its box


def test_boxes_on_other_lines_do_not_stop_growth():
    other_line = (150.0, 70.0, 250.0, 95.0)
    box = extend_along_line(line_page(), (210.0, 38.0, 260.0, 62.0), [other_line], max_gap=1.5)
    assert box == (100.0, 38.0, 380.0, 62.0)


def test_a_box_never_shrinks_and_a_blank_page_changes_nothing():
    blank = np.full((100, 600), 250, np.uint8)
    assert extend_along_line(blank, (210.0, 38.0, 260.0, 62.0)) == (210.0, 38.0, 260.0, 62.0)
    page = np.full((100, 600), 250, np.uint8)
    page[40:60, 100:200] = 20
    loose = (50.0, 38.0, 320.0, 62.0)  # wider than its ink
    assert extend_along_line(page, loose) == loose


def test_unknown_field_to_extend_is_refused():
    from pipeline.predictor import PipelineSettings

    with pytest.raises(ValueError, match="extend: unknown fields"):
        PipelineSettings(**AS_DRAWN, extend=("subject",))
    with pytest.raises(ValueError, match="reach_label: unknown fields"):
        PipelineSettings(**AS_DRAWN, reach_label=("no",))


def test_nothing_left_of_the_label_gives_no_value():
    from pipeline.refine import value_beside_label

    page = np.full((60, 400), 250, np.uint8)
    page[20:40, 300:380] = 20  # the label alone
    assert value_beside_label(page, (298.0, 18.0, 382.0, 42.0)) is None


class _Detector:
    """Finds a date label only (the detector missed its value)."""

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[Detection("date_label", 0.9, (298.0, 18.0, 382.0, 42.0))] for _ in pages]


class _Reader:
    def __init__(self, text, confidence):
        self.text, self.confidence, self.kinds = text, confidence, []

    def __call__(self, crops, kinds):
        from recognizers.reader.decode import Reading

        self.kinds.extend(kinds)
        return [Reading(self.text, self.confidence, True) for _ in crops]


@pytest.mark.parametrize(("text", "confidence", "kept"), [
    ("1402/05/12", 0.9, True), ("1402/05/12", 0.3, False), ("1402/12/30", 0.9, False)])
def test_a_value_beside_a_lone_label_is_kept_only_when_sure_and_valid(text, confidence, kept):
    """1402/12/30 does not exist: a guess beside a label that fails its check is dropped."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((60, 400, 3), 250, np.uint8)
    page[20:40, 300:380] = 20
    page[20:40, 150:260] = 20  # the value's ink, left of the label
    reader = _Reader(text, confidence)
    predictor = DocumentPredictor(_Detector(), reader, None, PipelineSettings(**AS_DRAWN, fusion="crnn_only"))
    fields = predictor([page])[0].fields
    assert reader.kinds == ["date"]
    assert ("date" in fields) == kept
    if kept:
        assert fields["date"].box_from == "beside label" and fields["date"].box[0] == 150.0


def test_a_label_set_below_its_line_still_finds_the_whole_value():
    """bench200 p000136: the label box sat 11 px below the subject's line, so in the label's
    rows only the tails of the far words showed; the value is grown again in its own rows."""
    from pipeline.refine import value_beside_label

    page = np.full((100, 400), 250, np.uint8)
    page[40:60, 322:378] = 20  # the label
    page[30:60, 230:300] = 20  # the near word: in the label's rows and above
    page[25:42, 150:220] = 20  # the far word: above the label's rows
    assert value_beside_label(page, (320.0, 40.0, 380.0, 60.0)) == (150.0, 30.0, 300.0, 60.0)


class _FormDetector:
    """The number found with its label, the attachment's label found alone (bench200 p000011,
    p000136: a form that prints `پیوست: ندارد` with the value right of the label)."""

    def __init__(self, number_value: tuple[float, float, float, float]):
        self.number_value = number_value

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[Detection("number_label", 0.9, (40.0, 18.0, 100.0, 42.0)),
                 Detection("number_value", 0.9, self.number_value),
                 Detection("attachment_label", 0.9, (40.0, 58.0, 100.0, 82.0))] for _ in pages]


@pytest.mark.parametrize(("number_value", "found"), [
    ((118.0, 18.0, 200.0, 42.0), True),   # the number right of its label: so is the attachment
    ((0.0, 18.0, 30.0, 42.0), False)])    # the number left of it: the attachment is looked for left
def test_a_lone_label_is_searched_on_the_side_the_page_prints_its_values(number_value, found):
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((100, 400, 3), 250, np.uint8)
    page[20:40, 42:98] = 20  # number label
    page[20:40, 120:198] = 20  # ink right of it
    page[60:80, 42:98] = 20  # attachment label
    page[60:80, 120:170] = 20  # its value, right of it
    predictor = DocumentPredictor(_FormDetector(number_value), _Reader("ندارد", 0.9), None,
                                  PipelineSettings(**AS_DRAWN, fusion="crnn_only"))
    fields = predictor([page])[0].fields
    assert ("attachment" in fields) == found
    if found:
        assert fields["attachment"].box_from == "beside label"
        assert (fields["attachment"].box[0], fields["attachment"].box[2]) == (120.0, 170.0)


class _FormWithSubjectDetector(_FormDetector):
    """The header prints its values right of the labels; the subject's label is found alone,
    its line set right to left below (bench200 p000136)."""

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[*dets, Detection("title_label", 0.9, (300.0, 58.0, 360.0, 82.0))]
                for dets in super().__call__(pages)]


def test_a_lone_subject_label_is_searched_left_on_a_form_with_values_right():
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((100, 400, 3), 250, np.uint8)
    page[20:40, 42:98] = 20  # number label
    page[20:40, 120:198] = 20  # its value, right of it
    page[60:80, 302:358] = 20  # subject label
    page[60:80, 220:290] = 20  # the subject, left of it
    predictor = DocumentPredictor(_FormWithSubjectDetector((118.0, 18.0, 200.0, 42.0)),
                                  _Reader("خرید تجهیزات", 0.9), None,
                                  PipelineSettings(**AS_DRAWN, fusion="crnn_only"))
    fields = predictor([page])[0].fields
    assert fields["title"].box_from == "beside label"
    assert (fields["title"].box[0], fields["title"].box[2]) == (220.0, 290.0)


def test_values_right_of_labels_needs_most_of_the_page():
    from detectors.types import Detection
    from pipeline.pairing import values_right_of_labels

    labels = [Detection(f"{f}_label", 0.9, (300.0, y, 360.0, y + 20)) for f, y in
              (("number", 10.0), ("date", 40.0), ("attachment", 70.0))]
    left = {f: Detection(f"{f}_value", 0.9, (200.0, y, 280.0, y + 20))
            for f, y in (("number", 10.0), ("date", 40.0))}
    right = {"attachment": Detection("attachment_value", 0.9, (380.0, 70.0, 440.0, 90.0))}
    assert values_right_of_labels({**left, **right}, labels) is False
    assert values_right_of_labels(right, labels) is True
    assert values_right_of_labels({}, labels) is False  # no evidence: the right-to-left rule


def test_a_subject_box_overlapping_its_label_is_cut_back_to_the_label():
    """The detector's subject box ran 13 px into `موضوع` (p000132 of bench200): the label stays out."""
    page = np.full((60, 600), 255, np.uint8)
    page[20:40, 100:250] = 0  # the subject
    page[20:40, 262:330] = 0  # the label, right of it
    label = (258.0, 18.0, 332.0, 42.0)
    grown = extend_along_line(page, (150.0, 18.0, 270.0, 42.0), [label])
    assert grown == (100.0, 18.0, 258.0, 42.0)
    # a twin of the box itself (the same words found twice) bounds nothing
    assert extend_along_line(page, (150.0, 18.0, 240.0, 42.0), [(148.0, 18.0, 242.0, 42.0)])[0] == 100.0


# --- numeric boxes grown to their label (reach_label) ------------------------------------------
def number_line(value: str, label: str = "شماره:", gap: float = 0.8, face: str = "Vazirmatn-Regular.ttf"):
    """A page with `label` on the right and `value` left of it, rendered as the corpus does;
    returns the grey page and the value's ink box."""
    from data.synth.fonts import FontLibrary
    from data.synth.render import InkStyle, render_line

    font = FontLibrary.find([face], ["/usr/share/fonts", "/usr/local/share/fonts"]).faces[0]
    ink_value = render_line(value.split(), font, 24, InkStyle())
    ink_label = render_line(label.split(), font, 24, InkStyle())
    page = np.full((120, 700), 250, np.uint8)
    vx, top = 80, 40
    lx = vx + ink_value.width + int(gap * 24)
    for ink, x in ((ink_value, vx), (ink_label, lx)):
        h, w = ink.mask.shape
        region = page[top:top + h, x:x + w]
        np.minimum(region, 255 - ink.mask, out=region)
    ys, xs = np.nonzero(page[:, : lx - 2] < 128)
    value_box = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
    ys, xs = np.nonzero(page[:, lx - 2:] < 128)
    label_box = (float(lx - 2 + xs.min()), float(ys.min()), float(lx - 2 + xs.max() + 1), float(ys.max() + 1))
    return page, value_box, label_box


@pytest.mark.parametrize("value", ["۷۴۹۰/ق/۱۴۰۷", "۷۸/۱۱۶۰", "۱۴۰۵/۰۸/۱۰"])
def test_a_trailing_zero_cut_off_on_the_label_side_is_taken_back(value):
    from pipeline.refine import reach_label

    page, ink, label = number_line(value)
    h = ink[3] - ink[1]
    short = (ink[0], ink[1], ink[2] - 0.3 * h, ink[3])  # the zero (a lone dot) left outside
    grown = reach_label(page, short, label)
    assert grown[2] >= ink[2] - 1 and grown[2] < label[0]
    assert grown[:2] == short[:2] and grown[3] == short[3]


def test_growth_stops_at_a_spaced_colon_and_leaves_a_whole_box_alone():
    from pipeline.refine import reach_label

    page, ink, label = number_line("۱۲۳۴", label="شماره :", gap=0.3)
    colon_x0 = label[0]  # the colon is the label's leftmost mark
    label_word = (colon_x0 + 0.35 * (ink[3] - ink[1]), *label[1:])  # a label box without its colon
    grown = reach_label(page, ink, label_word)
    assert grown == ink
    drawn = np.full((80, 500), 250, np.uint8)
    drawn[20:44, 100:200] = 20
    drawn[24:28, 204:208] = 20  # a colon's two dots, both clear of the baseline
    drawn[33:37, 204:208] = 20
    drawn[20:44, 220:300] = 20
    value = (100.0, 20.0, 200.0, 44.0)
    assert reach_label(drawn, value, (220.0, 20.0, 300.0, 44.0)) == value


def test_growth_stops_at_leader_dots_and_ignores_specks_and_far_marks():
    from pipeline.refine import reach_label

    page = np.full((80, 500), 250, np.uint8)
    page[20:44, 100:200] = 20  # the value's ink, rows 20-44
    label = (380.0, 20.0, 460.0, 44.0)
    page[20:44, 380:460] = 20
    for x in range(205, 370, 10):
        page[41:44, x:x + 3] = 20  # a leader line on the baseline
    assert reach_label(page, (100.0, 20.0, 200.0, 44.0), label) == (100.0, 20.0, 200.0, 44.0)
    clean = np.full((80, 500), 250, np.uint8)
    clean[20:44, 100:200] = 20
    clean[30:31, 203:204] = 20  # a one-pixel speck
    clean[28:34, 240:246] = 20  # a mark 1.7 box heights away
    assert reach_label(clean, (100.0, 20.0, 200.0, 44.0), label) == (100.0, 20.0, 200.0, 44.0)


def test_leader_dots_are_told_by_the_lines_ink_when_the_box_is_loose():
    """val2 p000055: a box reaching well below its line; its leader's dots sit on the line's
    baseline but above the box's bottom fifth, and were read as Persian zeros."""
    from pipeline.refine import reach_label

    page = np.full((90, 500), 250, np.uint8)
    page[20:44, 100:200] = 20  # the value's ink, rows 20-44
    page[20:44, 380:460] = 20  # the label
    label = (380.0, 20.0, 460.0, 44.0)
    loose = (100.0, 18.0, 200.0, 56.0)  # 12 px of paper under the line
    for x in range(203, 370, 9):
        page[40:44, x:x + 4] = 20  # the leader on the baseline, in the box's rows 22-26 of 38
    assert reach_label(page, loose, label) == loose
    page[:, 201:370] = 250
    page[28:34, 203:209] = 20  # a zero cut off, halfway up the line: still taken back
    assert reach_label(page, loose, label) == (100.0, 18.0, 209.0, 56.0)


def test_a_glyph_cut_in_two_over_a_leader_dot_is_no_colon():
    """val2 p000125: the box ended halfway through the last ۴ of `۷۶۳۴`, a leader dot under it;
    the digit and the dot, one above the other, were taken for a colon and the ۴ left out."""
    from pipeline.refine import reach_label

    page = np.full((80, 500), 250, np.uint8)
    page[20:40, 100:190] = 20  # the value's ink
    page[20:36, 194:212] = 20  # its last digit, the box's edge (200) through its middle
    page[38:41, 203:206] = 20  # a leader dot under it
    page[20:40, 300:360] = 20  # the label
    grown = reach_label(page, (100.0, 18.0, 200.0, 42.0), (300.0, 18.0, 360.0, 42.0))
    assert grown == (100.0, 18.0, 212.0, 42.0)


def test_a_glyph_the_labels_box_took_in_before_its_colon_is_taken_back():
    """val3 p000294: the box of `تاریخ:` reached over the date's last `۱`, 0.5 box heights from
    the box's `۰`; growth stopped at the label's box and `۱۳۸۳/۰۷/۰۱` read `۱۳۸۳/۰۷/۰`."""
    from pipeline.refine import label_cut_at_colon, reach_label

    page = np.full((80, 500), 250, np.uint8)
    page[20:40, 100:200] = 20  # the value
    page[21:37, 210:213] = 20  # its last glyph, a ۱, 10 px on
    page[23:27, 222:226] = 20  # the colon's upper dot
    page[33:37, 222:226] = 20  # and its lower one
    page[20:40, 232:300] = 20  # the label word
    label = (208.0, 18.0, 300.0, 42.0)  # the label's box, over the ۱
    assert label_cut_at_colon(page, label, (100.0, 18.0, 200.0, 42.0)) == (222.0, 18.0, 300.0, 42.0)
    assert reach_label(page, (100.0, 18.0, 200.0, 42.0), label) == (100.0, 18.0, 213.0, 42.0)
    # a label box that starts at its colon is left as it is
    at_colon = (220.0, 18.0, 300.0, 42.0)
    assert label_cut_at_colon(page, at_colon, (100.0, 18.0, 200.0, 42.0)) == at_colon
    # val300 p000042: a short label whose colon is on its far side, the value right of it: the
    # colon has no word beyond it, so the word before it is the label's, not the value's
    short = np.full((80, 500), 250, np.uint8)
    short[23:27, 102:106] = 20  # the colon's upper dot
    short[33:37, 102:106] = 20  # and its lower one
    short[20:40, 110:130] = 20  # the label word, right of its colon
    short[20:40, 160:260] = 20  # the value
    assert label_cut_at_colon(short, (100.0, 18.0, 132.0, 42.0), (160.0, 18.0, 260.0, 42.0)) == (
        100.0, 18.0, 132.0, 42.0)


def test_dots_of_two_letters_one_over_the_other_are_no_colon():
    """val2 p000108: in `تاریخ` (a form printing the date right of it) the dots over ت and under
    ی stand one above the other with the letters' bodies between them; taken for a colon, the
    label was cut and the date grown over `تا`."""
    from pipeline.refine import label_cut_at_colon

    page = np.full((80, 500), 250, np.uint8)
    page[24:36, 100:189] = 20  # the label's letters
    page[19:22, 182:186] = 20  # dots over one letter
    page[38:41, 183:187] = 20  # and under another, the bodies between them
    page[22:36, 193:197] = 20  # a letter on the value's side of them (ا)
    page[20:40, 230:330] = 20  # the value, right of the label
    label = (100.0, 18.0, 200.0, 42.0)
    assert label_cut_at_colon(page, label, (230.0, 18.0, 330.0, 42.0)) == label


def test_a_value_right_of_its_label_grows_leftwards():
    from pipeline.refine import reach_label

    page = np.full((80, 500), 250, np.uint8)
    page[20:44, 40:120] = 20  # the label, on the left
    page[28:34, 196:202] = 20  # a zero the box left out
    page[20:44, 205:300] = 20
    grown = reach_label(page, (205.0, 20.0, 300.0, 44.0), (40.0, 20.0, 120.0, 44.0))
    assert grown == (196.0, 20.0, 300.0, 44.0)


class _HeightReader:
    """Reads each crop as its height, surer the taller it is."""

    def __call__(self, crops, kinds):
        from recognizers.reader.decode import Reading

        return [Reading(f"h{c.shape[0]}", c.shape[0] / 100, True) for c in crops]


class _SubjectDetector:
    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[Detection("title_label", 0.9, (300.0, 20.0, 380.0, 40.0)),
                 Detection("title_value", 0.9, (100.0, 20.0, 260.0, 40.0))] for _ in pages]


def test_a_reread_field_keeps_the_surest_of_its_views():
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((80, 400, 3), 250, np.uint8)
    page[20:40, 300:380] = 20
    page[20:40, 100:260] = 20
    plain = PipelineSettings(**AS_DRAWN, fusion="crnn_only", crop_margin=0.1, extend=())
    fields = DocumentPredictor(_SubjectDetector(), _HeightReader(), None, plain)([page])[0].fields
    assert fields["title"].text == "h24"  # 20 px box + 2 px either side
    views = PipelineSettings(**AS_DRAWN, fusion="crnn_only", crop_margin=0.1, extend=(),
                             reread={"title": (0.0, 0.5)})
    fields = DocumentPredictor(_SubjectDetector(), _HeightReader(), None, views)([page])[0].fields
    assert fields["title"].text == "h40" and fields["title"].confidence == 0.4
    with pytest.raises(ValueError, match="reread: unknown fields"):
        PipelineSettings(**AS_DRAWN, reread={"subject": (0.2,)})


# --- a field whose first value box fails its check reads the second (second_choice) ------------
class _TwoNumbersDetector:
    """A number value beside its label, and a surer lone one on another line (bench200 p000055:
    the attachment line `۲۳ پرونده` taken for the number, beside a label misread as شماره)."""

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[Detection("number_label", 0.7, (298.0, 18.0, 382.0, 42.0)),
                 Detection("number_value", 0.9, (150.0, 18.0, 260.0, 42.0)),
                 Detection("number_value", 0.8, (200.0, 70.0, 260.0, 94.0))] for _ in pages]


class _ByWidthReader(_Reader):
    """Reads wide crops as `wide`, narrow ones as `narrow`."""

    def __init__(self, wide, narrow):
        super().__init__(wide, 0.9)
        self.narrow = narrow

    def __call__(self, crops, kinds):
        from recognizers.reader.decode import Reading

        self.kinds.extend(kinds)
        return [Reading(self.text if c.shape[1] > 100 else self.narrow, 0.9, True) for c in crops]


@pytest.mark.parametrize(("first", "second_choice", "number", "reads"), [
    ("23پرونده", True, "1234/ص/1402", 2),   # the first fails its check: the second is read
    ("23پرونده", False, "23پرونده", 1),      # turned off: the failed reading stays, invalid
    ("98/ب/1400", True, "98/ب/1400", 1)])   # the first passes: the second is never read
def test_a_value_that_fails_its_check_gives_way_to_the_next_box(first, second_choice, number, reads):
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((120, 400, 3), 250, np.uint8)
    page[20:40, 300:380] = 20
    page[20:40, 152:258] = 20
    page[72:92, 202:258] = 20
    reader = _ByWidthReader(first, "1234/ص/1402")
    settings = PipelineSettings(**AS_DRAWN, fusion="crnn_only", second_choice=second_choice, reach_label=())
    fields = DocumentPredictor(_TwoNumbersDetector(), reader, None, settings)([page])[0].fields
    assert fields["number"].text == number and len(reader.kinds) == reads
    assert fields["number"].valid == (number != "23پرونده")
    if reads == 2:
        assert fields["number"].box_from == "detector, second choice"


class _SmallPrintDetector:
    """Finds the date only when it looks at the page at 1024 px (labels too small at its own size)."""

    def __init__(self):
        self.sizes = []

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        self.sizes.append((len(pages), imgsz))
        if imgsz != 1024:
            return [[Detection("title_label", 0.8, (300.0, 60.0, 380.0, 80.0))] for _ in pages]
        return [[Detection("date_label", 0.9, (298.0, 18.0, 382.0, 42.0)),
                 Detection("date_value", 0.9, (150.0, 18.0, 260.0, 42.0))] for _ in pages]


@pytest.mark.parametrize(("retry", "found"), [(1024, True), (None, False)])
def test_a_page_without_number_or_date_is_detected_again_larger(retry, found):
    """val300 p000113: 8 px labels beside large values were missed at 800 px and found at 1024."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((100, 400, 3), 250, np.uint8)
    page[20:40, 150:260] = 20
    detector = _SmallPrintDetector()
    predictor = DocumentPredictor(detector, _Reader("1402/05/12", 0.9), None,
                                  PipelineSettings(**AS_DRAWN, fusion="crnn_only", orient=False,
                                                   retry_imgsz=retry))
    fields = predictor([page])[0].fields
    assert ("date" in fields) == found
    assert detector.sizes == ([(1, None), (1, 1024)] if retry else [(1, None)])


def test_a_page_with_its_header_found_is_not_detected_again():
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    sizes = []

    class Recording(_FormDetector):  # finds a number value
        def __call__(self, pages, imgsz=None):
            sizes.append(imgsz)
            return super().__call__(pages)

    predictor = DocumentPredictor(Recording((118.0, 18.0, 200.0, 42.0)), _Reader("12/ص/1402", 0.9), None,
                                  PipelineSettings(**AS_DRAWN, fusion="crnn_only", orient=False))
    predictor([np.full((100, 400, 3), 250, np.uint8)])
    assert sizes == [None]


def test_growing_to_the_label_stops_at_the_labels_own_ink_past_its_box():
    """bench200 p000186, val300 p000143 and p000293: the label's last letter ran a few pixels past
    the detector's label box; growing the value to the label took it in and read it as a 4 or 9."""
    from pipeline.refine import reach_label

    page = np.full((60, 400), 255, np.uint8)
    page[20:40, 100:200] = 0  # the value
    page[24:38, 206:232] = 0  # the label's first letter, drawn from before its box ...
    page[20:40, 232:300] = 0  # ... into the rest of the label
    assert reach_label(page, (100, 20, 201, 40), label=(228, 20, 300, 40)) == (100, 20, 201, 40)
    page[24:38, 206:232] = 255
    page[27:32, 204:209] = 0  # a trailing zero that stops short of the label is still taken
    assert reach_label(page, (100, 20, 201, 40), label=(228, 20, 300, 40)) == (100, 20, 209.0, 40)


class _FaintSubjectDetector:
    """Finds the number at its own size; the subject's label and value only at 1024 px."""

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        header = [Detection("number_label", 0.9, (300.0, 18.0, 380.0, 42.0)),
                  Detection("number_value", 0.9, (150.0, 18.0, 260.0, 42.0))]
        if imgsz != 1024:
            return [list(header) for _ in pages]
        subject = [Detection("title_label", 0.8, (300.0, 60.0, 380.0, 80.0)),
                   Detection("title_value", 0.7, (120.0, 60.0, 290.0, 80.0))]
        return [header + subject for _ in pages]


class _Keywords:
    """A glyph classifier that reads every crop as one class."""

    def __init__(self, label):
        self.label = label

    def __call__(self, crops):
        from recognizers.glyphs.predictor import GlyphPrediction

        return [GlyphPrediction(self.label, self.label, 0.95) for _ in crops]


@pytest.mark.parametrize(("fill", "keyword", "found"), [
    (("title",), "title", True),        # the second look's subject, its label read as موضوع
    (("title",), "Otherchar", False),   # a label that is no keyword (a recipient line): not added
    ((), "title", False)])              # turned off
def test_a_missing_subject_is_looked_for_again_larger(fill, keyword, found):
    """bench200 p000110: a faint subject line missed at 800 px, found at 1024 px."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((100, 400, 3), 250, np.uint8)
    page[20:40, 150:260] = 20
    page[60:80, 120:290] = 20
    digits = type("Digits", (), {"classifier": _Keywords(keyword)})()
    settings = PipelineSettings(**AS_DRAWN, fusion="crnn_only", orient=False, check_labels=False,
                                fill_fields=fill, beside_label=())
    fields = DocumentPredictor(_FaintSubjectDetector(), _Reader("12/ص/1402", 0.9), digits, settings)(
        [page])[0].fields
    assert "number" in fields
    assert ("title" in fields) == found


@pytest.mark.parametrize(("keyword", "confirm", "looked"), [
    ("Date", True, True),           # the label reads as تاریخ: its value is looked for
    ("attachment", True, False),    # bench200 p000180: a box called موضوع that reads as پیوست
    ("attachment", False, True)])   # the check turned off
def test_a_value_is_looked_for_beside_a_label_only_when_it_reads_as_its_keyword(keyword, confirm, looked):
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((60, 400, 3), 250, np.uint8)
    page[20:40, 300:380] = 20
    page[20:40, 150:260] = 20  # the value's ink, left of the label
    reader = _Reader("1402/05/12", 0.9)
    digits = type("Digits", (), {"classifier": _Keywords(keyword)})()
    settings = PipelineSettings(**AS_DRAWN, fusion="crnn_only", check_labels=False, beside_confirm=confirm)
    fields = DocumentPredictor(_Detector(), reader, digits, settings)([page])[0].fields
    assert ("date" in fields) == looked
    assert reader.kinds == (["date"] if looked else [])


def test_a_value_beside_a_lone_label_leaves_out_the_labels_colon_and_its_tail_past_the_box():
    """val2 p000123: `موضوع:`'s colon read as `1` at the subject's start; p000033: the label's
    last letter drawn past its box read as letters of the value."""
    from pipeline.refine import value_beside_label

    page = np.full((60, 500), 250, np.uint8)
    page[20:40, 300:380] = 20                                  # the label
    page[30:38, 294:300] = 20                                  # its last letter's tail, past the box
    page[22:26, 284:288] = 20                                  # its colon's upper dot
    page[34:38, 284:288] = 20                                  # and its lower one
    page[20:40, 120:270] = 20                                  # the value
    box = value_beside_label(page, (300.0, 18.0, 382.0, 42.0))
    assert box is not None and box[0] == 120.0 and 270.0 <= box[2] < 284.0


def test_a_value_beside_a_lone_label_keeps_a_first_letter_over_its_dot():
    """test p000092: `برگزاری` beside `موضوع`: its ب (0.39 line heights wide) over its dot, and
    over the ر touching it below, were taken for a colon and the subject read `گزاری`."""
    from pipeline.refine import past_label_marks

    page = np.full((60, 500), 250, np.uint8)
    page[20:41, 300:380] = 20                                  # the label
    page[22:35, 272:288] = 20                                  # ب's body, the value's first glyph
    page[37:42, 283:287] = 20                                  # its dot
    page[36:45, 263:276] = 20                                  # the ر joined to it below
    page[20:41, 120:258] = 20                                  # the rest of the value
    assert past_label_marks(page, (300.0, 18.0, 380.0, 60.0), (100.0, 18.0, 300.0, 60.0)) == 300.0


def test_a_faded_labels_pieces_make_no_colon_to_cut_it_at():
    """bench200 p000171: a faded `تاریخ` in pieces: two of them stacked like a colon, fragments
    before them; cut there, the date grew over the label's fragments and read `بخ ۱۳۹۷/۰۵/۲۹`."""
    from pipeline.refine import label_cut_at_colon

    page = np.full((80, 500), 250, np.uint8)
    page[18:43, 100:200] = 20  # the value
    page[30:35, 214:223] = 20  # fragments of the label's first letters
    page[36:40, 220:228] = 20
    page[30:34, 236:239] = 20  # two pieces, one over the other, like a colon's dots
    page[36:42, 232:238] = 20
    page[20:40, 245:300] = 20  # the rest of the label
    label = (210.0, 18.0, 300.0, 44.0)
    assert label_cut_at_colon(page, label, (100.0, 18.0, 200.0, 43.0)) == label


class _LoneNumberDetector:
    """Finds a number value at 0.45 (under the 0.55 floor) and not its label."""

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        return [[Detection("number_value", 0.45, (150.0, 18.0, 260.0, 42.0))] for _ in pages]


@pytest.mark.parametrize(("keyword", "lone_keyword_min", "read"), [
    ("number", 0.25, True),      # the word beside it reads as شماره: the value is read
    ("attachment", 0.25, False),  # another field's keyword: dropped by the floor as before
    ("number", None, False)])    # turned off
def test_a_lone_value_is_read_when_the_word_beside_it_is_its_label(keyword, lone_keyword_min, read):
    """val2 p000011: the detector found the number at 0.45 but not its label شماره."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((60, 400, 3), 250, np.uint8)
    page[20:40, 150:260] = 20  # the value
    page[20:40, 290:360] = 20  # its label, which the detector missed
    reader = _Reader("12/ص/1402", 0.9)
    digits = type("Digits", (), {"classifier": _Keywords(keyword)})()
    settings = PipelineSettings(**AS_DRAWN, fusion="crnn_only", orient=False, retry_imgsz=None,
                                beside_label=(), lone_keyword_min=lone_keyword_min)
    reading = DocumentPredictor(_LoneNumberDetector(), reader, digits, settings)([page])[0]
    assert ("number" in reading.fields) == read
    added = [d for d in reading.detections if d["label"] == "number_label"]
    if read:
        assert added == [{"label": "number_label", "confidence": 0.0, "box": [290.0, 18.0, 360.0, 42.0],
                          "label_check": "found beside a lone value (glyph classifier 0.95)"}]
    else:
        assert added == []


class _HeldLabelDetector:
    """Finds a subject value box and, with `label`, the subject's label beside it."""

    def __init__(self, label: bool):
        self.label = label

    def __call__(self, pages, imgsz=None):
        from detectors.types import Detection

        found = [Detection("number_label", 0.9, (300.0, 18.0, 380.0, 42.0)),
                 Detection("number_value", 0.9, (150.0, 18.0, 260.0, 42.0)),
                 Detection("title_value", 0.8, (100.0, 60.0, 290.0, 80.0))]
        if self.label:
            found.append(Detection("title_label", 0.9, (300.0, 60.0, 380.0, 80.0)))
        return [list(found) for _ in pages]


@pytest.mark.parametrize(("label", "title"), [(False, "پایه"), (True, "موضوع پایه")])
def test_a_subject_box_holding_its_label_word_loses_it(label, title):
    """val3 p000048: `موضوع پایه` printed without a colon, found as one subject box."""
    from pipeline.predictor import DocumentPredictor, PipelineSettings

    page = np.full((100, 400, 3), 250, np.uint8)
    page[20:40, 150:260] = 20
    page[60:80, 100:290] = 20
    reader = _Reader("موضوع پایه", 0.9)
    settings = PipelineSettings(**AS_DRAWN, fusion="crnn_only", orient=False, check_labels=False,
                                extend=(), reach_label=(), retry_imgsz=None)
    fields = DocumentPredictor(_HeldLabelDetector(label), reader, None, settings)([page])[0].fields
    assert fields["title"].text == title
