"""Overlay images: a page with its detected boxes and the values read, for checking by eye.

Example:
    >>> save_overlay(page, result, Path("outputs/run/overlays"))        # doctest: +SKIP
"""

from __future__ import annotations

import functools
import logging
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

from pipeline.types import PageResult

log = logging.getLogger(__name__)
COLOURS = {
    "number": (220, 40, 40),
    "date": (30, 120, 220),
    "attachment": (30, 160, 60),
    "title": (200, 120, 0),
}


@functools.lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.ImageFont:
    """A font with Persian glyphs (Vazirmatn through fontconfig), shaped by raqm when Pillow has it."""
    try:
        path = subprocess.run(
            ["fc-match", "-f", "%{file}", "Vazirmatn:lang=fa"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
        return ImageFont.truetype(path, size, layout_engine=engine)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("no Persian font for overlays (%s): values are drawn with the default font", error)
        return ImageFont.load_default(size)


def draw_overlay(page: np.ndarray, result: PageResult) -> Image.Image:
    """The page with every detection's box and, beside each field's value box, what was read."""
    image = Image.fromarray(page if page.ndim == 3 else np.stack([page] * 3, axis=2)).convert("RGB")
    draw = ImageDraw.Draw(image)
    scale = max(1, image.width // 1000)
    for det in result.detections:
        field = det["label"].rsplit("_", 1)[0]
        draw.rectangle(det["box"], outline=COLOURS.get(field, (128, 128, 128)), width=2 * scale)
    font = _font(18 * scale)
    for name, f in result.fields.items():
        text = f"{name}: {f.text or '?'} ({f.confidence:.2f}{'' if f.valid else ', invalid'})"
        x0, y0 = f.box[0], max(0, f.box[1] - 24 * scale)
        draw.text(
            (x0, y0), text, fill=COLOURS[name], font=font, direction="ltr" if features.check("raqm") else None
        )
    return image


def save_overlay(page: np.ndarray, result: PageResult, folder: Path) -> Path:
    """Write the overlay as `<folder>/<source with / as __>_p<page>.jpg`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.source.replace('/', '__')}_p{result.page}.jpg"
    draw_overlay(page, result).save(path, quality=85)
    return path
