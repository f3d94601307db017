"""The glyph classifier, the digit reader and the CRNN reader: predictors, checkpoints, training."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from hydra import compose, initialize_config_dir

from data.synth.classes import GLYPH_CLASSES
from recognizers.charset import DEFAULT_ALPHABET, Charset
from recognizers.checkpoint import CheckpointError, save_checkpoint
from recognizers.glyphs.digits import DigitReader, split_glyphs
from recognizers.glyphs.model import GlyphResNet
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.reader.model import CRNN
from recognizers.reader.predictor import TextReader
from tests.conftest import CONF_DIR

BAD_CROPS = [
    ([np.zeros((20, 20), np.float32)], "uint8"),
    ([np.zeros((20, 20, 2), np.uint8)], "shape"),
    ([np.zeros((1, 20), np.uint8)], "at least 2"),
    ([np.zeros(20, np.uint8)], "shape"),
    (["not an image"], "numpy array"),
    (np.zeros((2, 20, 20), np.uint8), "list of crops"),
]


@pytest.fixture(scope="module")
def untrained_glyphs(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("w") / "glyphs.pt"
    args = {"num_classes": len(GLYPH_CLASSES), "width": 4, "blocks": (1, 1, 1, 1)}
    save_checkpoint(
        path,
        "glyphs",
        args,
        GlyphResNet(**args).state_dict(),
        {"classes": list(GLYPH_CLASSES), "symbols": list(GLYPH_CLASSES), "height": 40, "width": 80},
    )
    return path


@pytest.fixture(scope="module")
def untrained_reader(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("w") / "reader.pt"
    args = {"num_classes": Charset().num_classes, "height": 32, "width": 4, "hidden": 8, "layers": 1}
    save_checkpoint(
        path,
        "reader",
        args,
        CRNN(**args).state_dict(),
        {"alphabet": DEFAULT_ALPHABET, "height": 32, "max_width": 400},
    )
    return path


# --- predictors --------------------------------------------------------------------------------
def test_glyph_classifier_takes_grey_and_rgb_and_empty(untrained_glyphs):
    classifier = GlyphClassifier.load(untrained_glyphs)
    assert classifier([]) == []
    out = classifier([np.full((30, 20), 255, np.uint8), np.zeros((30, 90, 3), np.uint8)])
    assert len(out) == 2 and all(p.label in GLYPH_CLASSES and 0 <= p.confidence <= 1 for p in out)
    assert classifier.times.crops == 2


@pytest.mark.parametrize(("crops", "message"), BAD_CROPS)
def test_glyph_classifier_rejects_bad_crops(untrained_glyphs, crops, message):
    with pytest.raises(ValueError, match=message):
        GlyphClassifier.load(untrained_glyphs)(crops)


def test_text_reader_takes_grey_and_rgb_and_empty(untrained_reader):
    reader = TextReader.load(untrained_reader)
    assert reader([]) == []
    out = reader([np.full((30, 200), 255, np.uint8), np.zeros((25, 60, 3), np.uint8)], kinds=["date", None])
    assert len(out) == 2 and all(0 <= r.confidence <= 1 for r in out)
    assert out[0].valid in (True, False) and out[1].valid is None


@pytest.mark.parametrize(("crops", "message"), BAD_CROPS)
def test_text_reader_rejects_bad_crops(untrained_reader, crops, message):
    with pytest.raises(ValueError, match=message):
        TextReader.load(untrained_reader)(crops)


def test_text_reader_needs_one_kind_per_crop(untrained_reader):
    with pytest.raises(ValueError, match="kinds"):
        TextReader.load(untrained_reader)([np.zeros((20, 20), np.uint8)], kinds=[])


def test_a_checkpoint_whose_alphabet_differs_from_the_config_fails_clearly(untrained_reader):
    with pytest.raises(CheckpointError, match="alphabet differs"):
        TextReader.load(untrained_reader, alphabet="0123456789/")
    TextReader.load(untrained_reader, alphabet=DEFAULT_ALPHABET)  # the same alphabet loads


def test_a_checkpoint_of_the_other_kind_or_no_file_fails_clearly(untrained_glyphs, tmp_path):
    with pytest.raises(CheckpointError, match="holds a 'glyphs' model"):
        TextReader.load(untrained_glyphs)
    with pytest.raises(CheckpointError, match="no checkpoint"):
        GlyphClassifier.load(tmp_path / "missing.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        GlyphClassifier.load(tmp_path / "junk.pt")


@pytest.fixture(scope="module")
def untrained_reader_onnx(untrained_reader, tmp_path_factory) -> Path:
    from recognizers.reader.onnx_reader import export_reader

    torch.manual_seed(0)
    return export_reader(untrained_reader, tmp_path_factory.mktemp("w") / "reader.onnx")


def test_the_onnx_export_reads_like_its_checkpoint(untrained_reader, untrained_reader_onnx):
    from recognizers.reader.onnx_reader import OnnxCRNN

    rng = np.random.default_rng(0)
    crops = [rng.integers(0, 256, (int(h), int(w)), dtype=np.uint8)
             for h, w in [(30, 300), (25, 40), (40, 120), (12, 9), (33, 700)]]
    kinds = ["title", "date", "number", None, "title"]
    checkpoint, export = TextReader.load(untrained_reader), TextReader.load(untrained_reader_onnx)
    assert isinstance(export.model, OnnxCRNN) and export.charset.alphabet == checkpoint.charset.alphabet
    inputs = checkpoint.preprocess(crops)
    for a, b in zip(checkpoint.inference(inputs), export.inference(inputs), strict=True):
        assert a.shape == b.shape and np.abs(a - b).max() < 1e-3
    assert [r.text for r in checkpoint(crops, kinds)] == [r.text for r in export(crops, kinds)]


def test_the_shipped_onnx_reader_is_the_export_of_the_shipped_checkpoint():
    """The pipeline reads with reader.onnx; it must be the export of reader.pt as shipped."""
    weights = Path(__file__).resolve().parents[1] / "recognizers" / "weights"
    checkpoint, export = TextReader.load(weights / "reader.pt"), TextReader.load(weights / "reader.onnx")
    assert export.meta == checkpoint.meta
    rng = np.random.default_rng(1)
    inputs = checkpoint.preprocess([rng.integers(0, 256, (36, w), dtype=np.uint8) for w in (90, 400)])
    for a, b in zip(checkpoint.inference(inputs), export.inference(inputs), strict=True):
        assert a.shape == b.shape and np.abs(a - b).max() < 1e-3


def test_an_onnx_reader_is_checked_like_a_checkpoint(untrained_reader_onnx, tmp_path):
    with pytest.raises(CheckpointError, match="alphabet differs"):
        TextReader.load(untrained_reader_onnx, alphabet="0123456789/")
    detector = Path(__file__).resolve().parents[1] / "detectors" / "weights" / "fields.onnx"
    with pytest.raises(CheckpointError, match="not a nameh reader export"):
        TextReader.load(detector)
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(CheckpointError, match="not a readable ONNX model"):
        TextReader.load(tmp_path / "junk.onnx")
    with pytest.raises(CheckpointError, match="no checkpoint"):
        TextReader.load(tmp_path / "missing.onnx")


# --- glyph splitting ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["۱۴۰۲/۰۵/۱۲", "1402/05/12", "٩٨٧٦-١٢"])
def test_a_rendered_number_splits_into_one_box_per_character(text):
    from data.synth.fonts import FontLibrary
    from data.synth.render import InkStyle, render_line

    faces = FontLibrary.find(
        ["Vazirmatn-Regular.ttf", "nazli.ttf"], ["/usr/share/fonts", "/usr/local/share/fonts"]
    )
    for face in faces.faces:
        ink = render_line([text], face, 28, InkStyle())
        crop = np.pad(255 - ink.mask, 6, constant_values=255)
        boxes = split_glyphs(crop)
        assert len(boxes) == len(text), (face.name, boxes)
        assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)


def test_a_slash_leaning_over_a_digit_stays_its_own_glyph_and_a_dot_joins_its_glyph():
    crop = np.full((40, 60), 255, np.uint8)
    crop[6:22, 9:13] = 0                                       # a short digit ...
    for y in range(6, 34):                                     # ... and a slash leaning below it
        x = 22 - (y - 6) * 12 // 27
        crop[y, x:x + 3] = 0
    crop[8:32, 40:44] = 0
    crop[2:5, 40:43] = 0                                       # a dot above the last stroke
    boxes = split_glyphs(crop)
    assert boxes[0] == (9, 6, 13, 22) and boxes[1][0] == 10, boxes   # apart, though they overlap
    assert boxes[2:] == [(40, 2, 44, 32)]


def test_paper_grain_is_no_writing_but_a_faint_stroke_on_it_is():
    rng = np.random.default_rng(0)
    grain = np.clip(rng.normal(236, 8, (50, 200)), 0, 255).astype(np.uint8)
    assert split_glyphs(grain) == []
    written = grain.copy()
    written[10:40, 90:96] = 170                                  # a faded stroke
    assert [b[0] for b in split_glyphs(written)] == [90]


def test_digit_reader_on_blank_and_empty_input(untrained_glyphs):
    reader = DigitReader(GlyphClassifier.load(untrained_glyphs))
    assert reader([]) == []
    blank = reader([np.full((30, 100), 255, np.uint8)])[0]
    assert blank.text == "" and blank.boxes == () and blank.confidence == 0.0


# --- configs and training ----------------------------------------------------------------------
def compose_task(name: str, *overrides: str):
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        return compose(config_name=name, overrides=list(overrides))


@pytest.mark.parametrize("name", ["train_glyphs", "train_reader"])
def test_training_configs_match_the_code(name):
    from dataclasses import asdict

    from recognizers.augment import CropAugmenter
    from recognizers.training import TrainSettings

    cfg = compose_task(name, "out=/tmp/unused")
    assert set(asdict(TrainSettings())) <= set(cfg.trainer)
    assert set(cfg.trainer.augment) == set(asdict(CropAugmenter()))


def test_glyph_training_runs_resumes_and_loads(small_corpus, tmp_path):
    from recognizers.glyphs.train import train_glyphs

    args = [
        f"out={tmp_path}",
        f"data.train=[{small_corpus}]",
        f"data.val={small_corpus}",
        "data.limit_per_class=20",
        "data.val_limit_per_class=5",
        "glyphs.width=4",
        "glyphs.blocks=[1,1,1,1]",
        "trainer.samples_per_epoch=64",
        "trainer.batch=32",
    ]
    train_glyphs(compose_task("train_glyphs", *args, "trainer.epochs=1"))
    train_glyphs(compose_task("train_glyphs", *args, "trainer.epochs=2"))  # resumes at epoch 2
    rows = list(csv.DictReader(open(tmp_path / "metrics.csv", encoding="utf-8")))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    classifier = GlyphClassifier.load(tmp_path / "best.pt")
    assert classifier.classes == tuple(GLYPH_CLASSES) and classifier.meta["train"]["glyphs"]["width"] == 4
    assert (tmp_path / "report.json").is_file()


def test_reader_training_runs_one_step_and_loads(small_corpus, tmp_path):
    from recognizers.reader.train import train_reader

    torch.manual_seed(0)
    train_reader(
        compose_task(
            "train_reader",
            f"out={tmp_path}",
            f"data.train=[{small_corpus}]",
            f"data.val={small_corpus}",
            "data.limit=24",
            "data.val_limit=8",
            "reader.width=4",
            "reader.hidden=8",
            "reader.layers=1",
            "trainer.epochs=1",
            "trainer.samples_per_epoch=8",
            "trainer.batch=8",
        )
    )
    reader = TextReader.load(tmp_path / "best.pt", alphabet=DEFAULT_ALPHABET)
    assert reader.height == 40 and reader.meta["train_lines"] == 24
    assert len(reader([np.full((40, 120), 255, np.uint8)])) == 1


def test_loading_a_reader_caps_onednn_shape_cache_unless_set(monkeypatch):
    """Crops of every width filled oneDNN's per-shape cache (0.9 GB over 2,400 crops)."""
    from recognizers.stages import ONEDNN_CACHE_ENV, limit_onednn_cache

    monkeypatch.delenv(ONEDNN_CACHE_ENV, raising=False)
    limit_onednn_cache()
    assert os.environ[ONEDNN_CACHE_ENV] == "64"
    monkeypatch.setenv(ONEDNN_CACHE_ENV, "8")
    limit_onednn_cache()
    assert os.environ[ONEDNN_CACHE_ENV] == "8"


def test_crop_stretch_changes_the_width_alone_and_stays_in_range():
    from recognizers.augment import CropAugmenter

    crop = np.full((30, 100), 255, np.uint8)
    crop[10:20, 10:90] = 0
    only_stretch = CropAugmenter(
        p_stroke=0, p_affine=0, p_stretch=1.0, stretch=1.25, p_resample=0, p_blur=0, p_noise=0,
        p_contrast=0, p_jpeg=0, p_margin=0,
    )
    rng = np.random.default_rng(0)
    widths = {only_stretch.apply(crop, rng).shape for _ in range(40)}
    assert {h for h, _ in widths} == {30}
    assert min(w for _, w in widths) >= 80 and max(w for _, w in widths) <= 125
    assert len(widths) > 5  # it does vary
    assert CropAugmenter(p_stretch=0.0, p_margin=0).apply(crop, rng).shape == (30, 100)


def test_crop_warp_moves_ink_a_little_and_keeps_the_size():
    from recognizers.augment import CropAugmenter

    crop = np.full((40, 160), 255, np.uint8)
    crop[15:25, 20:140] = 0
    only_warp = CropAugmenter(
        p_stroke=0, p_affine=0, p_stretch=0, p_warp=1.0, warp=0.06, p_resample=0, p_blur=0,
        p_noise=0, p_contrast=0, p_jpeg=0, p_margin=0,
    )
    rng = np.random.default_rng(0)
    for _ in range(10):
        out = only_warp.apply(crop, rng)
        assert out.shape == crop.shape and out.dtype == np.uint8
        moved = np.abs(out.astype(int) - crop).mean()
        assert 0 < moved < 40  # the bar bends: some pixels change, most do not
        ink_rows = np.nonzero((out < 128).any(axis=1))[0]
        assert ink_rows.min() >= 15 - 3 and ink_rows.max() <= 24 + 3  # by at most 0.06 x 40 px
    off = CropAugmenter(p_stroke=0, p_affine=0, p_warp=0.0, p_resample=0, p_blur=0, p_noise=0,
                        p_contrast=0, p_jpeg=0, p_margin=0)
    assert np.array_equal(off.apply(crop, rng), crop)
