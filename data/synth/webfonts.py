"""Turn Fontsource web-font packages (npm) into the TTF files the corpus generator draws with.

Fontsource ships each Google font as WOFF files cut into unicode subsets: the `arabic` file has
the letters and Persian digits, the `latin` file the ASCII digits and separators. A page needs
both in one face (a word processor would draw `/` and `2` in the same font as the letters), so
each weight's two subsets are merged into one TTF named `<Family>-<Weight>.ttf`.

Run by `make setup` after `npm install`:
    python -m data.synth.webfonts NODE_MODULES/@fontsource OUT_DIR markazi-text mirza ...

Example:
    >>> ttf_name("markazi-text", 700)
    'MarkaziText-Bold.ttf'
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

WEIGHT_NAMES = {400: "Regular", 700: "Bold"}
SUBSETS = ("arabic", "latin")


class WebFontError(RuntimeError):
    """A Fontsource package is missing or lacks a subset that a Persian page needs."""


def ttf_name(package: str, weight: int) -> str:
    """The file name a package's weight is written under: `mada`, 400 -> `Mada-Regular.ttf`."""
    family = "".join(part.capitalize() for part in package.split("-"))
    return f"{family}-{WEIGHT_NAMES.get(weight, str(weight))}.ttf"


def merge_subsets(woff_files: Sequence[Path], out: Path) -> Path:
    """Merge the subset WOFF files of one face into one TTF at `out` (glyphs, cmap, shaping).

    Raises:
        WebFontError: a subset file is missing.
    """
    missing = [str(p) for p in woff_files if not p.is_file()]
    if missing:
        raise WebFontError(f"missing web-font subsets: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        plain = []
        for woff in woff_files:
            font = TTFont(str(woff))
            font.flavor = None  # WOFF -> plain sfnt: the merger and FreeType's cache take TTF
            path = Path(tmp) / f"{woff.stem}.ttf"
            font.save(str(path))
            plain.append(str(path))
        merged = Merger().merge(plain)
    out.parent.mkdir(parents=True, exist_ok=True)
    merged.save(str(out))
    return out


def convert_package(fontsource_dir: Path, package: str, out_dir: Path,
                    weights: Sequence[int] = (400, 700)) -> list[Path]:
    """Write one TTF per weight the package has (a weight it lacks is skipped and logged).

    Raises:
        WebFontError: the package is not installed or has none of `weights`.
    """
    files = fontsource_dir / package / "files"
    if not files.is_dir():
        raise WebFontError(f"Fontsource package {package!r} not installed under {fontsource_dir}")
    written = []
    for weight in weights:
        subsets = [files / f"{package}-{s}-{weight}-normal.woff" for s in SUBSETS]
        if not subsets[0].is_file():
            log.info("%s has no weight %d", package, weight)
            continue
        written.append(merge_subsets(subsets, out_dir / ttf_name(package, weight)))
    if not written:
        raise WebFontError(f"{package!r} has none of the weights {list(weights)}")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("fontsource_dir", type=Path, help="node_modules/@fontsource")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("packages", nargs="+", help="package names without @fontsource/")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the merger logs every table
    try:
        for package in args.packages:
            for path in convert_package(args.fontsource_dir, package, args.out_dir):
                log.info("wrote %s", path)
    except WebFontError as err:
        log.error("%s", err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
