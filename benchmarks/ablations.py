"""Ablations through Hydra overrides: each variant of nameh on the same held-out pages.

    python benchmarks/ablations.py --corpus data/generated/bench200 --json outputs/bench/ablations.json

Variants: fused (default), CRNN alone, glyph digit reader alone (words still from the CRNN),
greedy instead of constrained decoding, detector at 640 px, detector on the top half of the
page only (instead of 60 %), subjects and attachments read without the word list, and without growing subject
boxes or reading beside lone labels; and one variant for each rule added since (see VARIANTS).
Prints per-field exact match, pages with every field right, and pages/s for each.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import pipeline
from benchmarks.common import write_json
from pipeline.types import FIELDS

log = logging.getLogger("benchmarks.ablations")
VARIANTS = {
    "fused (default)": [],
    "CRNN alone": ["fusion=crnn_only"],
    "glyph reader alone": ["fusion=glyph_only"],
    "greedy decoding": ["reader.decoder=greedy"],
    "no word-list correction": ["reader.lexicon=null"],
    "detector 640 px": ["detector.imgsz=640"],
    "detector sees top 50 %": ["detector.roi_top=0.5"],
    "numeric boxes not grown to their label": ["reach_label=[]"],
    "no box refinement": ["extend=[]", "beside_label=[]", "reach_label=[]"],
    "labels not checked": ["check_labels=false"],
    "no second choice": ["second_choice=false"],
    "lone values kept": ["lone_min_confidence=0"],
    "no second look for subjects": ["fill_fields=[]"],
    "lone labels not confirmed": ["beside_confirm=false"],
    "no space repairs": ["reader.lexicon_spaces=false"],
    "pages not levelled": ["deskew_min_angle=null"],
}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="data/generated/bench200")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    results = {
        name: pipeline.main(["--corpus", args.corpus, *overrides]) for name, overrides in VARIANTS.items()
    }
    log.info("%-20s %s %10s %8s", "variant", " ".join(f"{f:>10}" for f in FIELDS), "all right", "pages/s")
    for name, r in results.items():
        ev = r["evaluation"]
        log.info(
            "%-20s %s %9.2f%% %8.2f",
            name,
            " ".join(f"{100 * ev['fields'][f]['accuracy']:9.2f}%" for f in FIELDS),
            100 * ev["all_fields_right"],
            r["pages_per_second"],
        )
    report = {
        "command": "python benchmarks/ablations.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "variants": {k: {"overrides": VARIANTS[k], **v} for k, v in results.items()},
    }
    write_json(args.json, report)
    return report


if __name__ == "__main__":
    main()
