"""Text-recognition metrics: edit distance and character error rate.

Example:
    >>> edit_distance("۱۴۰۲/۵/۱۲", "۱۴۰۲/۵/۱۳"), round(cer([("abcd", "abed")]), 2)
    (1, 0.25)
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(pairs: Iterable[tuple[str, str]]) -> float:
    """Character error rate of (truth, prediction) pairs: total edits / total truth characters."""
    edits = chars = 0
    for truth, predicted in pairs:
        edits += edit_distance(truth, predicted)
        chars += len(truth)
    return edits / chars if chars else 0.0
