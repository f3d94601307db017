"""Model cards for the readers, written from checkpoint metadata and a benchmark report
(no figure is typed by hand)."""

from __future__ import annotations

from pathlib import Path


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.2f} %"


def _training(meta: dict, command: str | None) -> list[str]:
    train = meta.get("train", {})
    trainer = train.get("trainer", {})
    metrics = meta.get("metrics", {})
    lineage = meta.get("lineage")
    return [
        "## Training",
        f"- command: `{meta.get('command') or command}`",
        "- started from: "
        + (
            "random initialisation (from scratch, no pretrained weights)"
            if not lineage
            else f"`{lineage['init_weights']}`"
        ),
        f"- training data: `{train.get('data', {}).get('train')}` (synthetic letters in the training fonts, "
        "crops cut from fully degraded pages, plus per-crop damage: `recognizers.augment`)",
        f"- validation (picks the best epoch): `{train.get('data', {}).get('val')}` (held-out fonts)",
        f"- epochs {trainer.get('epochs')} x {trainer.get('samples_per_epoch')} samples, batch "
        f"{trainer.get('batch')}, AdamW lr {trainer.get('lr')} one-cycle, seed {trainer.get('seed')}, "
        f"{trainer.get('threads')} CPU thread(s); best epoch {metrics.get('epoch')}",
        "",
    ]


def write_glyph_card(
    weights: Path, meta: dict, report: dict, command: str, train_command: str | None = None
) -> Path:
    """`<weights>.md` for the glyph classifier."""
    g = report["glyphs"]
    model = report["model"]
    lines = [
        f"# Model card: {weights.name}",
        "",
        "The nameh glyph classifier: a ResNet-18-layout network (torchvision `BasicBlock`, "
        f"blocks {model.get('blocks')}, base width {model.get('width')}) reading one glyph or keyword crop, "
        f"letterboxed to {meta['height']}x{meta['width']} px, one channel (ink map).",
        "",
        f"- classes (stored in the weights): {', '.join(meta['classes'])}",
        f"- size: {report['size_mb']['glyphs']:.2f} MB",
        "",
        *_training(meta, train_command),
        "## Held-out results",
        f"command: `{command}`; {g['crops']} crops of `{report['corpus']}` (held-out fonts, never used in "
        "training or to pick an epoch)",
        "",
        f"accuracy **{_pct(g['accuracy'])}**; CPU throughput "
        f"{g['crops_per_s']['batch_1']:.0f} crops/s (batch 1), "
        f"{g['crops_per_s']['batch_64']:.0f} crops/s (batch 64)",
        "",
        "| class | crops | recall |",
        "| --- | --- | --- |",
        *[f"| {c} | {g['support'][c]} | {_pct(v)} |" for c, v in g["per_class"].items()],
        "",
        f"Confusion matrix: `{report.get('confusion_png', '-')}`",
        "",
    ]
    digit_rows = [(kind, modes["glyphs"]) for kind, modes in report.get("lines", {}).get("kinds", {}).items()
                  if "glyphs" in modes]
    if digit_rows:
        lines += [
            "## Digit reader (`recognizers.glyphs.digits.DigitReader`: connected components, each "
            "classified by this model)",
            "Same command, the date and number line crops of the same pages; letters count as one `؟` "
            "per run.",
            "",
            "| line kind | crops | exact | CER |",
            "| --- | --- | --- | --- |",
            *[f"| {kind} | {m['crops']} | {_pct(m['exact'])} | {_pct(m['cer'])} |" for kind, m in digit_rows],
            "",
        ]
    path = weights.with_suffix(".md")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_reader_card(
    weights: Path, meta: dict, report: dict, command: str, train_command: str | None = None
) -> Path:
    """`<weights>.md` for the CRNN reader."""
    r = report["lines"]
    model = report["model"]
    lexicon = any("lexicon" in modes for modes in r["kinds"].values())
    lines = [
        f"# Model card: {weights.name}",
        "",
        f"The nameh CRNN reader: conv stack (base width {model.get('width')}) -> BiLSTM "
        f"({model.get('layers')} layers x {model.get('hidden')} units each way) -> CTC over "
        f"{len(meta['alphabet'])} symbols + blank. Input: the crop resized to {meta['height']} px high "
        f"(aspect kept, at most {meta['max_width']} px wide); one output step per {meta['stride']} columns.",
        f"Output order: {meta['order']}.",
        "",
        f"- alphabet (stored in the weights): `{meta['alphabet']}`",
        f"- size: {report['size_mb']['reader']:.2f} MB",
        *([f"- ONNX export, what the pipeline runs (`python -m recognizers.reader.onnx_reader`, "
           f"checked against this checkpoint when made): `{report['reader_onnx']['path']}`, "
           f"{report['reader_onnx']['size_mb']:.2f} MB"] if report.get("reader_onnx") else []),
        "",
        *_training(meta, train_command),
        "## Held-out results",
        f"command: `{command}`; line crops of `{report['corpus']}` (held-out fonts, never used in "
        "training or to pick an epoch)",
        "",
        "| line kind | crops | exact (greedy) | CER (greedy) | exact (constrained) | CER (constrained) "
        "| exact (glyph digit reader) |" + (" exact (lexicon) | CER (lexicon) |" if lexicon else ""),
        "| --- | --- | --- | --- | --- | --- | --- |" + (" --- | --- |" if lexicon else ""),
    ]
    for kind, modes in r["kinds"].items():
        gl, lx = modes.get("glyphs"), modes.get("lexicon")
        lines.append(
            f"| {kind} | {modes['greedy']['crops']} | {_pct(modes['greedy']['exact'])} | "
            f"{_pct(modes['greedy']['cer'])} | {_pct(modes['constrained']['exact'])} | "
            f"{_pct(modes['constrained']['cer'])} | {_pct(gl['exact']) if gl else '-'} |"
            + (f" {_pct(lx['exact'])} | {_pct(lx['cer'])} |" if lexicon else "")
        )
    speed = r["lines_per_s_greedy"]
    lines += [
        "",
        f"CPU throughput (greedy): {speed['batch_1']:.0f} lines/s (batch 1), "
        f"{speed['batch_32']:.0f} lines/s (batch 32).",
        "Constrained decoding applies to `date_value` and `number_value` crops only."
        + (" The lexicon mode is constrained decoding plus the word-list correction of subject and "
           "attachment crops (recognizers/weights/lexicon.md); other kinds read as constrained."
           if lexicon else ""),
        "",
    ]
    path = weights.with_suffix(".md")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
