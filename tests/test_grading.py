"""What a user sees of the detector: evidence after reveal, misconceptions, fair suggestions, named numbers."""

import re

import pytest
from django.urls import reverse

from quiz.models import Attempt, AttemptKeyPoint, KeyPoint
from tests.factories import make_mock, make_question, make_topic
from tests.test_practice import answer_recall, current, start

pytestmark = pytest.mark.django_db

DROPOUT_POINTS = (
    ("Dropout is switched off at inference", ["inference|test time + off|disabl|switched off"], ["推理 + 关闭"]),
    ("Each unit is dropped with probability p", ["probability p|rate p|drop* + random*|each unit"], ["概率 + 丢弃"]),
    ("Kept units are scaled by 1/(1-p)", ["scale|rescal + 1/(1-p)|keep prob*"], ["缩放"]),
)


@pytest.fixture
def dropout_question(db):
    question = make_question(topic=make_topic(), prompt="How does dropout work?", key_points=DROPOUT_POINTS)
    point = question.key_points.get(position=1)
    point.misconceptions = [
        {
            "en": "Dropout stays on at inference",
            "zh": "推理时 Dropout 仍然开启",
            "keywords_en": ["keep|still|remain + dropout|it + inference|test time"],
            "keywords_zh": ["推理 + 仍然|继续 + dropout"],
        }
    ]
    point.save()
    return question


def reveal(client, question, text):
    session = start(client, mode="new", size=1, topics=[question.topic_id])
    item = current(session)
    client.get(session.get_absolute_url())
    client.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": text})
    return session, client.get(session.get_absolute_url()).text


def test_revealed_card_marks_the_words_that_showed_each_point(client_logged_in, dropout_question):
    _, page = reveal(client_logged_in, dropout_question, "At inference dropout is switched off. It is random.")

    assert '<mark class="evidence">inference</mark>' in page
    assert '<mark class="evidence">switched off</mark>' in page
    assert "from your answer: “inference … switched off”" in page
    assert page.count(">detected<") == 1


def test_a_stated_misconception_is_shown_and_suggests_again(client_logged_in, dropout_question):
    _, page = reveal(
        client_logged_in,
        dropout_question,
        "We still keep dropout on at test time, drop each unit randomly with probability p.",
    )

    assert ">contradicted<" in page
    assert "Your answer says: Dropout stays on at inference" in page
    assert '<mark class="contradiction">' in page
    assert re.search(r'class="rating rating-1 suggested"', page)


def test_nothing_typed_means_no_suggested_rating(client_logged_in, dropout_question):
    _, page = reveal(client_logged_in, dropout_question, "")

    assert "suggested" not in re.findall(r'class="rating[^"]*"', page).__str__()
    assert "rate from memory" in page
    assert ">detected<" not in page


def test_an_untyped_answer_has_no_coverage_and_the_summary_names_both_numbers(client_logged_in, user):
    topic = make_topic()
    first = make_question(topic=topic)
    make_question(topic=topic)
    session = start(client_logged_in, mode="new", size=2, topics=[topic.pk])
    item, _ = answer_recall(client_logged_in, session, text="", rating=4, points=[])
    assert Attempt.objects.get(session_item=item).score is None
    typed_item, _ = answer_recall(client_logged_in, session, text="It can fail, I think.", rating=1)
    typed = Attempt.objects.get(session_item=typed_item)
    ticked = [m.key_point_id for m in AttemptKeyPoint.objects.filter(attempt=typed, ticked=True)]
    assert typed.score == pytest.approx(len(ticked) / 3)
    answer_recall(client_logged_in, session, text="", rating=4, points=[])  # the Again's learning step

    page = client_logged_in.get(session.get_absolute_url()).text

    assert first.pk in {item.question_id, typed_item.question_id}
    assert re.search(r"<dt>Accuracy</dt><dd>67%</dd>", page)  # Easy, Again, then Easy on its step
    assert re.search(rf"<dt>Key-point coverage</dt><dd>{round(typed.score * 100)}%</dd>", page)
    assert "answers rated from memory are not counted" in page


def test_the_mock_report_shows_evidence_and_the_misconception(client_logged_in, user, dropout_question):
    mock = make_mock(user=user, questions=[dropout_question])
    client_logged_in.post(
        reverse("quiz:save_mock_answer", args=[mock.pk, 1]),
        {
            "answer": "Dropout remains active at test time. Units are dropped at random with probability p.",
            "confidence": 3,
        },
    )
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))

    page = client_logged_in.get(reverse("quiz:mock_report", args=[mock.pk])).text

    attempt = Attempt.objects.get(mock_item__mock=mock)
    first = AttemptKeyPoint.objects.get(attempt=attempt, key_point__position=1)
    assert first.contradicted
    assert not first.ticked
    assert first.misconception == {"en": "Dropout stays on at inference", "zh": "推理时 Dropout 仍然开启"}
    assert "Your answer says: Dropout stays on at inference" in page
    assert '<mark class="evidence">' in page
    assert attempt.rating == 1  # a stated misconception is a lapse


def test_the_report_keeps_the_misconception_it_showed_after_the_bank_changes(client_logged_in, user, dropout_question):
    mock = make_mock(user=user, questions=[dropout_question])
    client_logged_in.post(
        reverse("quiz:save_mock_answer", args=[mock.pk, 1]), {"answer": "We keep dropout on at inference."}
    )
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))
    KeyPoint.objects.filter(question=dropout_question).update(misconceptions=[])

    page = client_logged_in.get(reverse("quiz:mock_report", args=[mock.pk])).text

    assert "Your answer says: Dropout stays on at inference" in page


def test_the_review_page_lists_an_answer_that_stated_a_misconception(client_logged_in, user, dropout_question):
    mock = make_mock(user=user, questions=[dropout_question])
    client_logged_in.post(
        reverse("quiz:save_mock_answer", args=[mock.pk, 1]),
        {"answer": "We keep dropout on at inference.", "confidence": 1},
    )
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))

    page = client_logged_in.get(reverse("quiz:review")).text

    assert "How does dropout work?" in page
