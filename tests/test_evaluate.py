"""nameh-eval on hand-made CSVs."""

import csv

import pytest

from pipeline.evaluate import evaluate, format_report, main, normalise_value

TRUTH = [
    {"source": "a.jpg", "page": "1", "number": "۱۲۳۴/ص/۱۴۰۲", "date": "1402/05/12", "attachment": "ندارد",
     "title": "درخواست وام"},
    {"source": "b.jpg", "page": "1", "number": "87/54321", "date": "1399/12/30", "attachment": "",
     "title": "گزارش"},
    {"source": "c.pdf", "page": "2", "number": "9876-12", "date": "1401/01/01", "attachment": "۲ برگ",
     "title": ""},
]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["source", "page", "number", "date", "attachment", "title", "status"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("a", "b"), [
    ("۱۲۳۴ / ص / ۱۴۰۲", "1234/ص/1402"), ("١٢٣٤/ص/١٤٠٢", "1234/ص/1402"), ("علي", "علی"),
    ("  درخواست   وام ", "درخواست وام"), ("‌گزارش‌", "گزارش"), ("۲ برگ", "2 برگ"),
])
def test_normalisation(a, b):
    assert normalise_value(a) == normalise_value(b)


def test_perfect_prediction(tmp_path):
    report = evaluate(write(tmp_path / "t.csv", TRUTH), write(tmp_path / "p.csv", TRUTH))
    assert report["all_fields_right"] == 1.0 and report["worst"] == []
    assert all(f["accuracy"] == 1.0 for f in report["fields"].values())


def test_missing_extra_rows_and_presence_errors(tmp_path):
    pred = [dict(TRUTH[0], number="1234/ص/1402"),                      # digits in another script: right
            dict(TRUTH[1], attachment="دارد", title="گزارش کار"),       # reported where there is none
            {"source": "z.jpg", "page": "1", "number": "1"}]            # extra row; c.pdf is missing
    report = evaluate(write(tmp_path / "t.csv", TRUTH), write(tmp_path / "p.csv", pred))
    assert report["missing_rows"] == 1 and report["extra_rows"] == 1
    att = report["fields"]["attachment"]
    assert att["accuracy"] == pytest.approx(1 / 3)                     # a.jpg right; b wrong; c missing
    assert att["presence_precision"] == pytest.approx(1 / 2)           # 2 reported, 1 really there
    assert att["presence_recall"] == pytest.approx(1 / 2)              # 2 there, 1 found
    assert report["fields"]["title"]["cer"] == pytest.approx(4 / (len("درخواست وام") + len("گزارش")))
    assert report["all_fields_right"] == pytest.approx(1 / 3)
    assert [w["source"] for w in report["worst"]] == ["c.pdf", "b.jpg"]
    assert "all fields right: 33.33%" in format_report(report)


def test_command_line(tmp_path, capsys):
    truth = write(tmp_path / "t.csv", TRUTH)
    assert main([f"truth={truth}", f"pred={truth}", f"json={tmp_path / 'r.json'}"]) == 0
    assert "100.00%" in capsys.readouterr().out and (tmp_path / "r.json").is_file()
    assert main([f"truth={truth}"]) == 2


def test_command_line_missing_file(tmp_path, capsys):
    truth = write(tmp_path / "t.csv", TRUTH)
    assert main([f"truth={truth}", f"pred={tmp_path / 'none.csv'}"]) == 2
    assert "pred file not found" in capsys.readouterr().err


def test_command_line_into_a_closed_pipe(tmp_path):
    """`nameh-eval … | head`: the reader has gone before the report is written; no traceback."""
    import os
    import subprocess
    import sys

    truth = write(tmp_path / "t.csv", TRUTH)
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to write_end now fails with EPIPE
    code = ("from pipeline.evaluate import main; import sys; "
            f"sys.exit(main(['truth={truth}', 'pred={truth}']))")
    done = subprocess.run([sys.executable, "-c", code], stdout=write_end, stderr=subprocess.PIPE, text=True,
                          check=False)
    os.close(write_end)
    assert "Traceback" not in done.stderr, done.stderr
