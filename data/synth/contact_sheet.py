"""`nameh-contact-sheets`: look at a corpus. Tiles pages (with their field boxes) and crops.

    nameh-contact-sheets corpus=outputs/demo out=data/contact_sheets

writes `pages.png` (12 pages, boxes drawn in colour per class) and `crops.png` (glyph crops by
class, and line crops with their text printed beneath, shaped right to left).
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import cv2
import hydra
import numpy as np
from omegaconf import DictConfig
from PIL import Image, ImageDraw, ImageFont

from data.synth.classes import GLYPH_CLASSES, YOLO_CLASSES

log = logging.getLogger(__name__)
CONF_DIR = str(Path(__file__).resolve().parents[2] / "conf")
CLASS_COLOURS = [(220, 40, 40), (250, 140, 0), (30, 120, 220), (0, 180, 200), (150, 60, 200),
                 (230, 60, 170), (40, 160, 60), (120, 120, 0)]


def page_sheet(corpus: Path, pages: int, columns: int = 4, width: int = 480) -> np.ndarray:
    """RGB sheet of the first `pages` scans of `corpus`, field boxes drawn."""
    images = sorted((corpus / "yolo" / "images").iterdir())[:pages]
    if not images:
        raise FileNotFoundError(f"no pages under {corpus / 'yolo' / 'images'}")
    tiles = []
    for path in images:
        image = cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        h, w = image.shape[:2]
        label_file = corpus / "yolo" / "labels" / f"{path.stem}.txt"
        for line in label_file.read_text().splitlines():
            c, x, y, bw, bh = (float(v) for v in line.split())
            p0 = (int((x - bw / 2) * w) - 2, int((y - bh / 2) * h) - 2)
            p1 = (int((x + bw / 2) * w) + 2, int((y + bh / 2) * h) + 2)
            cv2.rectangle(image, p0, p1, CLASS_COLOURS[int(c)], max(2, w // 400))
        tile = cv2.resize(image, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
        tiles.append(tile)
    tile_h = max(t.shape[0] for t in tiles)
    tiles = [np.pad(t, ((0, tile_h - t.shape[0]), (0, 0), (0, 0)), constant_values=255)
             for t in tiles]
    tiles += [np.full_like(tiles[0], 255)] * (-len(tiles) % columns)
    rows = [np.concatenate(tiles[i:i + columns], axis=1) for i in range(0, len(tiles), columns)]
    sheet = np.concatenate(rows, axis=0)
    return _legend(sheet)


def _legend(sheet: np.ndarray) -> np.ndarray:
    bar = Image.new("RGB", (sheet.shape[1], 40), "white")
    draw = ImageDraw.Draw(bar)
    font = ImageFont.load_default(size=18)
    x = 10
    for name, colour in zip(YOLO_CLASSES, CLASS_COLOURS, strict=True):
        draw.rectangle((x, 12, x + 16, 28), outline=colour, width=3)
        draw.text((x + 22, 10), name, fill=(0, 0, 0), font=font)
        x += 30 + int(draw.textlength(name, font=font))
    return np.concatenate([np.asarray(bar), sheet], axis=0)


def crop_sheet(corpus: Path, per_class: int, lines: int, font_path: Path) -> np.ndarray:
    """Glyph crops (a row per class) and line crops with their text, as one RGB sheet."""
    cell = 64
    label_font = ImageFont.load_default(size=16)
    rows = []
    for name in GLYPH_CLASSES:
        row = Image.new("RGB", (140 + per_class * (cell + 6), cell + 6), "white")
        ImageDraw.Draw(row).text((6, cell // 2 - 8), name, fill=(0, 0, 0), font=label_font)
        for i, path in enumerate(sorted((corpus / "glyphs" / name).glob("*.png"))[:per_class]):
            crop = Image.open(path).convert("L")
            crop.thumbnail((cell, cell))
            row.paste(crop.convert("RGB"), (140 + i * (cell + 6), 3))
        rows.append(row)
    text_font = ImageFont.truetype(str(font_path), 26, layout_engine=ImageFont.Layout.RAQM)
    with open(corpus / "lines.tsv", encoding="utf-8") as f:
        entries = list(csv.DictReader(f, delimiter="\t"))
    step = max(1, len(entries) // max(lines, 1))
    for entry in entries[::step][:lines]:
        crop = Image.open(corpus / entry["path"]).convert("L")
        crop.thumbnail((900, 70))
        row = Image.new("RGB", (rows[0].width, crop.height + 44), "white")
        row.paste(crop.convert("RGB"), (row.width - crop.width - 6, 2))
        draw = ImageDraw.Draw(row)
        draw.text((row.width - 6, crop.height + 6), entry["printed"], font=text_font,
                  fill=(0, 0, 140), anchor="ra", direction="rtl", language="fa")
        draw.text((6, crop.height + 10), entry["kind"], fill=(110, 110, 110), font=label_font)
        rows.append(row)
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    y = 0
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    return np.asarray(sheet)


def make_sheets(cfg: DictConfig) -> list[Path]:
    """Write pages.png and crops.png for `cfg.corpus` into `cfg.out`."""
    corpus, out = Path(str(cfg.corpus)), Path(str(cfg.out))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    pages = page_sheet(corpus, int(cfg.pages))
    written.append(out / "pages.png")
    Image.fromarray(pages).save(written[-1], optimize=True)
    crops = crop_sheet(corpus, int(cfg.crops_per_class), int(cfg.lines),
                       _find_font(cfg.text_font, list(cfg.font_dirs)))
    written.append(out / "crops.png")
    Image.fromarray(crops).save(written[-1], optimize=True)
    for path in written:
        log.info("wrote %s", path)
    return written


def _find_font(name: str, dirs: list[str]) -> Path:
    from data.synth.fonts import FontLibrary

    return FontLibrary.find([name], dirs).faces[0].path


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="contact_sheets")
def main(cfg: DictConfig) -> None:
    make_sheets(cfg)


if __name__ == "__main__":
    main()
