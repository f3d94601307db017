from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

from data.synth.webfonts import WebFontError, convert_package, main, ttf_name


def square():
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    return pen.glyph()


def write_woff(path: Path, chars: str) -> None:
    """A tiny WOFF font with a square glyph for each of `chars`."""
    names = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    fb.setupGlyf({n: square() for n in names})
    fb.setupHorizontalMetrics({n: (600, 0) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.font.flavor = "woff"
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))


def fake_package(root: Path, package: str, weights=(400,)) -> None:
    for weight in weights:
        files = root / package / "files"
        write_woff(files / f"{package}-arabic-{weight}-normal.woff", "۰۱۲کگ")
        write_woff(files / f"{package}-latin-{weight}-normal.woff", "012/-")


def test_names_follow_family_and_weight():
    assert ttf_name("playpen-sans-arabic", 400) == "PlaypenSansArabic-Regular.ttf"
    assert ttf_name("mada", 700) == "Mada-Bold.ttf"
    assert ttf_name("mada", 500) == "Mada-500.ttf"


def test_subsets_merge_into_one_face_with_both_character_sets(tmp_path):
    fake_package(tmp_path / "fs", "tiny-font", weights=(400, 700))
    written = convert_package(tmp_path / "fs", "tiny-font", tmp_path / "out")
    assert [p.name for p in written] == ["TinyFont-Regular.ttf", "TinyFont-Bold.ttf"]
    font = TTFont(str(written[0]))
    assert font.flavor is None  # plain TTF, not WOFF
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "۰۱۲کگ012/-")


def test_a_weight_the_package_lacks_is_skipped(tmp_path):
    fake_package(tmp_path / "fs", "solo", weights=(400,))
    written = convert_package(tmp_path / "fs", "solo", tmp_path / "out")
    assert [p.name for p in written] == ["Solo-Regular.ttf"]


def test_missing_package_or_subset_is_a_clear_error(tmp_path):
    with pytest.raises(WebFontError, match="not installed"):
        convert_package(tmp_path, "absent", tmp_path / "out")
    files = tmp_path / "half" / "files"
    write_woff(files / "half-arabic-400-normal.woff", "کگ")
    with pytest.raises(WebFontError, match="missing web-font subsets"):
        convert_package(tmp_path, "half", tmp_path / "out")
    assert main([str(tmp_path), str(tmp_path / "out"), "absent"]) == 1
