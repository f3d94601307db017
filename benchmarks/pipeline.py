"""End-to-end speed and accuracy of `nameh` on a folder of scans with known truth.

    nameh-synth out=data/generated/bench200 pages=200 seed=4 synth/fonts=heldout \\
        'synth.degrade.dpi=[200,200]' synth.degrade.png_p=0
    python benchmarks/pipeline.py --corpus data/generated/bench200 --json outputs/bench/pipeline.json

Runs the pipeline (shipped weights, `conf/nameh.yaml`, overrides after `--`) on the corpus'
pages, then prints pages/s end to end, seconds per stage and per page, and the evaluation against
the corpus' truth.csv (per-field exact match, pages with every field right).
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

from benchmarks.common import peak_rss_mb, subset, write_json
from pipeline.evaluate import evaluate, format_report
from pipeline.run import build_predictor, run

log = logging.getLogger("benchmarks.pipeline")
CONF_DIR = str(Path(__file__).resolve().parents[1] / "conf")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="a nameh-synth corpus (yolo/images + truth.csv)")
    parser.add_argument("--json", help="also write the report here")
    parser.add_argument("--limit", type=int, help="only the corpus' first N pages")
    parser.add_argument("overrides", nargs="*", help="nameh config overrides, e.g. fusion=crnn_only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    corpus = Path(args.corpus)
    with tempfile.TemporaryDirectory() as tmp, initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        pages, out = subset(corpus, args.limit, Path(tmp)), Path(tmp) / "nameh"
        cfg = compose(
            config_name="nameh",
            overrides=[
                f"input_dir={pages}",
                f"output_dir={out}",
                "progress=false",
                *args.overrides,
            ],
        )
        start = time.perf_counter()
        predictor = build_predictor(cfg)
        load_seconds = time.perf_counter() - start
        summary = run(cfg, predictor)
        report = evaluate(Path(tmp) / "truth.csv", out / "metadata.csv")
    result = {
        "command": "python benchmarks/pipeline.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "pages": summary.pages,
        "seconds": round(summary.seconds, 2),
        "pages_per_second": round(summary.pages_per_second, 3),
        "model_load_seconds": round(load_seconds, 2),
        "stage_seconds": summary.stage_seconds,
        "stage_ms_per_page": {
            k: round(1000 * v / max(1, summary.pages), 1) for k, v in summary.stage_seconds.items()
        },
        "statuses": dict(summary.statuses),
        "peak_rss_mb": peak_rss_mb(),
        "overrides": args.overrides,
        "evaluation": report,
    }
    log.info(
        "%d pages in %.1f s: %.2f pages/s end to end (models loaded once in %.1f s, not counted)",
        summary.pages,
        summary.seconds,
        summary.pages_per_second,
        load_seconds,
    )
    log.info("ms per page by stage: %s", result["stage_ms_per_page"])
    log.info("%s", format_report(report))
    write_json(args.json, result)
    return result


if __name__ == "__main__":
    main()
