"""`nameh-harvest`: the pipeline's own value crops with their true text, for the reader."""

from __future__ import annotations

import csv
import json

import cv2
import pytest

from benchmarks import recognizers
from pipeline.harvest import covers, harvest
from pipeline.run import build_predictor
from recognizers.dates import parse_jalali
from tests.test_pipeline import nameh_cfg


@pytest.fixture(scope="module")
def predictor():
    return build_predictor(nameh_cfg("input_dir=/tmp/unused"))


def test_crops_come_with_the_corpus_text_of_their_field(geometry_corpus, predictor, tmp_path):
    report = harvest(predictor, geometry_corpus, tmp_path, limit=4)
    rows = list(csv.DictReader(open(tmp_path / "lines.tsv", encoding="utf-8"), delimiter="\t"))
    truth = {r["source"]: r for r in csv.DictReader(open(geometry_corpus / "truth.csv", encoding="utf-8"))}
    assert report.pages == 4 and len(rows) == sum(report.kept.values()) >= 8
    for row in rows:
        field = row["kind"].removesuffix("_value")
        want = truth[row["source"]][field]
        # a date's text is as printed (any order, separator or month name), the CSV's normalised
        got = parse_jalali(row["text"]).iso if field == "date" else row["text"]
        assert got == want, (row, want)
        image = cv2.imread(str(tmp_path / row["path"]), cv2.IMREAD_UNCHANGED)
        assert image is not None and image.ndim == 2 and min(image.shape) >= 2
    assert json.loads((tmp_path / "harvest.json").read_text())["kept"] == dict(report.kept)
    # the reader's benchmark measures such a corpus of line crops alone (no glyph crops in it)
    measured = recognizers.main(["--corpus", str(tmp_path), "--lexicon", "none"])
    assert measured["glyphs"] is None
    assert sum(m["greedy"]["crops"] for m in measured["lines"]["kinds"].values()) == len(rows)
    with pytest.raises(SystemExit, match="no glyph crops"):
        recognizers.main(["--corpus", str(tmp_path), "--lexicon", "none", "--ship"])


def test_a_box_that_cuts_the_value_off_is_not_kept():
    truth = (100.0, 50.0, 300.0, 80.0)
    assert covers((95, 45, 305, 85), truth)
    assert covers((103, 50, 300, 80), truth)  # 3 px in: the paper around the ink
    assert not covers((130, 45, 305, 85), truth)  # a glyph's width cut off at the start
    assert not covers((95, 45, 270, 85), truth)  # ... or at the end
    assert not covers((95, 60, 305, 85), truth)  # the top third of the line off


def test_a_corpus_without_line_crops_is_a_clear_error(tmp_path, predictor):
    with pytest.raises(FileNotFoundError, match=r"lines\.tsv"):
        harvest(predictor, tmp_path, tmp_path / "out")
