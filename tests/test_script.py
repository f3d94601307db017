"""The page's digit script decides the order of values such as `138-501` (pipeline.script)."""

import numpy as np

from detectors.types import Detection
from pipeline.predictor import DocumentPredictor, PipelineSettings
from pipeline.script import arabic_digit_pages, in_arabic_order, page_scripts
from recognizers.glyphs.digits import GlyphReading
from recognizers.reader.decode import Reading

# the fake detectors below find boxes on the page as drawn: it is neither cut out nor levelled
AS_DRAWN = {"crop_letter": False, "deskew_min_angle": None}


def test_page_script_is_the_majority_of_its_readings():
    scripts = ["arabic", "arabic", "persian", None, "persian", None, "arabic", "persian"]
    pages = [0, 0, 0, 0, 1, 1, 2, 2]
    assert page_scripts(scripts, pages) == {0: "arabic", 1: "persian", 2: None}  # 2: a tie


def test_only_pages_that_showed_arabic_digits_are_reordered():
    readings = [Reading("1", 1.0, script="arabic"), Reading("1", 1.0), Reading("4", 1.0, script="persian")]
    assert arabic_digit_pages(readings, [5, 5, 6]) == {5}
    assert in_arabic_order(Reading("501-138", 0.7, True, None)) == Reading("138-501", 0.7, True, None)
    assert in_arabic_order(GlyphReading("24-2655", 0.5, ())).text == "2655-24"
    assert in_arabic_order(None) is None
    assert in_arabic_order(Reading("درخواست ــ وام", 0.9)).text == "درخواست ــ وام"


class _Detector:
    """A number value and a date value on one line of every page."""

    def __call__(self, pages, imgsz=None):
        return [[Detection("number_value", 0.9, (20.0, 10.0, 120.0, 30.0)),
                 Detection("date_value", 0.9, (220.0, 10.0, 320.0, 30.0))] for _ in pages]


class _Reader:
    """Reads the number as its crop shows it; the date shows the page's digit script."""

    def __init__(self, date_script):
        self.date_script = date_script

    def __call__(self, crops, kinds):
        return [Reading("501-138", 0.9, True, None) if kind == "number"
                else Reading("1402/05/12", 0.9, True, self.date_script) for kind in kinds]


def test_a_dashed_number_takes_the_order_of_the_pages_digit_script():
    page = np.full((40, 400, 3), 250, np.uint8)
    page[12:28, 25:115] = 20
    page[12:28, 225:315] = 20
    for script, number in (("arabic", "138-501"), ("persian", "501-138"), (None, "501-138")):
        predictor = DocumentPredictor(_Detector(), _Reader(script), None, PipelineSettings(**AS_DRAWN,
            fusion="crnn_only", extend=(), beside_label=()))
        fields = predictor([page])[0].fields
        assert fields["number"].text == number, script
        assert fields["date"].text == "1402/05/12"
