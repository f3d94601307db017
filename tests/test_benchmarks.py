"""Each benchmark runs end to end on a few pages (figures are not checked: they are the point of
running the benchmarks themselves)."""

from __future__ import annotations

import json

from benchmarks import compare, pipeline, recognizers, scans


def test_compare_smoke(geometry_corpus, tmp_path):
    out = tmp_path / "compare.json"
    result = compare.main(
        [
            "--corpus",
            str(geometry_corpus),
            "--limit",
            "5",
            "--psm",
            "6",
            "--json",
            str(out),
            "--plot",
            str(tmp_path / "compare.png"),
        ]
    )
    assert result["pages"] == 5 and result["nameh"]["speed"]["pages"] == 5
    assert result["tesseract"]["speed"]["pages"] == 5 and result["speed_ratio"] > 0
    assert json.loads(out.read_text(encoding="utf-8"))["pages"] == 5 and (tmp_path / "compare.png").is_file()


def test_pipeline_benchmark_smoke(geometry_corpus, tmp_path):
    result = pipeline.main(["--corpus", str(geometry_corpus), "--json", str(tmp_path / "p.json")])
    assert result["pages"] == 8 and set(result["evaluation"]["fields"]) == {
        "number",
        "date",
        "attachment",
        "title",
    }


def test_recognizers_benchmark_smoke(geometry_corpus, tmp_path):
    report = recognizers.main(["--corpus", str(geometry_corpus), "--json", str(tmp_path / "r.json")])
    assert 0 <= report["glyphs"]["accuracy"] <= 1 and "date_value" in report["lines"]["kinds"]


def test_scaling_smoke(tmp_path):
    """Corpora are made when missing, each run is its own process and reports its memory."""
    from benchmarks import scaling

    report = scaling.main(["--pages", "2", "3", "--dpi", "150", "200", "--dpi-pages", "2",
                           "--root", str(tmp_path), "--json", str(tmp_path / "s.json")])
    assert [r["pages"] for r in report["by_pages"]] == [2, 3]
    assert [(r["dpi"], r["pages"]) for r in report["by_dpi"]] == [(150, 2), (200, 2)]
    assert all(r["peak_rss_mb"] > 50 and r["pages_per_second"] > 0 for r in report["by_pages"])
    assert (tmp_path / "scale150dpi" / "truth.csv").is_file()
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["by_dpi"][0]["dpi"] == 150


def test_detector_benchmark_smoke(geometry_corpus, tmp_path):
    from benchmarks import detector

    report = detector.main(["--corpus", str(geometry_corpus), "--limit", "5",
                            "--json", str(tmp_path / "d.json"), "--overlay", str(tmp_path / "overlay.png")])
    assert (tmp_path / "d.json").is_file() and (tmp_path / "overlay.png").is_file()
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")).keys() == report.keys()


def test_ablations_smoke(geometry_corpus, tmp_path):
    from benchmarks import ablations

    report = ablations.main(["--corpus", str(geometry_corpus), "--json", str(tmp_path / "a.json")])
    assert set(report["variants"]) == set(ablations.VARIANTS)
    assert all(v["pages"] == 8 for v in report["variants"].values())


def test_scans_benchmark_smoke(geometry_corpus, tmp_path):
    report = scans.main(["--corpus", str(geometry_corpus), "--limit", "2",
                         "--json", str(tmp_path / "s.json")])
    assert set(report["variants"]) == set(scans.VARIANTS)
    for runs in report["variants"].values():
        assert [r["pages"] for r in runs.values()] == [2, 2]
    assert (tmp_path / "s.json").is_file()


def test_shipping_the_glyph_classifier_alone(geometry_corpus, tmp_path, monkeypatch):
    """--ship-glyphs writes the glyph weights, card and confusion matrix, and nothing of the reader."""
    shipped = recognizers.WEIGHTS
    weights = tmp_path / "recognizers" / "weights"
    monkeypatch.setattr(recognizers, "WEIGHTS", weights)
    monkeypatch.setattr(recognizers, "ROOT", tmp_path)
    report = recognizers.main(["--corpus", str(geometry_corpus), "--glyphs", str(shipped / "glyphs.pt"),
                               "--reader", str(shipped / "reader.pt"), "--lexicon", "none", "--ship-glyphs"])
    assert sorted(p.name for p in weights.iterdir()) == ["glyphs.md", "glyphs.pt", "glyphs_confusion.png"]
    card = (weights / "glyphs.md").read_text(encoding="utf-8")
    assert f"{100 * report['glyphs']['accuracy']:.2f} %" in card and "--ship-glyphs" in card


def test_train_speed_smoke(tmp_path):
    from benchmarks import train_speed

    report = train_speed.main(["--sizes", "4x8", "--batch", "2", "--width", "64", "--steps", "1",
                               "--json", str(tmp_path / "t.json")])
    (row,) = report["sizes"]
    assert row["width"] == 4 and row["hidden"] == 8 and row["float32_s_per_step"] > 0
    assert row["speedup"] == round(row["float32_s_per_step"] / row["bfloat16_s_per_step"], 2)
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["crop"] == [40, 64]
