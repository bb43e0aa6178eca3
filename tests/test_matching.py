from types import SimpleNamespace

import pytest
from fsrs import Rating

from quiz.matching import coverage, detect, normalise, suggested_rating


def point(pk, *keywords):
    return SimpleNamespace(pk=pk, keywords=list(keywords))


POINTS = [
    point(1, "vanishing", "梯度消失"),
    point(2, "clip", "梯度裁剪"),
    point(3, "lstm", "门控"),
    point(4, "bn", "batch norm", "批归一化"),
]


def test_english_is_case_and_separator_insensitive():
    assert detect("Gradients VANISH... no: Vanishing-gradients; we Clip them", POINTS) == {1, 2}
    assert detect("use batch-norm", POINTS) == {4}
    assert detect("use Batch_Norm", POINTS) == {4}


def test_chinese_keywords_are_found_inside_sentences():
    assert detect("RNN 会出现梯度消失,可以用梯度裁剪和门控单元。", POINTS) == {1, 2, 3}


def test_full_width_characters_are_folded():
    assert detect("ＬＳＴＭ helps", POINTS) == {3}
    assert normalise("（０，１）") == "(0,1)"


def test_short_latin_keywords_must_be_whole_words():
    assert detect("a subnet", POINTS) == set()
    assert detect("add BN after conv", POINTS) == {4}


def test_empty_answer_detects_nothing():
    assert detect("", POINTS) == set()
    assert detect("   ", POINTS) == set()


@pytest.mark.parametrize(
    ("covered", "total", "rating"),
    [(5, 5, Rating.Good), (3, 5, Rating.Hard), (4, 5, Rating.Hard), (2, 5, Rating.Again), (0, 3, Rating.Again)],
)
def test_coverage_suggests_a_rating(covered, total, rating):
    assert suggested_rating(coverage(covered, total)) == rating


def test_coverage_of_nothing_is_zero():
    assert coverage(0, 0) == 0.0
