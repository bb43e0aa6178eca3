"""The key-point detector (quiz.matching): patterns, normalisation, negation, misconceptions, evidence."""

import time
from types import SimpleNamespace

import pytest
from fsrs import Rating

from quiz.matching import coverage, detect, highlight, judge, normalise, pattern_problems, suggested_rating


def point(pk, *keywords, misconceptions=()):
    return SimpleNamespace(pk=pk, keywords=list(keywords), misconceptions=list(misconceptions))


def wrong(en, *patterns):
    return {"en": en, "zh": en, "keywords_en": list(patterns), "keywords_zh": []}


DROPOUT_OFF = point(
    1,
    "inference|test time|eval + off|disabl|turn off|not used|no dropout",
    "推理|测试 + 关闭|不使用|停用",
    misconceptions=[
        wrong("Dropout stays on at inference", "keep|still|remain + dropout + inference|test time"),
        {"en": "x", "zh": "推理时仍开启 Dropout", "keywords_zh": ["推理|测试 + 仍然|继续|保持 + dropout"]},
    ],
)
SATURATES = point(2, "saturat", "饱和")
NO_SATURATION = point(3, "not|no|never|without + saturat|flatten", "不饱和|不会饱和|没有饱和")
ZERO_CENTRED = point(4, "zero centred", "以零为中心|零中心")


def test_a_bare_word_does_not_earn_a_point_that_needs_two_concepts():
    assert detect("Dropout is used in training and inference.", [DROPOUT_OFF]) == set()
    assert detect("At inference time dropout is switched off.", [DROPOUT_OFF]) == {1}


def test_all_of_groups_must_meet_in_one_sentence():
    assert detect("We use it at inference. The lights are off.", [DROPOUT_OFF]) == set()


@pytest.mark.parametrize("abbreviation", ["e.g.", "i.e.", "esp.", "vs.", "etc."])
def test_the_full_stop_of_an_abbreviation_does_not_end_the_sentence(abbreviation):
    assert detect(f"At inference, {abbreviation} when serving, dropout is off.", [DROPOUT_OFF]) == {1}
    assert detect("推理时关闭 dropout。", [DROPOUT_OFF]) == {1}


@pytest.mark.parametrize(
    "answer",
    [
        "Sigmoid does not saturate.",
        "It is NOT true that sigmoid saturates.",
        "sigmoid never saturates",
        "The sigmoid isn't saturating",
        "It no longer saturates once normalised",
        "sigmoid 不会饱和",
        "并非饱和",
        "没有饱和问题",
    ],
)
def test_negated_mentions_do_not_count(answer):
    assert detect(answer, [SATURATES]) == set()


def test_negation_is_scoped_to_its_clause():
    assert detect("ReLU does not, but sigmoid saturates", [SATURATES]) == {2}
    assert detect("不是 ReLU，而是 sigmoid 会饱和", [SATURATES]) == {2}
    assert detect("Use ReLU instead of a sigmoid; the sigmoid saturates.", [SATURATES]) == {2}
    assert detect("Not only does it saturate, it also shifts the mean", [SATURATES]) == {2}


def test_a_negative_point_carries_its_negation_in_the_pattern():
    for answer in ["ReLU does not saturate for x > 0", "it never flattens out", "ReLU 在正区间不会饱和"]:
        assert detect(answer, [NO_SATURATION]) == {3}, answer
    assert detect("ReLU saturates", [NO_SATURATION]) == set()


def test_chinese_words_that_merely_start_with_a_negating_character_still_negate_what_they_cover():
    assert detect("sigmoid 非零中心", [ZERO_CENTRED]) == set()
    assert detect("tanh 是以零为中心的", [ZERO_CENTRED]) == {4}
    assert detect("不同于 sigmoid，tanh 以零为中心", [ZERO_CENTRED]) == {4}  # 不同 is not a negation


def test_a_matched_misconception_contradicts_the_point_and_shows_what_was_said():
    verdicts = judge("At test time we still keep dropout on to be safe.", [DROPOUT_OFF])
    assert verdicts[1].contradicted
    assert not verdicts[1].covered
    assert verdicts[1].misconception.en == "Dropout stays on at inference"
    assert detect("Dropout 在推理时仍然保持开启", [DROPOUT_OFF]) == set()
    assert judge("Dropout 在推理时仍然保持开启", [DROPOUT_OFF])[1].contradicted


def test_a_denied_misconception_is_not_a_contradiction():
    assert not judge("We do not keep dropout at inference.", [DROPOUT_OFF])[1].contradicted
    verdicts = judge("Dropout is never kept on at test time; at inference it is turned off.", [DROPOUT_OFF])
    assert not verdicts[1].contradicted
    assert verdicts[1].covered


def test_english_is_stemmed_and_british_spellings_are_folded():
    merge = point(7, "merge|fold + ba|lora + w|weight")
    assert detect("after training, fold BA into W", [merge]) == {7}
    assert detect("LoRA weights can be merged", [merge]) == {7}
    assert detect("tanh is zero-centered", [ZERO_CENTRED]) == {4}
    assert detect("Layer normalisation", [point(8, "layer normalization")]) == {8}
    assert detect("it saturates", [SATURATES]) == {2}  # 5+ letters: a prefix


def test_short_words_are_whole_words_and_a_star_makes_a_prefix():
    assert detect("a subnet", [point(1, "bn")]) == set()
    assert detect("add BN after conv", [point(1, "bn")]) == {1}
    assert detect("normalise it", [point(1, "norm*")]) == {1}
    assert detect("normalise it", [point(1, "norm")]) == set()


@pytest.mark.parametrize(
    ("answer", "keyword"),
    [
        ("x≥0", "≥ 0"),
        ("x >= 0", "≥ 0"),
        ("缓存历史token", "历史 token"),
        ("缓存历史 token", "历史token"),
        ("ＬＳＴＭ helps", "lstm"),
        ("divide by √d_k", "sqrt(d_k)"),
        ("scale by 1/sqrt{d_k}", "√d_k"),
        ("use LayerNorm", "layer norm"),
        ("use batch norm", "batchnorm"),
        ("σ(x)(1−σ(x))", "sigma(x)(1-sigma(x))"),
        ("weight decay λ", "lambda"),
        ("把 （0，1） 映射", "(0, 1)"),
    ],
)
def test_typing_forms_are_normalised(answer, keyword):
    assert detect(answer, [point(1, keyword)]) == {1}


def test_mixed_language_answers_match_patterns_of_either_language():
    key_value = point(5, "key + value", "键 + 值")
    assert detect("缓存每层的 key 和 value", [key_value]) == {5}
    layer_norm = point(6, "layernorm|layer norm", "层归一化")
    assert detect("用 LayerNorm 做归一化", [layer_norm]) == {6}


def test_evidence_spans_point_at_the_matched_words_of_the_original_answer():
    answer = "At INFERENCE, dropout is turned off."
    verdict = judge(answer, [DROPOUT_OFF])[1]
    assert [answer[s:e] for s, e in verdict.evidence] == ["INFERENCE", "turned off"]
    assert highlight(answer, verdict.evidence) == [
        ("At ", False),
        ("INFERENCE", True),
        (", dropout is ", False),
        ("turned off", True),
        (".", False),
    ]


def test_empty_answer_detects_nothing():
    assert detect("", [SATURATES]) == set()
    assert detect("   ", [SATURATES]) == set()


def test_legacy_points_without_misconceptions_still_work():
    assert detect("it saturates", [SimpleNamespace(pk=9, keywords=["saturat"])]) == {9}


@pytest.mark.parametrize("pattern", ["a||b", "a + ", "+ b", "a + + b", "()"])
def test_malformed_patterns_are_reported(pattern):
    assert pattern_problems(pattern)


def test_valid_patterns_have_no_problems():
    assert pattern_problems("inference|test time + off|disabled") == []
    assert pattern_problems("x+f(x)") == []


@pytest.mark.parametrize(
    ("covered", "total", "rating"),
    [(5, 5, Rating.Good), (3, 5, Rating.Hard), (4, 5, Rating.Hard), (2, 5, Rating.Again), (0, 3, Rating.Again)],
)
def test_coverage_suggests_a_rating(covered, total, rating):
    assert suggested_rating(coverage(covered, total)) == rating


def test_a_contradiction_suggests_again():
    assert suggested_rating(0.8, contradicted=1) == Rating.Again


def test_coverage_of_nothing_is_zero():
    assert coverage(0, 0) == 0.0


def test_normalise_folds_full_width_forms():
    assert normalise("（０，１）") == "(0,1)"


def test_detection_of_a_long_answer_stays_well_under_5_ms():
    points = [DROPOUT_OFF, SATURATES, NO_SATURATION, ZERO_CENTRED, point(5, "key + value", "键 + 值")]
    answer = (
        "Dropout zeroes activations at random while training; at inference it is switched off, and inverted "
        "dropout already scaled the kept units by 1/(1-p). 推理时关闭 dropout，不会增加延迟。"
    ) * 4
    detect(answer, points)  # jieba loads once per process
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        detect(answer, points)
    assert (time.perf_counter() - start) / runs < 0.005


@pytest.mark.parametrize(
    "answer",
    [
        "训练时随机丢弃神经元，期望不变。推理时关闭 dropout。",  # 。 with no space ends the sentence
        "Units are dropped at random.推理时关闭 dropout",  # a Latin full stop right before Chinese
    ],
)
def test_a_negation_in_one_chinese_sentence_does_not_reach_the_next(answer):
    assert detect(answer, [point(1, "推理|测试 + 关闭|不使用")]) == {1}


def test_errors_is_not_a_negation_cue():
    assert detect("曝光偏差：训练时喂真实 token，推理时错误会累积。", [point(1, "错误 + 累积|放大")]) == {1}
