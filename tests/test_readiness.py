"""Streaks, mastery and the interview-day prediction (the dashboard's arithmetic)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from quiz import readiness, stats
from quiz.grading import schedule
from quiz.models import Attempt, Card, Profile, Question, Topic
from quiz.readiness import TopicReadiness, streaks

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("days", "current", "longest"),
    [
        ([], 0, 0),
        ([TODAY], 1, 1),
        ([TODAY - timedelta(days=1)], 1, 1),  # yesterday still counts until today ends
        ([TODAY - timedelta(days=2)], 0, 1),
        ([TODAY - timedelta(days=n) for n in range(5)], 5, 5),
        (
            [
                TODAY,
                TODAY - timedelta(days=1),
                TODAY - timedelta(days=3),
                *[TODAY - timedelta(days=n) for n in range(10, 17)],
            ],
            2,
            7,
        ),
    ],
)
def test_streaks(days, current, longest):
    assert streaks(days, TODAY) == (current, longest)


def row(*, recall, accuracy, seen, total=10):
    return TopicReadiness(
        topic=Topic(name_en="t"),
        total=total,
        seen=seen,
        recall=recall,
        accuracy=accuracy,
        answers=5,
        lapses=0,
        mean_ms=None,
        last_practised=None,
    )


def test_mastery_weighs_recall_accuracy_and_coverage():
    assert row(recall=1, accuracy=1, seen=10).mastery == pytest.approx(1.0)
    assert row(recall=0.5, accuracy=0.8, seen=5).mastery == pytest.approx(0.5 * 0.5 + 0.3 * 0.8 + 0.2 * 0.5)
    assert row(recall=0, accuracy=None, seen=0).mastery == 0


def answer(user, question, *, at, rating=3, score=1.0, duration_ms=60_000):
    attempt = Attempt.objects.create(
        user=user, question=question, mode="recall", rating=rating, score=score, answered_at=at, duration_ms=duration_ms
    )
    schedule(attempt=attempt, rating=rating, now=at)
    return attempt


@pytest.mark.django_db
def test_days_and_streaks_follow_the_users_time_zone(user):
    question = Question.objects.active().first()
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    answer(user, question, at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    answer(user, question, at=datetime(2026, 3, 10, 0, 30, tzinfo=UTC))

    in_utc = readiness.dashboard(user, now=now)
    profile = Profile.for_user(user)
    profile.time_zone = "Asia/Shanghai"
    profile.save()
    stats.rebuild(user, cards=False)  # what saving a new zone in Settings does (stats.save_settings)
    in_shanghai = readiness.dashboard(user, now=now)

    assert (in_utc.current_streak, in_utc.year_active_days) == (2, 2)
    assert (in_shanghai.current_streak, in_shanghai.year_active_days) == (1, 1)


@pytest.mark.django_db
def test_accuracy_counts_everything_but_again(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    questions = list(Question.objects.active()[:4])
    for question, rating in zip(questions, (1, 2, 3, 4), strict=True):
        answer(user, question, at=now - timedelta(days=1), rating=rating)
    answer(user, questions[0], at=now - timedelta(days=20), rating=1)

    board = readiness.dashboard(user, now=now)

    assert board.accuracy_7 == pytest.approx(3 / 4)
    assert board.accuracy_30 == pytest.approx(3 / 5)
    assert board.seen == 4


@pytest.mark.django_db
def test_interview_day_prediction_is_lower_than_now_and_counts_unseen_as_unknown(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    topic = Topic.objects.get(slug="cnn")
    questions = list(topic.questions.active()[:4])
    for question in questions:
        answer(user, question, at=now - timedelta(days=3), rating=3)
    profile = Profile.for_user(user)
    profile.interview_date = date(2026, 4, 20)
    profile.save()

    board = readiness.dashboard(user, now=now)
    cnn = next(r for r in board.topics if r.topic == topic)

    assert 0 < cnn.recall_on_interview < cnn.recall <= len(questions) / cnn.total
    assert board.readiness_on_interview < board.recall_now
    assert board.days_to_interview == 41


@pytest.mark.django_db
def test_weak_topic_review_starts_with_the_weakest_and_orders_due_failed_seen_unseen(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    for topic in Topic.objects.filter(slug__in=["cnn", "maths", "optimisation"]):  # practised well
        for question in topic.questions.active()[:5]:
            answer(user, question, at=now - timedelta(hours=2), rating=4)
    weak = Topic.objects.get(slug="rnn")
    failed, due_one = list(weak.questions.active()[:2])
    answer(user, failed, at=now - timedelta(minutes=30), rating=1)
    answer(user, due_one, at=now - timedelta(days=40), rating=3)

    queue = readiness.weak_topic_queue(user, size=80, now=now)

    assert readiness.review(user, now=now).weakest[0].topic == weak
    assert {q.topic.slug for q in queue} <= {"rnn", "cnn", "maths", "optimisation"}
    assert queue[:2] == [due_one, failed]
    seen = [Card.objects.filter(user=user, question=q, last_review__isnull=False).exists() for q in queue]
    assert seen == sorted(seen, reverse=True)  # everything seen before anything new


@pytest.mark.django_db
def test_a_failed_topic_outranks_an_unseen_one_and_unseen_topics_are_not_started(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    rnn, cnn, maths = (Topic.objects.get(slug=slug) for slug in ("rnn", "cnn", "maths"))
    question = rnn.questions.active().first()
    answer(user, question, at=now - timedelta(days=2), rating=1)
    answer(user, question, at=now - timedelta(days=1), rating=1)
    for good in maths.questions.active()[:3]:
        answer(user, good, at=now - timedelta(days=1), rating=3)

    page = readiness.review(user, now=now)

    assert [row.topic for row in page.topics] == [rnn, maths]
    assert page.topics[0].weakness > 2 * page.topics[1].weakness
    assert cnn in [row.topic for row in page.not_started]
    assert readiness.weak_topic_queue(user, size=10, now=now)[0] == question


@pytest.mark.django_db
def test_before_any_answer_nothing_is_weak(user):
    page = readiness.review(user)

    assert page.topics == []
    assert len(page.not_started) == Topic.objects.count()
    assert readiness.weak_topic_queue(user, size=10) == []


def test_weakness_weighs_errors_forgetting_lapses_and_misconceptions():
    topic_row = TopicReadiness(
        topic=Topic(name_en="t"),
        total=10,
        seen=4,
        recall=0.2,
        accuracy=0.5,
        answers=6,
        lapses=2,
        mean_ms=None,
        last_practised=None,
        recall_seen=0.5,
        misconceptions=1,
    )

    assert topic_row.weakness == pytest.approx(0.4 * 0.5 + 0.3 * 0.5 + 0.2 * 0.5 + 0.1 * 0.25)
    assert row(recall=0, accuracy=None, seen=0).weakness is None


@pytest.mark.django_db
def test_with_an_interview_date_weak_review_puts_the_least_remembered_first(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    fresh, old = list(Topic.objects.get(slug="rnn").questions.active()[:2])
    answer(user, fresh, at=now - timedelta(hours=1), rating=4)
    answer(user, old, at=now - timedelta(days=2), rating=2)
    profile = Profile.for_user(user)
    profile.interview_date = date(2026, 3, 30)
    profile.save()

    queue = readiness.weak_topic_queue(user, size=5, now=now)

    assert queue[:2] == [old, fresh]
