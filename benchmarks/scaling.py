"""How nameh's speed and memory grow with the number of pages and with the scans' resolution.

    python benchmarks/scaling.py --json outputs/bench/scaling.json

Makes the held-out corpora it needs when they are missing (fonts never trained on, full scan
damage, JPEG only): `<root>/scale200dpi` with the largest page count at 200 dpi, and
`<root>/scale<D>dpi` with 200 pages at each other dpi. Then runs `benchmarks/pipeline.py` on the
first 50, 200 and 800 pages at 200 dpi and on 200 pages at 150, 200 and 300 dpi, each run in a
process of its own, so that the peak memory it reports is that run's alone. Prints, per run:
pages, pages/s end to end, milliseconds per page by stage, peak RSS, and pages fully right.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import write_json
from data.synth.cli import generate_corpus

log = logging.getLogger("benchmarks.scaling")
ROOT = Path(__file__).resolve().parents[1]
PIPELINE = ROOT / "benchmarks" / "pipeline.py"


def make_corpus(path: Path, pages: int, dpi: int, seed: int) -> Path:
    """A held-out-font JPEG corpus of `pages` pages scanned at `dpi` (kept when it exists)."""
    if (path / "truth.csv").is_file() and len((path / "truth.csv").read_text().splitlines()) > pages:
        return path
    log.info("making %s: %d pages at %d dpi", path, pages, dpi)
    generate_corpus(path, pages, seed, "synth/fonts=heldout", f"synth.degrade.dpi=[{dpi},{dpi}]",
                    "synth.degrade.png_p=0")
    return path


def measure(corpus: Path, limit: int, overrides: list[str]) -> dict:
    """One run of the pipeline benchmark in a fresh Python process; its JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "run.json"
        command = [sys.executable, str(PIPELINE), "--corpus", str(corpus), "--limit", str(limit),
                   "--json", str(report), *overrides]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return json.loads(report.read_text(encoding="utf-8"))


def summarise(run: dict, **key) -> dict:
    return {
        **key,
        "pages": run["pages"],
        "pages_per_second": run["pages_per_second"],
        "stage_ms_per_page": run["stage_ms_per_page"],
        "peak_rss_mb": run["peak_rss_mb"],
        "all_fields_right": run["evaluation"]["all_fields_right"],
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    parser.add_argument("--dpi-pages", type=int, default=200, help="pages per dpi run")
    parser.add_argument("--root", default="data/generated", help="where the corpora are made")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json")
    parser.add_argument("overrides", nargs="*", help="nameh config overrides")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = Path(args.root)
    base = make_corpus(root / "scale200dpi", max([*args.pages, args.dpi_pages]), 200, args.seed)
    by_pages = []
    for n in args.pages:
        by_pages.append(summarise(measure(base, n, args.overrides), limit=n, dpi=200))
        log.info("%d pages at 200 dpi: %s", n, by_pages[-1])
    by_dpi = []
    for dpi in args.dpi:
        corpus = base if dpi == 200 else make_corpus(root / f"scale{dpi}dpi", args.dpi_pages, dpi, args.seed)
        run = measure(corpus, args.dpi_pages, args.overrides)
        by_dpi.append(summarise(run, limit=args.dpi_pages, dpi=dpi))
        log.info("%d pages at %d dpi: %s", args.dpi_pages, dpi, by_dpi[-1])
    log.info("%8s %5s %8s %9s %9s %9s %10s", "pages", "dpi", "pages/s", "detect ms", "read ms", "peak MB",
             "all right")
    for row in [*by_pages, *by_dpi]:
        ms = row["stage_ms_per_page"]
        log.info("%8d %5d %8.2f %9.1f %9.1f %9.0f %9.1f%%", row["pages"], row["dpi"], row["pages_per_second"],
                 ms.get("detect", 0.0), ms.get("read_crnn", 0.0) + ms.get("read_glyphs", 0.0),
                 row["peak_rss_mb"], 100 * row["all_fields_right"])
    report = {
        "command": "python benchmarks/scaling.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "by_pages": by_pages,
        "by_dpi": by_dpi,
    }
    write_json(args.json, report)
    return report


if __name__ == "__main__":
    main()
