"""Which key points a typed answer covers, and what rating that coverage suggests.

Matching is deliberately simple and explainable: a key point is detected when one of its
keywords (English or Chinese) occurs in the answer after both are normalised (NFKC folds
full-width characters to ASCII, lower case, runs of spaces/hyphens/underscores become one
space). Keywords are substrings ("saturat" finds "saturation"), except short Latin ones
(three characters or fewer, such as "bn" or "gan"), which must stand as whole words.
"""

import re
import unicodedata
from collections.abc import Iterable

from fsrs import Rating

_SEPARATORS = re.compile(r"[\s\-_]+")
GOOD_COVERAGE = 1.0
HARD_COVERAGE = 0.6


def normalise(text: str) -> str:
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def keyword_found(keyword: str, normalised_answer: str) -> bool:
    needle = normalise(keyword)
    if not needle:
        return False
    if needle.isascii() and len(needle) <= 3:
        return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", normalised_answer) is not None
    return needle in normalised_answer


def detect(answer: str, key_points: Iterable) -> set[int]:
    """Ids of the key points (objects with `.pk` and `.keywords`) found in `answer`."""
    text = normalise(answer)
    if not text:
        return set()
    return {point.pk for point in key_points if any(keyword_found(k, text) for k in point.keywords)}


def coverage(covered: int, total: int) -> float:
    return covered / total if total else 0.0


def suggested_rating(score: float) -> Rating:
    """All key points → Good, at least 60 % → Hard, less → Again (Easy is the user's call)."""
    if score >= GOOD_COVERAGE:
        return Rating.Good
    if score >= HARD_COVERAGE:
        return Rating.Hard
    return Rating.Again
