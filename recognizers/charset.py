"""Text conventions of nameh: digit scripts, Persian/Arabic letter forms and reading order.

Every part of nameh that turns text into something else (the corpus generator when it prints a
value, the readers when they decode, the post-processor when it writes the CSV) goes through
this module, so the conventions live in one place.

Example:
    >>> cs = Charset()
    >>> cs.normalise("شماره ١٢٣/ك")
    'شماره 123/ک'
    >>> cs.to_digit_script("1402/05/12", "persian")
    '۱۴۰۲/۰۵/۱۲'
"""

from __future__ import annotations

from dataclasses import dataclass

from bidi import get_display

ASCII_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9, "Extended Arabic-Indic"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669, "Arabic-Indic"; ٤٥٦ are drawn differently
DIGIT_SCRIPTS = {"ascii": ASCII_DIGITS, "persian": PERSIAN_DIGITS, "arabic": ARABIC_DIGITS}

ZWNJ = "\u200c"
# Arabic code points whose Persian counterparts differ; normalisation maps them.
ARABIC_TO_PERSIAN_LETTERS = {"ي": "ی", "ى": "ی", "ك": "ک", "ە": "ه", "ۀ": "ه\u0654"}

# A placeholder of strong right-to-left type (Hebrew alef) used to ask the bidi algorithm for
# the visual order of runs without letting it see (and reverse) the letters inside a run.
_RTL_PLACEHOLDER = "\u05d0"


def _translation(source: str, target: str) -> dict[int, str]:
    return {ord(s): t for s, t in zip(source, target, strict=True)}


@dataclass(frozen=True)
class Charset:
    """Owns nameh's text conventions.

    Args:
        digit_script: the script `normalise` writes digits in (`ascii`, `persian`, `arabic`).

    Example:
        >>> Charset().digit_value("۴")
        4
    """

    digit_script: str = "ascii"

    def __post_init__(self) -> None:
        if self.digit_script not in DIGIT_SCRIPTS:
            raise ValueError(
                f"unknown digit script {self.digit_script!r}; choose one of {sorted(DIGIT_SCRIPTS)}"
            )

    # --- digits -------------------------------------------------------------------------
    @staticmethod
    def digit_value(char: str) -> int | None:
        """The value of a digit in any of the three scripts, or None for a non-digit.

        Example:
            >>> Charset.digit_value("٦"), Charset.digit_value("x")
            (6, None)
        """
        for digits in DIGIT_SCRIPTS.values():
            index = digits.find(char)
            if index >= 0 and len(char) == 1:
                return index
        return None

    @staticmethod
    def to_digit_script(text: str, script: str) -> str:
        """Rewrite every digit of `text` (any script) in `script`.

        Example:
            >>> Charset.to_digit_script("۱۲/3", "arabic")
            '١٢/٣'
        """
        if script not in DIGIT_SCRIPTS:
            raise ValueError(f"unknown digit script {script!r}; choose one of {sorted(DIGIT_SCRIPTS)}")
        target = DIGIT_SCRIPTS[script]
        table: dict[int, str] = {}
        for digits in DIGIT_SCRIPTS.values():
            table.update(_translation(digits, target))
        return text.translate(table)

    # --- letters ------------------------------------------------------------------------
    def normalise(self, text: str) -> str:
        """Digits into this charset's script, Arabic letter forms into Persian ones.

        Example:
            >>> Charset().normalise("كريم ٤٥")
            'کریم 45'
        """
        text = self.to_digit_script(text, self.digit_script)
        return "".join(ARABIC_TO_PERSIAN_LETTERS.get(c, c) for c in text)

    # --- reading order ------------------------------------------------------------------
    @staticmethod
    def is_rtl_char(char: str) -> bool:
        """True for characters of strong right-to-left type (Persian/Arabic letters).

        Example:
            >>> Charset.is_rtl_char("ب"), Charset.is_rtl_char("۱")
            (True, False)
        """
        code = ord(char)
        return (0x0600 <= code <= 0x06FF and Charset.digit_value(char) is None
                and char not in "\u060c\u061b\u066b\u066c") or 0xFB50 <= code <= 0xFEFF

    @staticmethod
    def split_runs(token: str) -> list[str]:
        """Split a token into runs: maximal letter runs (ZWNJ stays inside) and single others.

        Example:
            >>> Charset.split_runs("12/الف/3")
            ['1', '2', '/', 'الف', '/', '3']
        """
        runs: list[str] = []
        for char in token:
            joins = Charset.is_rtl_char(char) or char == ZWNJ
            if joins and runs and (Charset.is_rtl_char(runs[-1][-1]) or runs[-1][-1] == ZWNJ):
                runs[-1] += char
            else:
                runs.append(char)
        return runs

    @staticmethod
    def visual_runs(token: str) -> list[str]:
        """The runs of `token` in the order they appear on the page, left to right.

        The token is laid out in a right-to-left paragraph (as on a Persian letter) by the Unicode
        bidi algorithm; each letter run keeps its logical spelling (the font shapes it).

        Example:
            >>> Charset.visual_runs("۲۳/د/۴۵۶۷")
            ['۴', '۵', '۶', '۷', '/', 'د', '/', '۲', '۳']
        """
        runs = Charset.split_runs(token)
        letter_runs = [r for r in runs if Charset.is_rtl_char(r[0])]
        masked = "".join(_RTL_PLACEHOLDER if Charset.is_rtl_char(r[0]) else r for r in runs)
        visual = get_display(masked, base_dir="R")
        # Placeholders come out in reversed logical order (right-to-left reading).
        pending = list(reversed(letter_runs))
        return [pending.pop(0) if c == _RTL_PLACEHOLDER else c for c in visual]
