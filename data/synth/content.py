"""What a generated letter says: field values (with their truth) and the rest of the text.

Values are produced in logical (reading) order with ASCII digits; `Charset.to_digit_script`
prints them in the digit script chosen for the page.

Example:
    >>> import numpy as np
    >>> maker = ContentMaker(Vocabulary.load(), ContentConfig())
    >>> date = maker.date(np.random.default_rng(0))
    >>> len(date.truth) == 10 and date.truth[4] == "/"
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import jdatetime
import numpy as np

from data.synth.vocabulary import Vocabulary
from recognizers.dates import JALALI_MONTHS, month_length

WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه")
NUMBER_WORDS = ("یک", "دو", "سه", "چهار", "پنج", "شش")
ORDINALS = ("اول", "دوم", "سوم", "چهارم")
# Letter segments seen in Iranian letter numbers (secretariat codes).
NUMBER_LETTERS = ("ص", "ق", "م", "ب", "د", "ک", "ج", "ن", "ت", "ش", "ر", "س", "ح", "گ", "پ", "الف")


def choose(rng: np.random.Generator, items: Sequence):
    """One item of a sequence, drawn with `rng`."""
    return items[int(rng.integers(len(items)))]


def choose_weighted(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    """A key of `weights`, drawn with probability proportional to its weight."""
    keys = list(weights)
    p = np.asarray([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def digits(rng: np.random.Generator, low: int, high: int) -> str:
    """A random run of ASCII digits whose length lies in [low, high]; no leading zero."""
    n = int(rng.integers(low, high + 1))
    first = str(int(rng.integers(1, 10)))
    return first + "".join(str(int(d)) for d in rng.integers(0, 10, size=n - 1))


@dataclass(frozen=True)
class Value:
    """A field value: `text` as printed (logical order, ASCII digits) and its CSV `truth`."""

    text: str
    truth: str
    gregorian: str = ""


@dataclass
class ContentConfig:
    """Weights of the value shapes; mirrors `conf/synth/content/default.yaml`."""

    year_range: tuple[int, int] = (1370, 1410)
    date_formats: dict[str, float] = field(default_factory=lambda: {
        "ymd_padded": 0.45, "ymd": 0.15, "yy_md": 0.08, "dmy": 0.07, "ymd_dash": 0.07,
        "ymd_dot": 0.03, "month_name": 0.15,
    })
    number_formats: dict[str, float] = field(default_factory=lambda: {
        "n/L/yyyy": 0.30, "n/L/L/L/yyyy": 0.10, "nn/nnnnn": 0.12, "nnnn-nn": 0.08,
        "plain": 0.10, "nn/L/nnnn": 0.10, "yyyy/n": 0.08, "n_n": 0.06, "L/n": 0.04,
        "n/LL/yy": 0.04,
    })
    attachment_formats: dict[str, float] = field(default_factory=lambda: {
        "ندارد": 0.40, "دارد": 0.12, "n برگ": 0.18, "word برگ": 0.08, "n صفحه": 0.07,
        "یک نسخه": 0.05, "n نسخه": 0.05, "n پرونده": 0.03,
    })
    subject_words: tuple[int, int] = (1, 8)


class ContentMaker:
    """Draws letter content from a vocabulary.

    Example:
        >>> import numpy as np
        >>> maker = ContentMaker(Vocabulary.load(), ContentConfig())
        >>> maker.attachment(np.random.default_rng(3)).truth != ""
        True
    """

    def __init__(self, vocab: Vocabulary, config: ContentConfig) -> None:
        self.vocab = vocab
        self.config = config

    # --- field values -----------------------------------------------------------------
    def jalali(self, rng: np.random.Generator) -> jdatetime.date:
        """A valid Jalali date in the configured year range (leap years included)."""
        y0, y1 = self.config.year_range
        year = int(rng.integers(y0, y1 + 1))
        month = int(rng.integers(1, 13))
        return jdatetime.date(year, month, int(rng.integers(1, month_length(year, month) + 1)))

    def date(self, rng: np.random.Generator, fmt: str | None = None) -> Value:
        """A date value in one of the configured printed formats."""
        day = self.jalali(rng)
        fmt = fmt or choose_weighted(rng, self.config.date_formats)
        y, m, d = day.year, day.month, day.day
        text = {
            "ymd_padded": f"{y}/{m:02d}/{d:02d}",
            "ymd": f"{y}/{m}/{d}",
            "yy_md": f"{y % 100:02d}/{m}/{d}" if rng.random() < 0.5 else f"{y % 100:02d}/{m:02d}/{d:02d}",
            "dmy": f"{d}/{m}/{y}" if rng.random() < 0.5 else f"{d:02d}/{m:02d}/{y}",
            "ymd_dash": f"{y}-{m:02d}-{d:02d}",
            "ymd_dot": f"{y}.{m:02d}.{d:02d}",
            "month_name": f"{d} {JALALI_MONTHS[m - 1]} {y}",
        }[fmt]
        return Value(text, f"{y:04d}/{m:02d}/{d:02d}", day.togregorian().isoformat())

    def number(self, rng: np.random.Generator) -> Value:
        """A letter number in one of the shapes Iranian secretariats use."""
        fmt = choose_weighted(rng, self.config.number_formats)
        year = str(int(rng.integers(self.config.year_range[0], self.config.year_range[1] + 1)))

        def letter() -> str:
            return choose(rng, NUMBER_LETTERS)

        text = {
            "n/L/yyyy": lambda: f"{digits(rng, 2, 6)}/{letter()}/{year}",
            "n/L/L/L/yyyy": lambda: f"{digits(rng, 3, 6)}/{letter()}/{letter()}/{letter()}/{year}",
            "nn/nnnnn": lambda: f"{digits(rng, 1, 3)}/{digits(rng, 3, 6)}",
            "nnnn-nn": lambda: f"{digits(rng, 3, 5)}-{digits(rng, 1, 3)}",
            "plain": lambda: digits(rng, 3, 8),
            "nn/L/nnnn": lambda: f"{digits(rng, 1, 3)}/{letter()}/{digits(rng, 3, 5)}",
            "yyyy/n": lambda: f"{year}/{digits(rng, 2, 6)}",
            "n_n": lambda: f"{digits(rng, 2, 4)}_{digits(rng, 2, 4)}",
            "L/n": lambda: f"{letter()}/{digits(rng, 3, 6)}",
            "n/LL/yy": lambda: f"{digits(rng, 2, 5)}/{letter()}{letter()}/{year[2:]}",
        }[fmt]()
        return Value(text, text)

    def attachment(self, rng: np.random.Generator) -> Value:
        """An attachment value: none, yes, or a count of sheets/copies."""
        fmt = choose_weighted(rng, self.config.attachment_formats)
        count = str(int(rng.integers(1, 25)))
        text = (fmt.replace("word", choose(rng, NUMBER_WORDS)).replace("n ", count + " ", 1)
                if fmt.split(" ")[0] in ("n", "word") else fmt)
        return Value(text, text)

    def subject(self, rng: np.random.Generator, words: tuple[int, int] | None = None) -> Value:
        """A subject line of 1–8 official words."""
        low, high = words or self.config.subject_words
        n = int(rng.integers(low, high + 1))
        text = " ".join(choose(rng, self.vocab.subject_words) for _ in range(n))
        return Value(text, text)

    def national_id(self, rng: np.random.Generator) -> str:
        """A national document ID (شناسه ملی سند): number-like, not a field."""
        return digits(rng, 12, 16)

    # --- the rest of the letter ----------------------------------------------------------
    def person(self, rng: np.random.Generator, female: bool | None = None) -> str:
        """A first and last name; `female` picks the list (random when None)."""
        female = bool(rng.random() < 0.35) if female is None else female
        first = choose(rng, self.vocab.female_names if female else self.vocab.male_names)
        return f"{first} {choose(rng, self.vocab.last_names)}"

    def letterhead(self, rng: np.random.Generator) -> list[str]:
        lines = []
        if rng.random() < 0.6:
            lines.append("جمهوری اسلامی ایران")
        org = choose(rng, self.vocab.organisations)
        lines.append(org)
        if rng.random() < 0.5:
            prefix = "استان" if org.startswith("اداره") else "اداره کل"
            lines.append(f"{prefix} {choose(rng, self.vocab.provinces)}"
                         if rng.random() < 0.5 else choose(rng, self.vocab.units))
        return lines

    def recipient(self, rng: np.random.Generator) -> list[str]:
        female = bool(rng.random() < 0.35)
        titles = (("سرکار خانم", "سرکار خانم دکتر", "سرکار خانم مهندس") if female
                  else ("جناب آقای", "جناب آقای دکتر", "جناب آقای مهندس"))
        lines = [f"{choose(rng, titles)} {self.person(rng, female)}"]
        lines.append(f"{choose(rng, self.vocab.positions)} محترم {choose(rng, self.vocab.organisations)}")
        return lines

    def body_sentence(self, rng: np.random.Generator) -> str:
        """A sentence of the letter's body, with distractor numbers and dates."""
        template = choose(rng, self.vocab.body_sentences)
        year = int(rng.integers(self.config.year_range[0], self.config.year_range[1] + 1))
        fills = {
            "number": self.number(rng).text,
            "date": self.date(rng, fmt="ymd_padded" if rng.random() < 0.7 else None).text,
            "subject": self.subject(rng, (1, 4)).text,
            "amount": f"{int(rng.integers(1, 999))},{int(rng.integers(0, 1000)):03d},000",
            "account": digits(rng, 8, 13),
            "weekday": choose(rng, WEEKDAYS),
            "hour": f"{int(rng.integers(8, 17))}:{choose(rng, ('00', '30'))}",
            "count": str(int(rng.integers(2, 12))),
            "ordinal": choose(rng, ORDINALS),
            "year": str(year),
            "name": self.person(rng),
        }
        return template.format(**fills)

    def body(self, rng: np.random.Generator) -> list[str]:
        """One to four paragraphs, each of one to five sentences."""
        return ["، ".join(self.body_sentence(rng) for _ in range(int(rng.integers(1, 6)))) + "."
                for _ in range(int(rng.integers(1, 5)))]

    def signature(self, rng: np.random.Generator) -> list[str]:
        return [self.person(rng), choose(rng, self.vocab.positions)]

    def copies(self, rng: np.random.Generator) -> list[str]:
        """رونوشت lines: the header and one to three recipients."""
        purposes = ("جهت اطلاع", "جهت استحضار", "جهت اطلاع و اقدام لازم", "جهت پیگیری")
        return [" ".join(("-", choose(rng, self.vocab.positions), "محترم", choose(rng, self.vocab.units),
                          choose(rng, purposes))) for _ in range(int(rng.integers(1, 4)))]
