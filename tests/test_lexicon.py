"""The Persian word list and the lexicon correction of subject readings."""

from __future__ import annotations

import gzip
import inspect
import itertools
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hydra import compose, initialize_config_dir

from recognizers.charset import BLANK, DEFAULT_ALPHABET, ZWNJ, Charset
from recognizers.checkpoint import save_checkpoint
from recognizers.reader.lexicon import (
    HAZM_WORDS,
    WORDFREQ_FA,
    Lexicon,
    LexiconCorrector,
    LexiconError,
    ctc_log_likelihood,
    main,
)
from recognizers.reader.model import CRNN
from recognizers.reader.predictor import TextReader
from tests.conftest import CONF_DIR

SHIPPED = Path(__file__).resolve().parents[1] / "recognizers" / "weights" / "lexicon.txt.gz"


# --- the word list -----------------------------------------------------------------------------
def test_known_accepts_listed_words_and_their_inflections_only():
    lex = Lexicon.from_words(["نامه", "کار", "دانشجو", "مأموریت", "شاخص", "افزار"])
    assert all(lex.known(w) for w in ["نامه", "نامه‌ها", "نامه‌های", "کاری", "کارها", "دانشجویان",
                                       "می‌کار", "کار‌نامه", "مأموریت", "ماموریت"])
    assert not any(lex.known(w) for w in ["نامهها", "نامم", "ک", "", "شاخص‌ما", "نر‌افزار"])


def test_words_are_canonical_and_letters_only():
    lex = Lexicon({"كار": 3, "12": 5, "a-b": 1, "نامه": 0})
    assert lex.counts == {"کار": 3, "نامه": 0}
    assert lex.count("کارها") == 3 and lex.count("بیگانه") == 0


def test_neighbours_are_known_words_within_the_edit_budget():
    lex = Lexicon.from_words(["گواهی", "پرسشنامه", "آمار"])
    assert lex.neighbours("گوامی") == {"گواهی"}  # substitution
    assert lex.neighbours("آماز") == {"آمار"}
    assert lex.neighbours("پسشنامه") == {"پرسشنامه"}  # insertion
    assert lex.neighbours("پرودشنامه") == set()  # two edits away
    assert lex.neighbours("پرودشنامه", max_edits=2) == {"پرسشنامه"}
    assert lex.neighbours("آمار") == {"آماری"}  # inflected forms are neighbours, never the word itself


def test_load_refuses_a_missing_or_empty_list(tmp_path):
    with pytest.raises(LexiconError, match="no lexicon"):
        Lexicon.load(tmp_path / "missing.txt.gz")
    empty = tmp_path / "empty.txt"
    empty.write_text("123\t4\nabc\t1\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="no Persian word"):
        Lexicon.load(empty)


def test_build_joins_hazm_counted_words_and_wordfreq_words(tmp_path):
    import msgpack  # a dev dependency (setup.cfg), as the builder needs it
    hazm = tmp_path / "hazm-0.10.0-py3-none-any.whl"
    rows = ["كتاب\t120\tN", "نامه\t7\tN", "مدرسه\t0\tN", "x86\t3\tN", "بد\tnone\tAJ"]
    with zipfile.ZipFile(hazm, "w") as zf:
        zf.writestr(HAZM_WORDS, "\n".join(rows) + "\n")
    wordfreq = tmp_path / "wordfreq-3.1.1-py3-none-any.whl"
    # bucket i: frequency 10^(-i/100); ندارد at 10^-7 (100 a billion), كتاب at 10^-9 (1 a billion)
    buckets = [{"format": "cB", "version": 1}] + [[] for _ in range(900)]
    buckets[1 + 700].append("ندارد")
    buckets[1 + 900 - 1].append("كتاب")
    buckets[1 + 700].append("123")
    buckets[1 + 750].append("مامانه")  # 10^-7.5: under --wordfreq-min
    with zipfile.ZipFile(wordfreq, "w") as zf:
        zf.writestr(WORDFREQ_FA, gzip.compress(msgpack.packb(buckets)))
    out = tmp_path / "lexicon.txt.gz"
    main(["--hazm-wheel", str(hazm), "--wordfreq-wheel", str(wordfreq), "--out", str(out),
          "--wordfreq-min", "50"])
    with gzip.open(out, "rt", encoding="utf-8") as f:  # most frequent first; count 0 and non-words out
        assert f.read() == "کتاب\t120\nندارد\t100\nنامه\t7\n"
    assert Lexicon.load(out).counts == {"کتاب": 120, "ندارد": 100, "نامه": 7}


def test_the_shipped_list_loads():
    lex = Lexicon.load(SHIPPED)
    assert len(lex) > 20_000
    assert lex.known("درخواست") and lex.known("گواهی") and not lex.known("گوامی")


# --- CTC scoring and correction ----------------------------------------------------------------
def test_ctc_log_likelihood_sums_every_alignment():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(3), size=4)  # 4 steps, blank + 2 symbols
    brute: dict[tuple[int, ...], float] = {}
    for path in itertools.product(range(3), repeat=4):
        collapsed = tuple(k for i, k in enumerate(path) if k != BLANK and (i == 0 or path[i - 1] != k))
        brute[collapsed] = brute.get(collapsed, 0.0) + float(np.prod(probs[range(4), path]))
    targets = [[1], [1, 2], [2, 2], [1, 1, 2], [1, 2, 1, 2, 1]]
    got = np.exp(ctc_log_likelihood(np.log(probs), targets))
    assert got == pytest.approx([brute.get(tuple(t), 0.0) for t in targets], abs=1e-6)
    assert got[-1] == 0.0  # five symbols cannot fit in four steps


def _logp_for(charset: Charset, text: str, doubt: dict[int, tuple[str, float]]) -> np.ndarray:
    """Log-probabilities that read `text` (logical order) one symbol per two steps; at the symbol
    positions in `doubt` (index into the visual string), another symbol gets the given share."""
    visual = charset.to_visual(text)
    probs = np.full((2 * len(visual), charset.num_classes), 1e-4)
    for i, c in enumerate(visual):
        probs[2 * i, charset.encode(c)[0]] = 1.0
        if i in doubt:
            other, share = doubt[i]
            probs[2 * i, charset.encode(c)[0]], probs[2 * i, charset.encode(other)[0]] = 1 - share, share
        probs[2 * i + 1, BLANK] = 1.0
    return np.log(probs / probs.sum(axis=1, keepdims=True))


def test_an_unknown_word_takes_the_neighbour_the_image_supports():
    cs = Charset()
    lex = Lexicon.from_words(["گواهی", "درخواست"])
    # the reader saw گوامی (م, then ه as runner-up): visual order puts the word's م at index 1
    logp = _logp_for(cs, "درخواست گوامی", {1: ("ه", 0.2)})
    assert LexiconCorrector(cs, lex, margin=4.0).correct("درخواست گوامی", logp) == "درخواست گواهی"
    # a sure م: the image does not support ه within the margin
    sure = _logp_for(cs, "درخواست گوامی", {1: ("ه", 1e-4)})
    assert LexiconCorrector(cs, lex, margin=4.0).correct("درخواست گوامی", sure) == "درخواست گوامی"


def test_an_attachment_read_as_a_word_and_a_unit_takes_the_count_word_the_image_supports():
    """val3 p000131, val2 p000198: `دو برگ` read `در برگ` (both words listed, so `correct`
    keeps it)."""
    cs = Charset()
    lex = Lexicon.from_words(["در", "دو", "برگ"])
    # visual order (گ ر ب, space, ر د): the count word's ر (و the runner-up) is index 4
    logp = _logp_for(cs, "در برگ", {4: ("و", 0.3)})
    fix = LexiconCorrector(cs, lex, margin=4.0, count_margin=4.0)
    assert fix.correct("در برگ", logp) == "در برگ"
    assert fix.counted("در برگ", logp) == "دو برگ"
    assert LexiconCorrector(cs, lex, counts=False).counted("در برگ", logp) == "در برگ"
    sure = _logp_for(cs, "در برگ", {4: ("و", 1e-4)})
    assert fix.counted("در برگ", sure) == "در برگ"  # the image does not support و
    assert fix.counted("در متن", logp) == "در متن"  # no unit: not a count


def test_neighbours_one_edit_away_are_scored_before_frequent_ones_two_edits_away():
    """val2 p000253: موا (ه read م) has 808 neighbours within two edits; ranked by frequency
    alone, هوا (one edit) came 93rd and was never scored against the crop."""
    cs = Charset()
    frequent = {w: 1000 for w in ("موزه", "ماها", "نوار")}  # all two edits from موا
    lex = Lexicon({**frequent, "هوا": 1})
    logp = _logp_for(cs, "موا", {cs.to_visual("موا").index("م"): ("ه", 0.3)})
    fix = LexiconCorrector(cs, lex, margin=6.0, max_candidates=2)
    assert fix.correct("موا", logp) == "هوا"


def test_a_listed_word_beats_an_inflection_the_list_only_implies():
    """val2 p000080: ساختسان took ساختان (ساخت + ان, not a word) over ساختمان, 0.34 nats apart."""
    cs = Charset()
    read = "ساختسان"
    visual = cs.to_visual(read)
    probs = np.exp(_logp_for(cs, read, {visual.index("س"): ("م", 0.3)}))
    probs[2 * visual.index("س"), BLANK] = 0.45  # the deletion (ساختان) about as likely as م
    logp = np.log(probs / probs.sum(axis=1, keepdims=True))
    lex = Lexicon.from_words(["ساخت", "ساختمان"])
    assert lex.known("ساختان") and "ساختان" not in lex.counts
    assert LexiconCorrector(cs, lex, margin=6.0, inferred_penalty=0.0).correct(read, logp) == "ساختان"
    assert LexiconCorrector(cs, lex, margin=6.0).correct(read, logp) == "ساختمان"


def test_known_words_and_tokens_with_digits_are_left_alone():
    cs = Charset()
    lex = Lexicon.from_words(["نامه", "نام", "برگ"])
    logp = _logp_for(cs, "نامه", {0: ("م", 0.9)})  # the image prefers another known word
    assert LexiconCorrector(cs, lex, margin=10.0).correct("نامه", logp) == "نامه"
    digits = _logp_for(cs, "3 برگ", {})
    assert LexiconCorrector(cs, lex, margin=10.0).correct("3 برگ", digits) == "3 برگ"


@pytest.mark.parametrize(("space", "spaces", "expected"), [
    (0.3, True, "بند نوسازی"),     # a faint space between the two words: put back
    (0.3, False, "بندنوسازی"),     # turned off
    (1e-4, True, "بندنوسازی")])    # no gap in the image: the margin keeps the reading
def test_a_lost_space_between_two_listed_words_is_put_back(space, spaces, expected):
    cs = Charset()
    read = "بندنوسازی"
    logp = np.exp(_logp_for(cs, read, {}))
    gap = 2 * (len("نوسازی") - 1) + 1  # the blank step between نوسازی's ن and بند's د (visual order)
    logp[gap, cs.encode(" ")[0]] = space
    logp = np.log(logp / logp.sum(axis=1, keepdims=True))
    lex = Lexicon.from_words(["بند", "نوسازی"])
    assert lex.splits(read) == {"بند نوسازی"}
    assert LexiconCorrector(cs, lex, margin=4.0, spaces=spaces).correct(read, logp) == expected


@pytest.mark.parametrize(("space", "words", "expected"), [
    (0.3, ["دستورالعمل", "دستور"], "دستورالعمل"),     # a doubtful space inside a listed word: joined
    (0.9999, ["دستورالعمل", "دستور"], "دستورا لعمل"),  # a sure space: the reading stays
    (0.3, ["دستورالعمل", "دستورا", "لعمل"], "دستورا لعمل")])  # both halves listed: left alone
def test_a_space_read_inside_a_listed_word_is_taken_out(space, words, expected):
    cs = Charset()
    read = "دستورا لعمل"
    logp = np.exp(_logp_for(cs, read, {}))
    at = cs.to_visual(read).index(" ")
    logp[2 * at, cs.encode(" ")[0]], logp[2 * at, BLANK] = space, 1 - space
    logp = np.log(logp / logp.sum(axis=1, keepdims=True))
    lex = Lexicon.from_words(words)
    assert LexiconCorrector(cs, lex, margin=4.0).correct(read, logp) == expected
    assert LexiconCorrector(cs, lex, margin=4.0, spaces=False).correct(read, logp) == read


@pytest.mark.parametrize(("mark", "expected"), [
    (0.99, "درخواست یارانه،"),   # a sure mark stays after the mended word
    (0.01, "درخواست یارانه")])   # a doubtful one goes with the misread letter
def test_a_word_read_with_a_mark_at_its_end_is_still_corrected(mark, expected):
    """bench200 p000042: یارانه read `یاراند،`; the corrector skipped tokens holding a mark."""
    cs = Charset()
    read = "درخواست یاراند،"
    visual = cs.to_visual(read)
    logp = np.exp(_logp_for(cs, read, {visual.index("د"): ("ه", 0.3)}))
    at = visual.index("،")
    logp[2 * at, cs.encode("،")[0]], logp[2 * at, BLANK] = mark, 1 - mark
    logp = np.log(logp / logp.sum(axis=1, keepdims=True))
    lex = Lexicon.from_words(["یارانه", "درخواست"])
    assert LexiconCorrector(cs, lex, margin=4.0).correct(read, logp) == expected


def test_a_compound_known_only_by_its_parts_may_become_a_listed_compound():
    cs = Charset()
    read = "نره" + ZWNJ + "افزار"  # نرم‌افزار with م read ه: نره and افزار are words of their own
    at = cs.to_visual(read).index("ه")
    logp = _logp_for(cs, read, {at: ("م", 0.3)})
    listed = Lexicon.from_words(["نرم" + ZWNJ + "افزار", "نره", "افزار"])
    assert listed.known(read) and not listed.known_whole(read)
    assert LexiconCorrector(cs, listed, margin=4.0).correct(read, logp) == "نرم" + ZWNJ + "افزار"
    # nor for its own spelling without the ZWNJ, which a word list may hold (صورتحساب)
    joined = Lexicon.from_words(["نره" + "افزار", "نره", "افزار"])
    assert LexiconCorrector(cs, joined, margin=10.0).correct(read, logp) == read
    # no compound listed: the parts' word stays, even with a listed single word close by
    parts_only = Lexicon.from_words(["نره", "افزار", "نرم"])
    assert LexiconCorrector(cs, parts_only, margin=4.0).correct(read, logp) == read
    # a word known whole is never changed, however close a neighbour is
    doubtful = _logp_for(cs, "نره", {0: ("م", 0.4)})
    assert LexiconCorrector(cs, listed, margin=10.0).correct("نره", doubtful) == "نره"


# --- in the reader -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reader_files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("w")
    args = {"num_classes": Charset().num_classes, "height": 32, "width": 4, "hidden": 8, "layers": 1}
    save_checkpoint(folder / "reader.pt", "reader", args, CRNN(**args).state_dict(),
                    {"alphabet": DEFAULT_ALPHABET, "height": 32, "max_width": 400})
    (folder / "words.txt").write_text("گواهی\t5\nدرخواست\t9\n", encoding="utf-8")
    return folder / "reader.pt", folder / "words.txt"


def test_the_reader_corrects_subjects_and_attachments_only(reader_files):
    weights, words = reader_files
    reader = TextReader.load(weights, lexicon=words)
    logp = _logp_for(reader.charset, "گوامی", {1: ("ه", 0.2)})
    kinds = ["title", "attachment", None, "number", "date"]
    assert [r.text for r in reader.postprocess([logp] * 5, kinds)] == ["گواهی", "گواهی", *["گوامی"] * 3]
    plain = TextReader.load(weights)
    assert plain.lexicon is None and plain.postprocess([logp], ["title"])[0].text == "گوامی"


def test_the_reader_refuses_a_missing_lexicon(reader_files, tmp_path):
    with pytest.raises(LexiconError, match="no lexicon"):
        TextReader.load(reader_files[0], lexicon=tmp_path / "none.txt")


def test_the_reader_config_matches_the_loader_and_names_the_shipped_list():
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        cfg = compose(config_name="nameh", overrides=["input_dir=/tmp/unused"])
    defaults = inspect.signature(TextReader.load).parameters
    assert cfg.reader.lexicon_margin == defaults["lexicon_margin"].default == LexiconCorrector.margin
    assert cfg.reader.lexicon_edits == defaults["lexicon_edits"].default == LexiconCorrector.max_edits
    assert cfg.reader.lexicon_spaces == defaults["lexicon_spaces"].default == LexiconCorrector.spaces
    assert cfg.reader.lexicon_counts == defaults["lexicon_counts"].default == LexiconCorrector.counts
    assert (Path(CONF_DIR).parent / cfg.reader.lexicon).resolve() == SHIPPED
