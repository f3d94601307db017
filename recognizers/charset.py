"""Text conventions of nameh: digit scripts, Persian/Arabic letter forms and reading order.

Every part of nameh that turns text into something else (the corpus generator when it prints a
value, the readers when they decode, the post-processor when it writes the CSV) goes through
this module, so the conventions live in one place.

The readers' alphabet lives here too: CTC class 0 is the blank, every other class is one
canonical symbol (digits as ASCII whatever their script, Persian letter forms). The readers see a
line left to right, so their targets are in *visual* order; `to_visual` and `to_logical` convert.

Example:
    >>> cs = Charset()
    >>> cs.normalise("شماره ١٢٣/ك")
    'شماره 123/ک'
    >>> cs.to_digit_script("1402/05/12", "persian")
    '۱۴۰۲/۰۵/۱۲'
    >>> cs.to_logical(cs.to_visual("۲۳/د/۴۵۶۷"))
    '۲۳/د/۴۵۶۷'
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

# The readers' symbols (canonical forms, plus three marked digits). Digits encode to the ASCII
# class of their value: ۱ and ١ cannot be told apart on paper. Only ٤ ٥ ٦ are drawn unlike ۴ ۵ ۶,
# and an alphabet may hold them as classes of their own (MARKED_ARABIC_DIGITS): the reader then
# sees which script a page uses, and that decides reading order, since between Arabic-Indic
# digits '-' is a bidi neutral ("١٣٨-٥٠١" is printed ٥٠١-١٣٨) while between Persian ones it is not.
PERSIAN_LETTERS = "آاأإءئؤبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیةً\u0654"
PUNCTUATION = "/-_:.,،"
MARKED_ARABIC_DIGITS = "٤٥٦"
DEFAULT_ALPHABET = ASCII_DIGITS + PUNCTUATION + " " + ZWNJ + PERSIAN_LETTERS + MARKED_ARABIC_DIGITS
BLANK = 0  # CTC blank index; symbol i of the alphabet is class i + 1


class CharsetError(ValueError):
    """Text holds characters the alphabet cannot encode; `missing` names them."""

    def __init__(self, text: str, missing: list[str]) -> None:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        super().__init__(f"cannot encode {text!r}: not in the alphabet: {shown}")
        self.missing = missing


# A placeholder of strong right-to-left type (Hebrew alef) used to ask the bidi algorithm for
# the visual order of runs without letting it see (and reverse) the letters inside a run.
_RTL_PLACEHOLDER = "\u05d0"


# `str.translate` tables, built once: every digit script into each script, and the canonical form
# (ASCII digits, Persian letter forms). Canonicalising is on every reading's path and the word
# list's 30,000 words at load: rebuilding these per call took 1.5 s of a 100-page run.
DIGIT_TABLES = {
    script: {ord(s): t for digits in DIGIT_SCRIPTS.values() for s, t in zip(digits, target, strict=True)}
    for script, target in DIGIT_SCRIPTS.items()
}
CANONICAL_TABLE = {**DIGIT_TABLES["ascii"], **{ord(a): p for a, p in ARABIC_TO_PERSIAN_LETTERS.items()}}


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
    alphabet: str = DEFAULT_ALPHABET

    def __post_init__(self) -> None:
        if self.digit_script not in DIGIT_SCRIPTS:
            raise ValueError(
                f"unknown digit script {self.digit_script!r}; choose one of {sorted(DIGIT_SCRIPTS)}"
            )
        if len(set(self.alphabet)) != len(self.alphabet):
            raise ValueError("the alphabet repeats a symbol")
        if any(Charset.canonical(c) != c and c not in MARKED_ARABIC_DIGITS for c in self.alphabet):
            raise ValueError("the alphabet must hold canonical symbols only (ASCII digits, Persian "
                             f"letters) and the marked digits {MARKED_ARABIC_DIGITS}")

    # --- classes ------------------------------------------------------------------------
    @property
    def num_classes(self) -> int:
        """Alphabet size plus one for the CTC blank.

        Example:
            >>> Charset(alphabet="0123").num_classes
            5
        """
        return len(self.alphabet) + 1

    def encode(self, text: str) -> list[int]:
        """Class indices of `text` (any digit script, Arabic or Persian letter forms), in the
        order given; raises `CharsetError` naming every character it cannot encode.

        Example:
            >>> Charset(alphabet="0123/").encode("۱/٣")
            [2, 5, 4]
        """
        symbols = self.symbols(text)
        index = {c: i + 1 for i, c in enumerate(self.alphabet)}
        missing = sorted({c for c in symbols if c not in index})
        if missing:
            raise CharsetError(text, missing)
        return [index[c] for c in symbols]

    def symbols(self, text: str) -> str:
        """`text` in this alphabet's symbols: canonical, except the marked digits it holds.

        Example:
            >>> Charset().symbols("۴٤١"), Charset(alphabet="0123456789").symbols("۴٤١")
            ('4٤1', '441')
        """
        return "".join(c if c in MARKED_ARABIC_DIGITS and c in self.alphabet else Charset.canonical(c)
                       for c in text)

    @property
    def marks_digit_script(self) -> bool:
        """Whether the alphabet tells Arabic-Indic ٤ ٥ ٦ from the other scripts' 4 5 6.

        Example:
            >>> Charset().marks_digit_script, Charset(alphabet="0123456789").marks_digit_script
            (True, False)
        """
        return all(c in self.alphabet for c in MARKED_ARABIC_DIGITS)

    def digit_script_seen(self, text: str) -> str | None:
        """The digit script a reading in this alphabet's symbols shows: `arabic` (a marked
        digit), `persian` (4, 5 or 6 of the Persian or ASCII form: both order like European
        digits), or None (no 4, 5 or 6, or an alphabet that cannot tell).

        Example:
            >>> [Charset().digit_script_seen(t) for t in ("12-٤", "1402", "13")]
            ['arabic', 'persian', None]
        """
        if not self.marks_digit_script:
            return None
        if any(c in MARKED_ARABIC_DIGITS for c in text):
            return "arabic"
        return "persian" if any(c in "456" for c in text) else None

    def decode(self, classes: list[int]) -> str:
        """The symbols of class indices (blanks dropped); the inverse of `encode`.

        Example:
            >>> Charset(alphabet="0123/").decode([2, 0, 5, 4])
            '1/3'
        """
        return "".join(self.alphabet[c - 1] for c in classes if c != BLANK)

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
        return text.translate(DIGIT_TABLES[script])

    # --- letters ------------------------------------------------------------------------
    @staticmethod
    def canonical(text: str) -> str:
        """ASCII digits and Persian letter forms: the form the readers' classes are made of.

        Example:
            >>> Charset.canonical("ي٤۵")
            'ی45'
        """
        return text.translate(CANONICAL_TABLE)

    def normalise(self, text: str) -> str:
        """Digits into this charset's script, Arabic letter forms into Persian ones.

        Example:
            >>> Charset().normalise("كريم ٤٥")
            'کریم 45'
        """
        return self.to_digit_script(self.canonical(text), self.digit_script)

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
    def to_visual(text: str) -> str:
        """The characters of a line in the order they stand on the page, left to right, as a
        reader scanning the image meets them (letters of a word reversed, numbers not).

        Words are laid out right to left, each by the bidi algorithm (`visual_runs`), exactly as
        the corpus renderer draws them.

        Example:
            >>> Charset.to_visual("۳ برگ")
            'گرب ۳'
            >>> Charset.to_visual("12/ص/1402")
            '1402/ص/12'
        """
        words = []
        for token in reversed(text.split(" ")):
            runs = Charset.visual_runs(token) if token else []
            words.append("".join(r[::-1] if Charset.is_rtl_char(r[0]) else r for r in runs))
        return " ".join(words)

    @staticmethod
    def to_logical(visual: str) -> str:
        """The inverse of `to_visual`: a left-to-right reading back in logical order.

        A word holding a marked digit (٤ ٥ ٦) is ordered as Arabic-Indic digits are: all its
        digits are taken to be of that script (the others look alike in both).

        Example:
            >>> Charset.to_logical("4567/د/23")
            '23/د/4567'
            >>> Charset.to_logical("501-13٦")
            '١٣٦-٥٠١'
        """
        words = []
        for vword in reversed(visual.split(" ")):
            if any(c in MARKED_ARABIC_DIGITS for c in vword):
                vword = Charset.to_digit_script(vword, "arabic")
            # Reversed, the word has its letters in logical order and its numbers backwards; the
            # bidi algorithm on that (letters masked) reverses exactly the number runs again.
            backwards = vword[::-1]
            letters = [c for c in backwards if Charset.is_rtl_char(c) or c == ZWNJ]
            masked = "".join(_RTL_PLACEHOLDER if (Charset.is_rtl_char(c) or c == ZWNJ) else c
                             for c in backwards)
            shown = get_display(masked, base_dir="R")[::-1] if masked else ""
            pending = iter(letters)
            words.append("".join(next(pending) if c == _RTL_PLACEHOLDER else c for c in shown))
        return " ".join(words)

    @staticmethod
    def as_arabic_digits(text: str) -> str:
        """`text`, read in logical order as if its digits were Persian, reordered as it reads
        when the page's digits are Arabic-Indic (only `-`, `+` and `_` between numbers move).

        Example:
            >>> Charset.as_arabic_digits("501-138"), Charset.as_arabic_digits("12/ص/1402")
            ('138-501', '12/ص/1402')
        """
        visual = Charset.to_digit_script(Charset.to_visual(Charset.canonical(text)), "arabic")
        return Charset.canonical(Charset.to_logical(visual))

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
