"""nameh against the Tesseract baseline on the same held-out pages: accuracy and speed.

    python benchmarks/compare.py --corpus data/generated/test --limit 300 \\
        --json outputs/bench/compare.json --plot outputs/bench/compare.png

Both read the same first `--limit` pages of the corpus (held-out fonts, full scan damage).
nameh: shipped weights, `conf/nameh.yaml` (+ overrides after `--`), models loaded once (the load
time is reported apart). Tesseract 5 `fas`: `benchmarks/tesseract_baseline.py` with `--psm 3`
and `--psm 6`, one OpenMP thread per process, one process per core; the better psm is reported
as "Tesseract". Prints per-field accuracy, pages with every field right, pages/s and the ratio,
and nameh's peak resident memory (the whole benchmark process; Tesseract's is not measured: the
pool's children are forked from this process and report its memory as theirs).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hydra import compose, initialize_config_dir

from benchmarks.common import peak_rss_mb, save_figure, subset, write_json
from benchmarks.tesseract_baseline import run_baseline
from pipeline.evaluate import evaluate
from pipeline.run import build_predictor, run
from pipeline.types import FIELDS

log = logging.getLogger("benchmarks.compare")
CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")


def run_nameh(pages: Path, out: Path, overrides: list[str]) -> dict:
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        cfg = compose(
            config_name="nameh",
            overrides=[f"input_dir={pages}", f"output_dir={out}", "progress=false", *overrides],
        )
    start = time.perf_counter()
    predictor = build_predictor(cfg)
    load = time.perf_counter() - start
    summary = run(cfg, predictor)
    return {
        "pages": summary.pages,
        "seconds": round(summary.seconds, 2),
        "pages_per_second": round(summary.pages_per_second, 3),
        "model_load_seconds": round(load, 2),
        "stage_seconds": summary.stage_seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [*FIELDS, "all fields"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 1]})
    for offset, (tool, colour) in enumerate((("nameh", "#1f77b4"), ("tesseract", "#999999"))):
        ev = result[tool]["evaluation"]
        values = [100 * ev["fields"][f]["accuracy"] for f in FIELDS] + [100 * ev["all_fields_right"]]
        left.bar([i + 0.4 * offset for i in range(len(names))], values, 0.4, label=tool, color=colour)
    left.set_xticks([i + 0.2 for i in range(len(names))], names)
    left.set_ylabel("exact match, % of pages")
    left.set_ylim(0, 100)
    left.legend()
    speeds = [result["nameh"]["speed"]["pages_per_second"], result["tesseract"]["speed"]["pages_per_second"]]
    right.bar(["nameh", "tesseract"], speeds, color=["#1f77b4", "#999999"])
    right.set_ylabel("pages / s (2 cores)")
    fig.suptitle(f"{result['pages']} held-out pages ({result['corpus']})")
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="data/generated/test")
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--psm", type=int, nargs="+", default=[3, 6])
    parser.add_argument("--json")
    parser.add_argument("--plot")
    parser.add_argument("overrides", nargs="*", help="nameh config overrides")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result: dict = {
        "command": "python benchmarks/compare.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "corpus": args.corpus,
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = subset(Path(args.corpus), args.limit, tmp)
        result["pages"] = len(list(pages.iterdir()))
        speed = run_nameh(pages, tmp / "nameh", args.overrides)
        result["nameh"] = {
            "speed": speed,
            "evaluation": evaluate(tmp / "truth.csv", tmp / "nameh" / "metadata.csv"),
        }
        runs = {}
        for psm in args.psm:
            speed = run_baseline(pages, tmp / f"tess{psm}", psm)
            runs[psm] = {
                "psm": psm,
                "speed": speed,
                "evaluation": evaluate(tmp / "truth.csv", tmp / f"tess{psm}" / "metadata.csv"),
            }
        best = max(
            runs.values(),
            key=lambda r: (
                r["evaluation"]["all_fields_right"],
                sum(f["accuracy"] for f in r["evaluation"]["fields"].values()),
            ),
        )
        result["tesseract"] = best
        result["tesseract_all_psm"] = {
            str(k): {
                "speed": v["speed"],
                "all_fields_right": v["evaluation"]["all_fields_right"],
                "fields": {f: v["evaluation"]["fields"][f]["accuracy"] for f in FIELDS},
            }
            for k, v in runs.items()
        }
    n, t = result["nameh"], result["tesseract"]
    result["speed_ratio"] = round(n["speed"]["pages_per_second"] / t["speed"]["pages_per_second"], 2)
    log.info("%-10s %8s %8s %10s %7s  %s", "", *FIELDS, "all right   pages/s")
    for name, r in (("nameh", n), (f"tess psm{t['psm']}", t)):
        ev = r["evaluation"]
        log.info(
            "%-10s %s  %6.2f %%  %6.2f",
            name,
            " ".join(f"{100 * ev['fields'][f]['accuracy']:7.2f}%" for f in FIELDS),
            100 * ev["all_fields_right"],
            r["speed"]["pages_per_second"],
        )
    log.info(
        "nameh is %.2fx Tesseract's pages/s; peak RSS: nameh %.0f MB (whole benchmark process), "
        "tesseract %.0f MB per process (%d at once)",
        result["speed_ratio"],
        n["speed"]["peak_rss_mb"],
        t["speed"]["peak_rss_mb_per_process"],
        t["speed"]["processes"],
    )
    write_json(args.json, result)
    if args.plot:
        plot(result, Path(args.plot))
    return result


if __name__ == "__main__":
    main()
