"""Held-out evaluation of the readers on a corpus, shared by the benchmark and the model cards.

Example:
    >>> report = evaluate_glyphs(GlyphClassifier.load("recognizers/weights/glyphs.pt"),
    ...                          "data/generated/test")                      # doctest: +SKIP
    >>> report["accuracy"]                                                   # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from data.synth.classes import GLYPH_CLASSES
from recognizers.glyphs.data import GlyphCrops
from recognizers.glyphs.digits import DigitReader, letters_as_unknown
from recognizers.glyphs.predictor import GlyphClassifier
from recognizers.glyphs.train import glyph_report
from recognizers.metrics import cer
from recognizers.reader.data import LineCrops
from recognizers.reader.predictor import TextReader

KIND_FIELDS = {
    "date_value": "date",
    "number_value": "number",
    "attachment_value": "attachment",
    "title_value": "title",
}


def throughput(predict, crops: list, batch_sizes=(1, 64), budget: int = 256) -> dict[str, float]:
    """Crops per second when `predict` gets lists of `batch` crops (first `budget` crops)."""
    out = {}
    crops = crops[:budget]
    for batch in batch_sizes:
        predict(crops[:batch])  # warm-up
        start = time.perf_counter()
        for i in range(0, len(crops), batch):
            predict(crops[i : i + batch])
        out[f"batch_{batch}"] = len(crops) / (time.perf_counter() - start)
    return out


def evaluate_glyphs(classifier: GlyphClassifier, corpus: str | Path) -> dict:
    """Accuracy, per-class recall and confusion matrix of the classifier on a corpus' glyph crops."""
    crops = GlyphCrops.load([corpus], GLYPH_CLASSES)
    predicted = classifier(crops.images)
    index = {c: i for i, c in enumerate(classifier.classes)}
    report = glyph_report(crops.labels, np.array([index[p.label] for p in predicted]), tuple(GLYPH_CLASSES))
    report["crops_per_s"] = throughput(classifier, crops.images, budget=2048)
    return report


def evaluate_lines(reader: TextReader, corpus: str | Path, digit_reader: DigitReader | None = None) -> dict:
    """Per kind of line crop: exact match and CER of the CRNN (greedy, constrained, and with the
    reader's lexicon when it has one), and of the digit reader on dates and numbers; lines per
    second (greedy, no lexicon)."""
    lines = LineCrops.load([corpus], reader.charset)
    kinds = [KIND_FIELDS.get(k) for k in lines.kinds]
    results: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    decoder, lexicon = reader.decoder, reader.lexicon
    modes = [("greedy", None), ("constrained", None)] + ([("lexicon", lexicon)] if lexicon else [])
    for mode, corrector in modes:  # `lexicon`: constrained, subjects and attachments corrected
        reader.decoder, reader.lexicon = ("greedy" if mode == "greedy" else "constrained"), corrector
        for truth, reading, kind in zip(lines.texts, reader(lines.images, kinds), lines.kinds, strict=True):
            results[kind][mode].append((truth, reading.text))
    reader.decoder, reader.lexicon = decoder, lexicon
    if digit_reader is not None:
        numeric = [i for i, k in enumerate(lines.kinds) if k in ("date_value", "number_value")]
        readings = digit_reader([lines.images[i] for i in numeric])
        for i, reading in zip(numeric, readings, strict=True):
            results[lines.kinds[i]]["glyphs"].append((letters_as_unknown(lines.texts[i]), reading.text))
    report = {}
    for kind, modes in sorted(results.items()):
        report[kind] = {
            mode: {
                "crops": len(pairs),
                "exact": float(np.mean([t == p for t, p in pairs])),
                "cer": cer(pairs),
                "errors": [p for p in pairs if p[0] != p[1]][:10],
            }
            for mode, pairs in modes.items()
        }
    reader.decoder, reader.lexicon = "greedy", None
    speed = throughput(lambda c: reader(c), lines.images, batch_sizes=(1, 32))
    reader.decoder, reader.lexicon = decoder, lexicon
    return {"kinds": report, "lines_per_s_greedy": speed}
