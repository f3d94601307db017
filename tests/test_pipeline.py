"""The pipeline's plumbing: inputs of every kind (and every kind of bad input), rows, resume, CLI."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from pipeline.io import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    ImageTooLargeError,
    InputDirError,
    UnsupportedFileError,
    list_inputs,
    open_pages,
)
from pipeline.predictor import PageReading
from pipeline.run import run
from pipeline.types import CSV_COLUMNS, FIELDS
from tests.conftest import CONF_DIR


def page_image(seed: int, size=(600, 420)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.full((*size, 3), 245, np.uint8)
    cv2.putText(img, f"page {seed}", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (20, 20, 20), 3)
    img[rng.integers(100, 500), 40:380] = 0
    return img


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    """A folder with good files of every format and bad files of every kind."""
    root = tmp_path_factory.mktemp("scans")
    (root / "sub").mkdir()
    Image.fromarray(page_image(1)).save(root / "a.jpg", quality=90)
    Image.fromarray(page_image(2)[:, :, 0]).save(root / "b_grey.png")
    Image.fromarray(page_image(3)).save(root / "sub" / "c.bmp")
    Image.fromarray(page_image(4)).save(root / "sub" / "d.webp")
    frames = [Image.fromarray(page_image(s)) for s in (5, 6, 7)]
    frames[0].save(root / "e_three.tif", save_all=True, append_images=frames[1:])
    pdf_pages = [Image.fromarray(page_image(s)) for s in (8, 9)]
    pdf_pages[0].save(root / "f_two.pdf", save_all=True, append_images=pdf_pages[1:], resolution=72)
    (root / "g_empty.jpg").write_bytes(b"")
    good = (root / "a.jpg").read_bytes()
    (root / "h_truncated.jpg").write_bytes(good[: len(good) // 3])
    (root / "i_text.png").write_text("this is not an image", encoding="utf-8")
    Image.fromarray(np.full((3000, 2500), 255, np.uint8)).save(root / "j_huge.png")  # > max_pixels below
    _encrypted_pdf(root / "f_two.pdf", root / "k_locked.pdf")
    (root / "l_broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    Image.fromarray(np.zeros((300, 200, 3), np.uint8)).save(
        root / "m_black.png"
    )  # the fake predictor fails it
    (root / "notes.txt").write_text("skip me", encoding="utf-8")
    return root


def _encrypted_pdf(source: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    with open(target, "wb") as f:
        writer.write(f)


EXPECTED = {  # (source, page) -> status or the error type in the message
    ("a.jpg", 1): "no_fields",
    ("b_grey.png", 1): "no_fields",
    ("e_three.tif", 1): "no_fields",
    ("e_three.tif", 2): "no_fields",
    ("e_three.tif", 3): "no_fields",
    ("f_two.pdf", 1): "no_fields",
    ("f_two.pdf", 2): "no_fields",
    ("g_empty.jpg", 1): "EmptyFileError",
    ("h_truncated.jpg", 1): "CorruptFileError",
    ("i_text.png", 1): "UnsupportedFileError",
    ("j_huge.png", 1): "ImageTooLargeError",
    ("k_locked.pdf", 1): "EncryptedFileError",
    ("l_broken.pdf", 1): "CorruptFileError",
    ("m_black.png", 1): "RuntimeError",
    ("sub/c.bmp", 1): "no_fields",
    ("sub/d.webp", 1): "no_fields",
}


class FakePredictor:
    """Stands in for the models: finds nothing, and fails on an all-black page."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.calls: list[int] = []

    def locate(self, pages):
        self.calls.append(len(pages))
        if any(p.max() == 0 for p in pages):
            raise RuntimeError("model failure on a black page")
        return len(pages)

    def finish(self, pages, located):
        return [PageReading({}, [], 0) for _ in range(located)]


def nameh_cfg(*overrides: str):
    from hydra import compose, initialize_config_dir

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        return compose(config_name="nameh", overrides=["progress=false", *overrides])


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- files -----------------------------------------------------------------------------------
def test_listing_is_recursive_sorted_and_skips_other_files(scans):
    files, skipped = list_inputs(scans)
    names = [p.relative_to(scans).as_posix() for p in files]
    assert names == sorted(names) and "sub/c.bmp" in names and "sub/d.webp" in names
    assert [p.name for p in skipped] == ["notes.txt"]


@pytest.mark.parametrize(
    ("name", "pages"), [("a.jpg", 1), ("e_three.tif", 3), ("f_two.pdf", 2), ("b_grey.png", 1)]
)
def test_every_page_comes_out_as_rgb(scans, name, pages):
    out = list(open_pages(scans / name, pdf_dpi=72))
    assert [n for n, _ in out] == list(range(1, pages + 1))
    assert all(img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3 for _, img in out)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("g_empty.jpg", EmptyFileError),
        ("h_truncated.jpg", CorruptFileError),
        ("i_text.png", UnsupportedFileError),
        ("j_huge.png", ImageTooLargeError),
        ("k_locked.pdf", EncryptedFileError),
        ("l_broken.pdf", CorruptFileError),
    ],
)
def test_each_kind_of_bad_file_has_its_error(scans, name, error):
    with pytest.raises(error, match=name):
        list(open_pages(scans / name, pdf_dpi=72, max_pixels=5_000_000))


def test_a_non_image_stays_unsupported_once_ultralytics_is_loaded(scans):
    from detectors.offline import load_ultralytics

    load_ultralytics()  # ultralytics patches PIL.Image.open (pip-installs a HEIF plugin); nameh undoes it
    with pytest.raises(UnsupportedFileError):
        list(open_pages(scans / "i_text.png"))


def test_missing_or_empty_folder_is_an_input_dir_error(tmp_path):
    with pytest.raises(InputDirError, match="not found"):
        list_inputs(tmp_path / "nope")
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(InputDirError, match="no scans"):
        list_inputs(tmp_path)


# --- the run -----------------------------------------------------------------------------------
def test_every_page_and_every_bad_file_gets_its_row(scans, tmp_path):
    summary = run(
        nameh_cfg(f"input_dir={scans}", f"output_dir={tmp_path}", "pdf_dpi=72", "max_pixels=5000000"),
        FakePredictor(),
    )
    rows = read_csv(tmp_path / "metadata.csv")
    assert list(rows[0]) == list(CSV_COLUMNS)
    got = {(r["source"], int(r["page"])): (r["status"], r["error"]) for r in rows}
    assert set(got) == set(EXPECTED) and len(rows) == len(EXPECTED)
    for key, want in EXPECTED.items():
        status, error = got[key]
        assert status == want if want == "no_fields" else (status == "error" and error.startswith(want)), key
    assert summary.skipped_files == ["notes.txt"] and summary.pages == len(EXPECTED)
    assert len((tmp_path / "detections.jsonl").read_text(encoding="utf-8").splitlines()) == len(EXPECTED)


def test_rerun_replaces_and_resume_skips_finished_pages(scans, tmp_path):
    cfg = [f"input_dir={scans}", f"output_dir={tmp_path}", "pdf_dpi=72", "max_pixels=5000000"]
    run(nameh_cfg(*cfg), FakePredictor())
    run(nameh_cfg(*cfg), FakePredictor())  # no resume: starts afresh, no duplicates
    assert len(read_csv(tmp_path / "metadata.csv")) == len(EXPECTED)
    # an interrupted run: 3 rows written and half of a fourth
    lines = (tmp_path / "metadata.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "metadata.csv").write_text("".join(lines[:4]) + lines[4][:10], encoding="utf-8")
    fake = FakePredictor()
    summary = run(nameh_cfg(*cfg, "resume=true"), fake)
    rows = read_csv(tmp_path / "metadata.csv")
    assert summary.resumed == 3 and len(rows) == len(EXPECTED)
    assert len({(r["source"], r["page"]) for r in rows}) == len(rows)


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_cli_exits_2_without_scans(tmp_path, make):
    folder = tmp_path / "in"
    if make == "empty":
        folder.mkdir()
    command = [
        sys.executable,
        "-m",
        "pipeline.cli",
        f"input_dir={folder}",
        f"hydra.run.dir={tmp_path / 'run'}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=Path(CONF_DIR).parent)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-2000:]
    assert ("not found" if make == "missing" else "no scans") in output


# --- end to end with the shipped weights -------------------------------------------------------
def test_end_to_end_reads_generated_pages(geometry_corpus, tmp_path):
    """The shipped models on 8 generated pages (one turned upside down, one fed crooked) against
    their truth."""
    from pipeline.evaluate import evaluate

    scans = tmp_path / "in"
    scans.mkdir()
    images = sorted((geometry_corpus / "yolo" / "images").iterdir())
    for i, path in enumerate(images):
        image = Image.open(path)
        if i == 0:
            image = image.rotate(180)
        elif i == 1:  # 6 degrees counter-clockwise: levelled first (pipeline.deskew)
            image = image.convert("RGB").rotate(6, expand=True, fillcolor=(255, 255, 255))
        elif i == 2:  # black borders 80 px wide: cut off first (pipeline.margins)
            image = Image.fromarray(np.pad(np.asarray(image.convert("RGB")), ((80, 80), (80, 80), (0, 0))))
        image.save(scans / path.name)
    summary = run(nameh_cfg(f"input_dir={scans}", f"output_dir={tmp_path / 'out'}"))
    rows = read_csv(tmp_path / "out" / "metadata.csv")
    assert len(rows) == len(images) == summary.pages
    assert all(r["status"] in ("ok", "partial") for r in rows), [
        (r["source"], r["status"], r["error"]) for r in rows
    ]
    traces = [__import__("json").loads(line) for line in (tmp_path / "out" / "detections.jsonl").open()]
    assert {t["source"]: t["rotation"] for t in traces}[images[0].name] == 180
    assert -10.0 < {t["source"]: t["skew"] for t in traces}[images[1].name] < -2.0
    left, top, right, bottom = {t["source"]: t["region"] for t in traces}[images[2].name]
    w, h = Image.open(images[2]).size  # the borders cut off, on the page as loaded
    assert 80 <= left < 100 and 80 <= top < 100 and 60 + w < right <= 80 + w and 60 + h < bottom <= 80 + h
    by_source = {r["source"]: r for r in rows}
    truth = {r["source"]: r for r in read_csv(geometry_corpus / "truth.csv")}
    for image in images[1:3]:  # levelled or cut out, and read as the others are
        assert [by_source[image.name][f] for f in FIELDS] == [truth[image.name][f] for f in FIELDS]
    report = evaluate(geometry_corpus / "truth.csv", tmp_path / "out" / "metadata.csv")
    assert report["fields"]["date"]["accuracy"] >= 0.75, report
    assert report["fields"]["number"]["accuracy"] >= 0.75, report
