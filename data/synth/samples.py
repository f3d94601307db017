"""Turn generated pages into the bundled sample scans (`data/samples/`): every input format the
pipeline reads, one page upside down, and a two-page PDF, with the truth renamed to match.

    python -m data.synth.samples --corpus outputs/samples_src --out data/samples

The corpus must have at least 10 pages (make it with `nameh-synth … synth/fonts=heldout`).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
from PIL import Image

from data.synth.corpus import TRUTH_COLUMNS

# sample name, how it is written, the corpus page(s) it holds
PLAN = (
    ("letter_01.jpg", "jpeg", [0]), ("letter_02.jpg", "jpeg", [1]), ("letter_03.jpg", "jpeg", [2]),
    ("letter_04.png", "png_grey", [3]), ("letter_05.tif", "tiff", [4]), ("letter_06.webp", "webp", [5]),
    ("letter_07_upside_down.jpg", "jpeg_180", [6]), ("scans/letter_08.jpg", "jpeg", [7]),
    ("letters_09_10.pdf", "pdf", [8, 9]),
)


def _page(corpus: Path, index: int) -> tuple[Image.Image, str]:
    path = next((corpus / "yolo" / "images").glob(f"*{index:06d}.*"))
    return Image.open(path).convert("RGB"), path.name


def make_samples(corpus: Path, out: Path) -> list[dict[str, str]]:
    truth = {r["source"]: r for r in csv.DictReader(open(corpus / "truth.csv", encoding="utf-8"))}
    rows = []
    for name, kind, indices in PLAN:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        pages = [_page(corpus, i) for i in indices]
        image = pages[0][0]
        if kind == "jpeg":
            image.save(target, quality=85)
        elif kind == "jpeg_180":
            Image.fromarray(np.ascontiguousarray(np.asarray(image)[::-1, ::-1])).save(target, quality=85)
        elif kind == "png_grey":
            image.convert("L").save(target, optimize=True)
        elif kind == "tiff":
            image.convert("L").save(target, compression="tiff_deflate")
        elif kind == "webp":
            image.save(target, quality=85)
        elif kind == "pdf":
            images = [p[0] for p in pages]
            images[0].save(target, save_all=True, append_images=images[1:], resolution=200, quality=85)
        for number, (_, source) in enumerate(pages, start=1):
            rows.append({**truth[source], "source": name, "page": str(number)})
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, TRUTH_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--out", default="data/samples")
    args = parser.parse_args()
    make_samples(Path(args.corpus), Path(args.out))


if __name__ == "__main__":
    main()
