"""nameh on scans made worse in ways the generator never makes: each corpus page as scanned with
black borders, as a small letter in the corner of a larger scan, fed crooked, and fed crooked
and sideways.

    python benchmarks/scans.py --corpus data/generated/val300 --limit 80 --json outputs/bench/scans.json

For each variant, writes the changed pages (with the corpus' truth) to a temporary folder and runs
`benchmarks/pipeline.py` on them twice: as configured, and without the steps that cut the letter
out of the scan and level it (`crop_letter=false deskew_min_angle=null`). Prints pages with every
field right for each, beside the pages as generated.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import pipeline
from benchmarks.common import subset, write_json
from pipeline.deskew import level_page
from pipeline.types import FIELDS

log = logging.getLogger("benchmarks.scans")
WITHOUT = ["crop_letter=false", "deskew_min_angle=null"]


def black_borders(page: np.ndarray, index: int) -> np.ndarray:
    """A band of near-black 4 % of the page's width on every side (the lid left open)."""
    b = round(0.04 * page.shape[1])
    return cv2.copyMakeBorder(page, b, b, b, b, cv2.BORDER_CONSTANT, value=(20, 20, 20))


def small_letter(page: np.ndarray, index: int) -> np.ndarray:
    """The page in the top right corner of a grey scan 1.45 times its size (an A5 letter on an
    A4 scanner bed)."""
    h, w = page.shape[:2]
    scan = np.full((round(1.45 * h), round(1.45 * w), 3), 235, np.uint8)
    scan[:h, -w:] = page
    return scan


def crooked(page: np.ndarray, index: int) -> np.ndarray:
    """The page turned by 6 degrees, one way or the other by page, on white."""
    return level_page(page, 6.0 if index % 2 == 0 else -6.0, fill=255).image


def sideways_and_crooked(page: np.ndarray, index: int) -> np.ndarray:
    """`crooked`, then a quarter turn counter-clockwise (a letter fed sideways into the scanner)."""
    return np.ascontiguousarray(np.rot90(crooked(page, index)))


VARIANTS: dict[str, Callable[[np.ndarray, int], np.ndarray] | None] = {
    "as generated": None,
    "black borders": black_borders,
    "small letter on a large scan": small_letter,
    "turned 6 degrees": crooked,
    "sideways, turned 6 degrees": sideways_and_crooked,
}


def make_variant(
    corpus: Path, limit: int | None, change: Callable[[np.ndarray, int], np.ndarray], out: Path
) -> Path:
    """The corpus' first `limit` pages, every image changed, as a corpus (yolo/images, truth.csv)
    under `out`; the images keep their names and formats."""
    pages = subset(corpus, limit, out / "subset")
    images = out / "yolo" / "images"
    images.mkdir(parents=True)
    for i, path in enumerate(sorted(pages.iterdir())):
        page = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if page is None:
            raise ValueError(f"{path}: not an image")
        cv2.imwrite(str(images / path.name), change(page, i))
    (out / "truth.csv").write_bytes((out / "subset" / "truth.csv").read_bytes())
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="data/generated/val300")
    parser.add_argument("--limit", type=int, help="only the corpus' first N pages")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    results: dict[str, dict] = {}
    limit = [] if args.limit is None else ["--limit", str(args.limit)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, change in VARIANTS.items():
            corpus = (Path(args.corpus) if change is None else
                      make_variant(Path(args.corpus), args.limit, change, Path(tmp) / name.replace(" ", "_")))
            results[name] = {
                "as configured": pipeline.main(["--corpus", str(corpus), *limit]),
                "without cut-out and levelling": pipeline.main(["--corpus", str(corpus), *limit, *WITHOUT]),
            }
    log.info("%-30s %-30s %s %10s", "scans", "nameh", " ".join(f"{f:>10}" for f in FIELDS), "all right")
    for name, runs in results.items():
        for how, r in runs.items():
            ev = r["evaluation"]
            log.info("%-30s %-30s %s %9.2f%%", name, how,
                     " ".join(f"{100 * ev['fields'][f]['accuracy']:9.2f}%" for f in FIELDS),
                     100 * ev["all_fields_right"])
    report = {
        "command": "python benchmarks/scans.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "corpus": args.corpus,
        "variants": results,
    }
    write_json(args.json, report)
    return report


if __name__ == "__main__":
    main()
