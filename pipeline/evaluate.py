"""`nameh-eval truth=TRUTH.csv pred=metadata.csv [json=OUT]`: how right a metadata.csv is.

Joins the two files on (source, page), normalises both sides (digit scripts, Arabic/Persian
letter forms, spaces and ZWNJ around separators) and reports per field: exact-match accuracy over
all pages, precision and recall of presence (a value reported where there is none counts against
it), CER for the title; the share of pages with every field right; the worst rows side by side.

Example:
    >>> normalise_value("۱۲۳۴ / ص / ۱۴۰۲")
    '1234/ص/1402'
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path

from pipeline.types import FIELDS
from recognizers.charset import ZWNJ, Charset
from recognizers.metrics import edit_distance

_AROUND_SEPARATORS = re.compile(rf"[\s{ZWNJ}]*([/\-_.:])[\s{ZWNJ}]*")


def normalise_value(text: str | None) -> str:
    """Canonical form for comparing: ASCII digits, Persian letters, single spaces, none around
    separators, no ZWNJ at the ends."""
    text = Charset.canonical(text or "")
    text = _AROUND_SEPARATORS.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip().strip(ZWNJ)


def read_rows(path: str | Path) -> dict[tuple[str, int], dict[str, str]]:
    """Rows of a truth or prediction CSV by (source, page)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if rows and not {"source", "page"} <= set(rows[0]):
        raise ValueError(f"{path}: needs the columns source and page")
    return {(r["source"], int(r["page"])): r for r in rows}


def evaluate(truth_path: str | Path, pred_path: str | Path, worst: int = 20) -> dict:
    """The report as a dict (see the module docstring)."""
    truth, pred = read_rows(truth_path), read_rows(pred_path)
    keys = sorted(truth)
    report: dict = {
        "pages": len(keys),
        "missing_rows": len([k for k in keys if k not in pred]),
        "extra_rows": len([k for k in pred if k not in truth]),
        "fields": {},
    }
    right_pages, scored = 0, []
    for key in keys:
        t, p = truth[key], pred.get(key, {})
        wrong = 0
        for name in FIELDS:
            if normalise_value(t.get(name)) != normalise_value(p.get(name)):
                wrong += 1
        right_pages += wrong == 0
        scored.append((wrong, key))
    for name in FIELDS:
        pairs = [
            (normalise_value(truth[k].get(name)), normalise_value(pred.get(k, {}).get(name))) for k in keys
        ]
        present_t = sum(1 for a, _ in pairs if a)
        present_p = sum(1 for _, b in pairs if b)
        both = sum(1 for a, b in pairs if a and b)
        entry = {
            "accuracy": sum(a == b for a, b in pairs) / len(pairs) if pairs else 0.0,
            "presence_precision": both / present_p if present_p else 1.0,
            "presence_recall": both / present_t if present_t else 1.0,
            "present_in_truth": present_t,
        }
        if name == "title":
            chars = sum(len(a) for a, _ in pairs)
            entry["cer"] = sum(edit_distance(a, b) for a, b in pairs) / chars if chars else 0.0
        report["fields"][name] = entry
    report["all_fields_right"] = right_pages / len(keys) if keys else 0.0
    report["worst"] = [
        {
            "source": k[0],
            "page": k[1],
            "wrong_fields": w,
            **{
                f: [truth[k].get(f, ""), pred.get(k, {}).get(f, "")]
                for f in FIELDS
                if normalise_value(truth[k].get(f)) != normalise_value(pred.get(k, {}).get(f))
            },
            "status": pred.get(k, {}).get("status", "missing"),
        }
        for w, k in sorted(scored, key=lambda s: (-s[0], s[1]))[:worst]
        if w
    ]
    return report


def format_report(report: dict) -> str:
    lines = [
        f"pages {report['pages']} (missing in pred {report['missing_rows']}, extra {report['extra_rows']})",
        f"{'field':<11}{'accuracy':>10}{'presence P':>12}{'presence R':>12}{'CER':>8}",
    ]
    for name, e in report["fields"].items():
        cer = f"{100 * e['cer']:.2f}%" if "cer" in e else "-"
        lines.append(
            f"{name:<11}{100 * e['accuracy']:>9.2f}%{100 * e['presence_precision']:>11.2f}%"
            f"{100 * e['presence_recall']:>11.2f}%{cer:>8}"
        )
    lines.append(f"all fields right: {100 * report['all_fields_right']:.2f}% of pages")
    if report["worst"]:
        lines.append("worst rows (truth | prediction):")
        for w in report["worst"]:
            diffs = "; ".join(f"{f}: {w[f][0]!r} | {w[f][1]!r}" for f in FIELDS if f in w)
            lines.append(f"  {w['source']}:{w['page']} [{w['status']}] {diffs}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = dict(a.split("=", 1) for a in (argv if argv is not None else sys.argv[1:]) if "=" in a)
    if not {"truth", "pred"} <= set(args):
        print("usage: nameh-eval truth=TRUTH.csv pred=metadata.csv [json=OUT.json]", file=sys.stderr)
        return 2
    for key in ("truth", "pred"):
        if not Path(args[key]).is_file():
            print(f"nameh-eval: {key} file not found: {args[key]}", file=sys.stderr)
            return 2
    report = evaluate(args["truth"], args["pred"])
    if "json" in args:
        Path(args["json"]).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        print(format_report(report), flush=True)
    except BrokenPipeError:  # `nameh-eval … | head`: the reader left; no traceback at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
