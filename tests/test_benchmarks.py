"""Each benchmark runs end to end on a few pages (figures are not checked: they are the point of
running the benchmarks themselves)."""

from __future__ import annotations

import json

from benchmarks import compare, pipeline, recognizers


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
