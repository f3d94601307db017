"""Fonts for the corpus: found by file name in the system font folders, checked for Persian.

A font is usable only if its character map covers the Persian letters (پ چ ژ گ ک ی), both
digit scripts and the separators; sizes are normalised so that a requested size is the ink
height of digits in pixels, whatever the font's own metrics.

Example:
    >>> lib = FontLibrary.find(["Vazirmatn-Regular.ttf"], ["/usr/share/fonts", "/usr/local/share/fonts"])
    >>> font = lib.faces[0].at(30)   # a PIL font whose digits stand 30 px tall
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from recognizers.charset import ARABIC_DIGITS, ASCII_DIGITS, PERSIAN_DIGITS

log = logging.getLogger(__name__)

REQUIRED_CHARS = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآ" + PERSIAN_DIGITS + ARABIC_DIGITS + ASCII_DIGITS + "/-_:.،"
)
# Separators a face may lack and borrow from the font set's `fallback` face: Arabic-script
# fonts such as Noto Naskh Arabic have no Latin punctuation, and a word processor would draw
# those characters in a fallback font too. Letters and digits must always be the face's own.
BORROWABLE_CHARS = "/-_:.،"
_SIZE_PROBE = 200  # px size at which a face's digit height is measured


class FontError(RuntimeError):
    """A configured font is missing or cannot render Persian."""


def missing_chars(path: Path, chars: str = REQUIRED_CHARS) -> str:
    """The characters of `chars` that the font at `path` has no glyph for."""
    cmap = TTFont(str(path), fontNumber=0, lazy=True).getBestCmap() or {}
    return "".join(c for c in chars if ord(c) not in cmap)


@dataclass(frozen=True)
class Glyph:
    """The ink of a drawn string: `ink` (uint8) sits at (`dx`, `dy`) from the pen on the
    baseline; the pen then moves right by `advance`."""

    ink: np.ndarray | None
    dx: int
    dy: int
    advance: float


_GLYPH_CACHE_LIMIT = 50_000


@dataclass
class FontFace:
    """One font file, with a cache of PIL fonts by pixel size.

    `digit_ratio` is the ink height of the digits divided by the font size, measured once, so
    `at(h)` returns a font whose digits are `h` pixels tall.
    """

    name: str
    path: Path
    digit_ratio: float
    fallback: FontFace | None = None  # draws the characters in `borrowed`
    borrowed: frozenset[str] = frozenset()
    _cache: dict[int, ImageFont.FreeTypeFont] = field(default_factory=dict, repr=False)
    _glyphs: dict[tuple[str, bool, int], Glyph] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, path: Path) -> FontFace:
        font = ImageFont.truetype(str(path), _SIZE_PROBE, layout_engine=ImageFont.Layout.RAQM)
        canvas = Image.new("L", (_SIZE_PROBE * 12, _SIZE_PROBE * 3), 0)
        ImageDraw.Draw(canvas).text((10, _SIZE_PROBE * 2), PERSIAN_DIGITS, font=font, fill=255,
                                    anchor="ls")
        box = canvas.getbbox()
        if box is None:
            raise FontError(f"font {path} draws no ink for Persian digits")
        return cls(path.name, path, (box[3] - box[1]) / _SIZE_PROBE)

    def size_for(self, digit_height: float) -> int:
        """The font size (px) whose digits are `digit_height` pixels tall."""
        return max(4, round(digit_height / self.digit_ratio))

    def at(self, digit_height: float) -> ImageFont.FreeTypeFont:
        size = self.size_for(digit_height)
        if size not in self._cache:
            self._cache[size] = ImageFont.truetype(str(self.path), size,
                                                   layout_engine=ImageFont.Layout.RAQM)
        return self._cache[size]

    def glyph(self, text: str, rtl: bool, digit_height: float) -> Glyph:
        """`text` drawn as one shaped run (cached: corpora draw the same words again and again).

        Example:
            >>> lib = FontLibrary.find(["Vazirmatn-Regular.ttf"], ["/usr/local/share/fonts"])
            >>> g = lib.faces[0].glyph("۴", False, 30)
            >>> abs(g.ink.shape[0] - 32) <= 2
            True
        """
        if self.fallback is not None and self.borrowed.intersection(text):
            return self.fallback.glyph(text, rtl, digit_height)
        size = self.size_for(digit_height)
        key = (text, rtl, size)
        cached = self._glyphs.get(key)
        if cached is not None:
            return cached
        if len(self._glyphs) >= _GLYPH_CACHE_LIMIT:
            self._glyphs.clear()
        font = self.at(digit_height)
        direction = "rtl" if rtl else "ltr"
        advance = font.getlength(text, direction=direction, language="fa")
        left, top, right, bottom = font.getbbox(text, anchor="ls", direction=direction,
                                                language="fa")
        if right <= left or bottom <= top:
            glyph = Glyph(None, 0, 0, advance)
        else:
            canvas = Image.new("L", (right - left + 2, bottom - top + 2), 0)
            ImageDraw.Draw(canvas).text((1 - left, 1 - top), text, font=font, fill=255,
                                        anchor="ls", direction=direction, language="fa")
            ink = np.asarray(canvas)
            ink.setflags(write=False)
            glyph = Glyph(ink, left - 1, top - 1, advance)
        self._glyphs[key] = glyph
        return glyph


@dataclass
class FontLibrary:
    """The faces a generator may draw with."""

    faces: list[FontFace]

    @classmethod
    def find(cls, names: Sequence[str], search_dirs: Sequence[str | Path],
             fallback: str | None = None) -> FontLibrary:
        """Locate each named font file under `search_dirs` and check it renders Persian.

        A face that lacks only separators (`BORROWABLE_CHARS`) draws them with the `fallback`
        face, when one is named (which must have every required character itself).

        Example:
            >>> lib = FontLibrary.find(["NotoNaskhArabic-Regular.ttf"], ["/usr/share/fonts"],
            ...                        fallback="DejaVuSans.ttf")
            >>> sorted(lib.faces[0].borrowed)
            ['-', '/', '_']

        Raises:
            FontError: a name is not found (with the folders searched and how to install the
                fonts), or the font lacks Persian glyphs (naming the missing characters).
        """
        if not names:
            raise FontError("no fonts configured")
        index: dict[str, Path] = {}
        for folder in search_dirs:
            root = Path(folder)
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.suffix.lower() in (".ttf", ".otf"):
                        index.setdefault(path.name, path)
        def locate(name: str) -> Path:
            if name not in index:
                raise FontError(
                    f"font {name!r} not found under {list(map(str, search_dirs))}; "
                    "run `make setup` to install the Debian and npm font packages"
                )
            return index[name]

        spare = None
        if fallback:
            lacking = missing_chars(locate(fallback))
            if lacking:
                raise FontError(f"fallback font {fallback!r} has no glyph for {lacking!r}")
            spare = FontFace.open(locate(fallback))
        faces = []
        for name in names:
            lacking = missing_chars(locate(name))
            own = "".join(c for c in lacking if c not in BORROWABLE_CHARS)
            if own or (lacking and spare is None):
                hint = "" if own else " (separators only: name a fallback font to borrow them)"
                raise FontError(f"font {name!r} cannot render Persian: no glyph for {lacking!r}{hint}")
            face = FontFace.open(locate(name))
            if lacking:
                face.fallback, face.borrowed = spare, frozenset(lacking)
            faces.append(face)
        log.debug("fonts: %s", ", ".join(f.name for f in faces))
        return cls(faces)
