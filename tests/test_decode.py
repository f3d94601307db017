"""CTC decoding on hand-made log-probabilities."""

import numpy as np
import pytest

from recognizers.charset import Charset
from recognizers.reader.decode import (
    ConstrainedDecoder,
    GreedyDecoder,
    beam_search,
    is_date,
    is_letter_number,
)

CS = Charset(alphabet="0123456789/ص")


def frames(*steps: dict[str, float] | str) -> np.ndarray:
    """T×C log-probs: each step is a symbol (probability 0.9) or {symbol: probability}; '' is blank;
    the rest of the mass is spread over the other classes."""
    probs = np.full((len(steps), CS.num_classes), 1e-6)
    for t, step in enumerate(steps):
        step = {step: 0.9} if isinstance(step, str) else step
        for symbol, p in step.items():
            probs[t, 0 if symbol == "" else CS.encode(symbol)[0]] = p
        probs[t] /= probs[t].sum()
    return np.log(probs)


def test_greedy_merges_repeats_and_drops_blanks():
    reading = GreedyDecoder(CS)(frames("1", "1", "", "1", "4", "4", "", "0", "2"))
    assert reading.text == "11402" and 0 < reading.confidence <= 1


def test_greedy_returns_reading_order_for_a_right_to_left_number():
    # the network sees "1402/ص/12" left to right; "12/ص/1402" is how it is read
    visual = [*"1402", "/", "ص", "/", *"12"]
    reading = GreedyDecoder(CS)(frames(*[s for c in visual for s in (c, "")]))
    assert reading.text == "12/ص/1402"


def test_confidence_is_the_least_sure_character():
    reading = GreedyDecoder(CS)(frames("1", "", {"2": 0.6, "3": 0.4}, "", "3"))
    assert reading.text == "123" and reading.confidence == pytest.approx(0.6, abs=1e-3)


def test_empty_output_is_an_empty_reading():
    assert GreedyDecoder(CS)(frames("", "", "")).text == ""


def test_beam_search_sums_paths_where_greedy_does_not():
    # greedy takes blank at every step, but "1" collects more mass over all of its paths
    logp = frames({"": 0.4, "1": 0.35, "2": 0.25}, {"": 0.4, "1": 0.35, "2": 0.25})
    assert GreedyDecoder(CS)(logp).text == ""
    best, _score = beam_search(logp, beam=4)[0]
    assert CS.decode(list(best)) == "1"


def test_beam_search_keeps_a_blank_separated_double():
    best, _ = beam_search(frames("1", "", "1"), beam=4)[0]
    assert CS.decode(list(best)) == "11"


def test_constrained_decoding_prefers_a_valid_date():
    # greedy reads 1402/12/30 (not a date: 1402 is not a leap year); the runner-up 1402/12/20 is
    steps = [*"1402/12/", {"3": 0.55, "2": 0.45}, "0"]
    logp = frames(*[s for c in steps for s in (c, "")])
    assert GreedyDecoder(CS)(logp).text == "1402/12/30"
    reading = ConstrainedDecoder(CS, "0123456789/", is_date)(logp)
    assert reading.text == "1402/12/20" and reading.valid is True
    assert 0 < reading.confidence < 0.5


def test_constrained_decoding_says_when_nothing_is_valid():
    reading = ConstrainedDecoder(CS, "0123456789/", is_date)(frames("9", "", "9"))
    assert reading.valid is False and reading.text == "99"


def test_field_checks():
    assert is_letter_number("1234/ص/1402") and is_letter_number("9876-12") and is_letter_number("12_34")
    assert not is_letter_number("1234//1402") and not is_letter_number("/12") and not is_letter_number("ص")
    assert is_letter_number("114/گالف/07") and is_letter_number("3/ب/ر/گ/1383")
    assert not is_letter_number("23پرونده") and not is_letter_number("12/پرونده")
    # a dotted leader in an empty slot (the glyph reader's zeros), a national document ID's digits
    assert not is_letter_number("0" * 44) and not is_letter_number("۰۰۰/۰") and not is_letter_number("9" * 17)
    assert is_letter_number("100/0") and is_letter_number("1" * 16)
    assert is_date("1403/12/30") and not is_date("1402/12/30")
