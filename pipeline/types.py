"""What the pipeline produces per page: typed results that know how to become a CSV row and a
JSON line.

Example:
    >>> page = PageResult("a/b.jpg", 1, fields={}, status="no_fields")
    >>> page.row()["status"], page.row()["number"]
    ('no_fields', '')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

FIELDS = ("number", "date", "attachment", "title")
CSV_COLUMNS = (
    "source",
    "page",
    "number",
    "date",
    "date_gregorian",
    "attachment",
    "title",
    "number_conf",
    "date_conf",
    "attachment_conf",
    "title_conf",
    "status",
    "error",
)
STATUSES = ("ok", "partial", "no_fields", "error")


@dataclass
class FieldResult:
    """One header field of a page: the value as written to the CSV and how it was reached.

    Attributes:
        text: the value in reading order, ASCII digits, Persian letter forms ('' if unreadable).
        confidence: in [0, 1].
        valid: whether the value passed its check (dates: a real Jalali date).
        box: the value's box on the page as loaded (x0, y0, x1, y1).
        crnn, glyphs: the two readings before fusion ('' / None when not made).
        source: which reading won (`agree`, `crnn`, `glyphs`).
        gregorian: for dates, the ISO Gregorian day.
        box_from: where the box came from: `detector`, `grown along line` (a subject box widened
            to its line's ink), `grown to label` (a numeric box grown over the glyphs it cut off on
            its label's side) or `beside label` (no value box: the ink left of the label).
    """

    text: str
    confidence: float
    valid: bool
    box: tuple[float, float, float, float]
    crnn: str = ""
    glyphs: str | None = None
    source: str = "crnn"
    gregorian: str = ""
    box_from: str = "detector"


@dataclass
class PageResult:
    """One page: its fields, status, every detection (for tracing) and any error."""

    source: str
    page: int
    fields: dict[str, FieldResult] = field(default_factory=dict)
    status: str = "ok"
    error: str = ""
    detections: list[dict] = field(default_factory=list)
    rotation: int = 0  # degrees the page was turned (counter-clockwise) before reading
    skew: float = 0.0  # degrees it was turned (counter-clockwise) to level its text, before that
    region: tuple[int, int, int, int] | None = None  # the part of the scan read as the letter

    def row(self) -> dict[str, object]:
        """The page's `metadata.csv` row."""
        row: dict[str, object] = {"source": self.source, "page": self.page}
        for name in FIELDS:
            f = self.fields.get(name)
            ok = f is not None and f.valid
            row[name] = f.text if ok else ""
            row[f"{name}_conf"] = f"{f.confidence:.4f}" if ok else ""
        date = self.fields.get("date")
        row["date_gregorian"] = date.gregorian if date is not None and date.valid else ""
        row["status"], row["error"] = self.status, self.error
        return {c: row[c] for c in CSV_COLUMNS}

    def trace(self) -> dict[str, object]:
        """The page's `detections.jsonl` record: boxes and every reading."""
        return {
            "source": self.source,
            "page": self.page,
            "status": self.status,
            "error": self.error,
            "rotation": self.rotation,
            "skew": self.skew,
            "region": None if self.region is None else list(self.region),
            "detections": self.detections,
            "fields": {k: asdict(v) for k, v in self.fields.items()},
        }
