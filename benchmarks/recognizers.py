"""Benchmark the glyph classifier and the CRNN reader on held-out crops; optionally ship them.

    python benchmarks/recognizers.py --corpus data/generated/test --json outputs/bench/recognizers.json
    python benchmarks/recognizers.py --glyphs outputs/glyphs/run1/best.pt \
        --reader outputs/reader/run1/best.pt --corpus data/generated/test --ship

Prints the glyph classifier's accuracy per class (and draws its confusion matrix), the CRNN's
exact match and CER per kind of line with greedy and constrained decoding, the glyph digit
reader's exact match on dates and numbers, CPU throughput of each (batch 1 and batched), and the
weights' sizes. With --ship, copies both checkpoints to recognizers/weights/, exports the
reader to reader.onnx (what the pipeline runs: `recognizers.reader.onnx_reader`) and writes their
model cards and the confusion matrix beside them; --ship-glyphs ships the glyph classifier alone
(the reader's weights and its card, which holds hand-written lineage, stay as they are).
"""

from __future__ import annotations

import argparse
import logging
import shlex
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import save_figure, write_json
from recognizers.card import write_glyph_card, write_reader_card
from recognizers.checkpoint import load_checkpoint
from recognizers.evaluate import evaluate_glyphs, evaluate_lines
from recognizers.glyphs.digits import DigitReader
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.reader.onnx_reader import export_reader
from recognizers.reader.predictor import TextReader

log = logging.getLogger("benchmarks.recognizers")
ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "recognizers" / "weights"


def confusion_png(report: dict, path: Path) -> None:
    """Draw the confusion matrix (row-normalised, counts written in the cells)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = np.array(report["confusion"], dtype=float)
    share = matrix / np.maximum(matrix.sum(1, keepdims=True), 1)
    classes = report["classes"]
    fig, ax = plt.subplots(figsize=(10, 9))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=60)
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("truth")
    for i in range(len(classes)):
        for j in range(len(classes)):
            if matrix[i, j]:
                ax.text(
                    j,
                    i,
                    int(matrix[i, j]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if share[i, j] > 0.5 else "black",
                )
    ax.set_title(f"glyph classifier, held-out fonts: accuracy {100 * report['accuracy']:.2f} %")
    save_figure(fig, path)


def ship_glyphs(source: Path, glyph_report: dict, report: dict, command: str) -> str:
    """Copy a glyph checkpoint to recognizers/weights/glyphs.pt and write its confusion matrix
    and model card beside it; returns the matrix's path (relative to the repository)."""
    WEIGHTS.mkdir(parents=True, exist_ok=True)
    target = WEIGHTS / "glyphs.pt"
    if source.resolve() != target.resolve():
        shutil.copyfile(source, target)
    png = "recognizers/weights/glyphs_confusion.png"
    confusion_png(glyph_report, ROOT / png)
    checkpoint = load_checkpoint(target, "glyphs")
    write_glyph_card(target, checkpoint["meta"],
                     {**report, "confusion_png": png, "model": checkpoint["model"]}, command)
    return png


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glyphs", default=str(WEIGHTS / "glyphs.pt"))
    parser.add_argument("--reader", default=str(WEIGHTS / "reader.pt"))
    parser.add_argument(
        "--corpus", default="data/generated/test", help="a nameh-synth corpus in held-out fonts"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lexicon", default=str(WEIGHTS / "lexicon.txt.gz"),
                        help="word list for the `lexicon` mode on subject and attachment crops "
                             "('none': no such mode)")
    parser.add_argument("--lexicon-margin", type=float, default=6.0)
    parser.add_argument("--lexicon-edits", type=int, default=2)
    parser.add_argument("--lexicon-spaces", type=int, default=1, help="1: lost and extra spaces mended")
    parser.add_argument("--json", help="also write the report here")
    parser.add_argument(
        "--ship", action="store_true", help="copy to recognizers/weights/ and write model cards"
    )
    parser.add_argument(
        "--ship-glyphs", action="store_true",
        help="ship the glyph classifier alone (its weights, card and confusion matrix); the "
             "reader's weights and card stay as they are",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    command = "python benchmarks/recognizers.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))

    classifier = GlyphClassifier.load(args.glyphs, threads=args.threads)
    reader = TextReader.load(args.reader, threads=args.threads,
                             lexicon=None if args.lexicon == "none" else args.lexicon,
                             lexicon_margin=args.lexicon_margin, lexicon_edits=args.lexicon_edits,
                             lexicon_spaces=bool(args.lexicon_spaces))
    report = {
        "command": command,
        "corpus": args.corpus,
        "size_mb": {
            "glyphs": Path(args.glyphs).stat().st_size / 1e6,
            "reader": Path(args.reader).stat().st_size / 1e6,
        },
    }
    # a corpus of line crops alone (val300's kind, or `nameh-harvest`'s) measures the reader alone
    has_glyphs = any((Path(args.corpus) / "glyphs").glob("*/*.png"))
    if not has_glyphs and (args.ship or args.ship_glyphs):
        raise SystemExit(f"{args.corpus} has no glyph crops: shipping needs the glyph classifier measured")
    report["glyphs"] = evaluate_glyphs(classifier, args.corpus) if has_glyphs else None
    report["lines"] = evaluate_lines(reader, args.corpus, DigitReader(classifier))

    g = report["glyphs"]
    if g is None:
        log.info("glyph classifier: no glyph crops in %s, not measured", args.corpus)
    else:
        log.info(
            "glyph classifier: %d crops, accuracy %.3f %%, worst class %s; "
            "%.0f crops/s (batch 1), %.0f (batch 64)",
            g["crops"],
            100 * g["accuracy"],
            min((v, k) for k, v in g["per_class"].items() if v is not None),
            g["crops_per_s"]["batch_1"],
            g["crops_per_s"]["batch_64"],
        )
        for name, v in g["per_class"].items():
            log.info("  %-10s %5d  %s", name, g["support"][name], "-" if v is None else f"{100 * v:.2f} %")
    log.info("CRNN reader (exact / CER):")
    for kind, modes in report["lines"]["kinds"].items():
        log.info(
            "  %-17s %s",
            kind,
            "  ".join(
                f"{mode} {100 * m['exact']:.2f} % / {100 * m['cer']:.2f} % (n={m['crops']})"
                for mode, m in modes.items()
            ),
        )
    speed = report["lines"]["lines_per_s_greedy"]
    log.info("  %.0f lines/s (batch 1), %.0f lines/s (batch 32)", speed["batch_1"], speed["batch_32"])
    log.info(
        "weights: glyphs %.2f MB, reader %.2f MB", report["size_mb"]["glyphs"], report["size_mb"]["reader"]
    )

    if args.ship_glyphs and not args.ship:
        report["confusion_png"] = ship_glyphs(Path(args.glyphs), g, report, command)
    if args.ship:
        if Path(args.reader).suffix != ".pt":
            raise SystemExit("--ship takes the reader's checkpoint (.pt); its ONNX export is made here")
        WEIGHTS.mkdir(parents=True, exist_ok=True)
        target = WEIGHTS / "reader.pt"
        if Path(args.reader).resolve() != target.resolve():
            shutil.copyfile(args.reader, target)
        report["confusion_png"] = ship_glyphs(Path(args.glyphs), g, report, command)
        reader_ckpt = load_checkpoint(target, "reader")
        exported = export_reader(target, WEIGHTS / "reader.onnx")  # what the pipeline runs
        report["reader_onnx"] = {"path": f"recognizers/weights/{exported.name}",
                                 "size_mb": exported.stat().st_size / 1e6}
        write_reader_card(target, reader_ckpt["meta"], {**report, "model": reader_ckpt["model"]}, command)
        log.info("shipped to %s with model cards", WEIGHTS)
    write_json(args.json, report)
    return report


if __name__ == "__main__":
    main()
