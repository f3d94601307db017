import csv
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from data.synth.corpus import GLYPH_CLASSES, TRUTH_COLUMNS, CorpusConfig, CorpusGenerator
from data.synth.layout import YOLO_CLASSES
from recognizers.charset import Charset
from tests.conftest import synth_cfg


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_boxes(corpus: Path, name: str, shape) -> list[tuple[str, int, int, int, int]]:
    h, w = shape[:2]
    boxes = []
    for line in (corpus / "yolo" / "labels" / f"{name}.txt").read_text().splitlines():
        c, x, y, bw, bh = line.split()
        x, y, bw, bh = float(x) * w, float(y) * h, float(bw) * w, float(bh) * h
        boxes.append((YOLO_CLASSES[int(c)], round(x - bw / 2), round(y - bh / 2),
                      round(x + bw / 2), round(y + bh / 2)))
    return boxes


def test_same_seed_same_bytes_whatever_the_worker_count(tmp_path):
    from data.synth.cli import generate

    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(synth_cfg(f"out={a}", "pages=4", "seed=11", "workers=1"))
    generate(synth_cfg(f"out={b}", "pages=4", "seed=11", "workers=2"))
    generate(synth_cfg(f"out={c}", "pages=4", "seed=12", "workers=1"))
    digest_a, digest_b = tree_digest(a), tree_digest(b)
    assert digest_a == digest_b
    assert digest_a["yolo/images/p000000.jpg"] != tree_digest(c).get("yolo/images/p000000.jpg")


def test_every_class_appears(small_corpus):
    manifest = json.loads((small_corpus / "manifest.json").read_text())
    assert set(manifest["field_boxes"]) == set(YOLO_CLASSES)
    for name in GLYPH_CLASSES:
        assert list((small_corpus / "glyphs" / name).glob("*.png")), f"no crop of glyph class {name}"
    labels = json.loads((small_corpus / "glyphs" / "classes.json").read_text())
    assert labels["slash"] == "/" and labels["dash"] == "-" and labels["underscore"] == "_"


def test_truth_csv_columns_and_values(small_corpus):
    with open(small_corpus / "truth.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == TRUTH_COLUMNS
    assert len(rows) == 16
    for row in rows:
        assert (small_corpus / "yolo" / "images" / row["source"]).is_file()
        assert row["page"] == "1"
        for value in (row["number"], row["date"], row["attachment"]):
            assert Charset().normalise(value) == value  # ASCII digits, Persian letter forms
        assert bool(row["date"]) == bool(row["date_gregorian"])


def test_line_crops_carry_the_truth_of_their_field(small_corpus):
    with open(small_corpus / "truth.csv", encoding="utf-8") as f:
        truth = {r["source"]: r for r in csv.DictReader(f)}
    with open(small_corpus / "lines.tsv", encoding="utf-8") as f:
        lines = list(csv.DictReader(f, delimiter="\t"))
    kinds = {r["kind"] for r in lines}
    assert {"number_value", "date_value", "attachment_value", "title_value", "body",
            "distractor"} <= kinds
    for row in lines:
        image = cv2.imread(str(small_corpus / row["path"]), cv2.IMREAD_UNCHANGED)
        assert image is not None and image.ndim == 2 and min(image.shape) >= 2
        assert row["text"] == Charset().normalise(row["printed"])
        if row["kind"] in ("number_value", "attachment_value", "title_value"):
            assert row["text"] == truth[row["source"]][row["kind"].removesuffix("_value")]


def test_field_boxes_sit_tight_on_their_ink(geometry_corpus):
    """Each box holds ink on all four edges, and no ink of its own lies just outside it."""
    checked = 0
    for image_path in sorted((geometry_corpus / "yolo" / "images").iterdir()):
        gray = cv2.imread(str(image_path), cv2.IMREAD_GRAYSCALE)
        ink = gray < 140  # solid ink
        trace = gray < 215  # any ink, faint antialiased edges included (paper is lighter)
        boxes = read_boxes(geometry_corpus, image_path.stem, gray.shape)
        others = np.zeros_like(ink)
        for _, x0, y0, x1, y1 in boxes:
            others[max(y0 - 1, 0):y1 + 1, max(x0 - 1, 0):x1 + 1] = True
        for name, x0, y0, x1, y1 in boxes:
            assert ink[y0:y1, x0:x1].any(), f"{image_path.name}: empty {name} box"
            inside = trace[y0:y1, x0:x1]
            edges = [inside[:2].any(), inside[-2:].any(), inside[:, :2].any(), inside[:, -2:].any()]
            assert all(edges), f"{image_path.name}: {name} box is loose: {edges}"
            ring = np.zeros_like(ink)
            ring[max(y0 - 4, 0):y1 + 4, max(x0 - 4, 0):x1 + 4] = True
            ring[max(y0 - 1, 0):y1 + 1, max(x0 - 1, 0):x1 + 1] = False
            stray = ink & ring & ~others
            assert stray.sum() <= 3, f"{image_path.name}: {name} leaves {stray.sum()} ink px out"
            checked += 1
    assert checked >= 40


def test_label_words_vary_by_config():
    """A date labelled مورخ: its field box keeps the date_label class, its glyph crop is `dated`."""
    cfg = CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf"])
    cfg.layout.label_words = {**cfg.layout.label_words, "date": {"مورخ": 1.0}}
    cfg.layout.field_missing_p = {f: 0.0 for f in cfg.layout.field_missing_p}
    objects = CorpusGenerator(cfg).page(0).composition.objects
    labels = [o for o in objects if o.kind == "field" and o.name == "date_label"]
    assert [o.text for o in labels] == ["مورخ"]
    assert "dated" in {o.name for o in objects if o.kind == "glyph"}


def test_glyphs_faded_off_the_scan_give_no_crop(tmp_path):
    """A glyph whose ink is gone from the scan has no class: no crop is written for it."""
    generator = CorpusGenerator(CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf"]))
    record = generator.page(0)
    scan = cv2.cvtColor(record.scan.image, cv2.COLOR_RGB2GRAY) if record.scan.image.ndim == 3 \
        else record.scan.image.copy()
    for folder in ("kept", "faded"):
        for name in GLYPH_CLASSES:
            (tmp_path / folder / name).mkdir(parents=True)
    written = generator._write_glyphs(record, scan, np.random.default_rng(0), tmp_path / "kept")
    assert sum(written.values()) > 20
    paper = np.full_like(scan, 247)
    blank = generator._write_glyphs(record, paper, np.random.default_rng(0), tmp_path / "faded")
    assert sum(blank.values()) == 0 and not list((tmp_path / "faded").rglob("*.png"))


def test_glyph_objects_name_their_digit_in_every_script():
    for script in ("persian", "arabic", "ascii"):
        cfg = CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf"])
        cfg.layout.digit_scripts = {script: 1.0}
        page = CorpusGenerator(cfg).page(0)
        digits = [o for o in page.composition.objects if o.kind == "glyph" and o.name.isdigit()]
        assert len(digits) > 20
        for obj in digits:
            assert Charset.digit_value(obj.text) == int(obj.name)
            assert Charset.to_digit_script(obj.text, script) == obj.text


def test_shaping_is_on():
    """A joined Persian word is narrower than its letters drawn apart, and runs right to left."""
    from data.synth.fonts import FontLibrary
    from data.synth.render import InkStyle, render_line

    face = FontLibrary.find(["Vazirmatn-Regular.ttf"], ["/usr/share/fonts",
                                                         "/usr/local/share/fonts"]).faces[0]
    word = "پیوست"
    joined = face.glyph(word, True, 40).advance
    apart = sum(face.glyph(c, True, 40).advance for c in word)
    assert joined < 0.9 * apart
    # right to left: in "شماره ۱۲" the number is drawn left of the word
    ink = render_line(["شماره", "۱۲"], face, 40, InkStyle())
    points = ink.unit_points()
    word_x = points[[u.text for u in ink.units].index("شماره")][:, 0].mean()
    digit_x = points[[u.text for u in ink.units].index("۱")][:, 0].mean()
    assert digit_x < word_x


def test_a_missing_font_is_a_clear_error():
    from data.synth.fonts import FontError, FontLibrary

    with pytest.raises(FontError, match=r"not found.*make setup"):
        FontLibrary.find(["NoSuchFont.ttf"], ["/usr/share/fonts"])


def test_a_font_without_persian_is_refused():
    from data.synth.fonts import FontError, FontLibrary

    with pytest.raises(FontError, match="cannot render Persian"):
        FontLibrary.find(["ae_Arab.ttf"], ["/usr/share/fonts"])


def test_a_face_without_separators_borrows_them_from_the_fallback():
    """Noto Naskh Arabic has no / - _: refused alone, drawn with the fallback's separators."""
    from data.synth.fonts import FontError, FontLibrary
    from data.synth.render import InkStyle, render_line

    dirs = ["/usr/share/fonts", "/usr/local/share/fonts"]
    with pytest.raises(FontError, match="name a fallback font"):
        FontLibrary.find(["NotoNaskhArabic-Regular.ttf"], dirs)
    library = FontLibrary.find(["NotoNaskhArabic-Regular.ttf"], dirs, fallback="DejaVuSans.ttf")
    face = library.faces[0]
    assert face.borrowed == frozenset("/-_") and face.fallback.name == "DejaVuSans.ttf"
    assert face.glyph("/", False, 30) is face.fallback.glyph("/", False, 30)
    assert face.glyph("۴", False, 30) is not face.fallback.glyph("۴", False, 30)
    ink = render_line(["۱۲/۳۴"], face, 30, InkStyle())
    slash = [u.text for u in ink.units].index("/")
    assert len(ink.unit_points()[slash]) > 20  # the slash has ink
    with pytest.raises(FontError, match="fallback font"):
        FontLibrary.find(["Vazirmatn-Regular.ttf"], dirs, fallback="NotoNaskhArabic-Regular.ttf")


def test_zero_pages_is_refused(tmp_path):
    from data.synth.cli import generate

    with pytest.raises(ValueError, match="pages must be at least 1"):
        generate(synth_cfg(f"out={tmp_path}", "pages=0"))


def test_all_text_stays_on_the_page():
    """Wrapping accounts for width scaling and slant: no line runs off the paper."""
    cfg = CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf", "Amiri-Regular.ttf", "titr.ttf"])
    generator = CorpusGenerator(cfg)
    for index in range(12):
        page = generator.composer.compose(np.random.default_rng([5, index]))
        height, width = page.text_ink.shape
        for obj in page.objects:
            assert obj.hull[:, 0].min() >= 0 and obj.hull[:, 0].max() <= width, obj.text
            assert obj.hull[:, 1].min() >= 0 and obj.hull[:, 1].max() <= height, obj.text


def test_title_clearance_moves_the_subject_below_the_lines_above():
    """A subject line whose ink would rise above `min_top` (the recipient's lowest ink plus the
    clearance) is moved down; with nothing above it, it stays on its baseline."""
    from data.synth.layout import PageCanvas, _Fonts

    generator = CorpusGenerator(CorpusConfig(pages=1, fonts=["Vazirmatn-Regular.ttf"]))
    face = generator.fonts.faces[0]
    fonts = _Fonts(face, face, face, face)
    for min_top, moved in ((0, False), (520, True)):
        canvas = PageCanvas(2480, 3508)
        _, baseline = generator.composer._title(canvas, np.random.default_rng(0), fonts, 24.0, 30.0,
                                                2300, 500, "persian", 120, min_top)
        tops = [o.hull[:, 1].min() for o in canvas.objects if o.kind == "field"]
        assert len(tops) == 2 and (baseline > 500) == moved
        assert min(tops) >= min_top
