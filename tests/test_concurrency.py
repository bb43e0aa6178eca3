"""Twenty simultaneous clicks of the same button: never a 5xx, exactly one row or state change.

Each thread is a browser of its own (own Client, own database connection) released together by a
barrier, against the real database of the run (SQLite with its busy timeout, or PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Card, MockInterview, PracticeSession, ReviewLog, SessionItem
from tests.factories import make_mock, make_question, make_topic, make_user

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 20


def race(user, send) -> list[int]:
    """Run `send(client)` in THREADS threads at once; the status codes, in completion order."""
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def click():
        browser = Client()
        browser.force_login(user)
        try:
            barrier.wait()
            statuses.append(send(browser).status_code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(statuses) == THREADS
    return statuses


def revealed_item(user, *, drill=False):
    question = make_question()
    session = PracticeSession.objects.create(user=user, mode="recall")
    item = SessionItem.objects.create(
        session=session,
        position=1,
        question=question,
        drill=question.drills.first() if drill else None,
        revealed_at=timezone.now(),
        shown_at=timezone.now(),
    )
    return session, item


def test_twenty_recall_answers_make_one_attempt():
    user = make_user()
    session, item = revealed_item(user)
    url = reverse("quiz:submit_answer", args=[session.pk])

    statuses = race(user, lambda c: c.post(url, {"item": item.pk, "rating": 3}))

    assert all(status < 500 for status in statuses), statuses
    assert Attempt.objects.filter(session_item=item).count() == 1
    assert ReviewLog.objects.filter(attempt__session_item=item).count() == 1


def test_twenty_drill_answers_make_one_attempt():
    user = make_user()
    session, item = revealed_item(user, drill=True)
    choice = item.drill.choices.get(is_correct=True)
    url = reverse("quiz:submit_answer", args=[session.pk])

    statuses = race(user, lambda c: c.post(url, {"item": item.pk, "choice": choice.pk}))

    assert all(status < 500 for status in statuses), statuses
    assert Attempt.objects.filter(session_item=item).count() == 1


def test_twenty_mock_starts_open_one_interview():
    user = make_user()
    topic = make_topic()
    for _ in range(6):
        make_question(topic=topic)
    url = reverse("quiz:start_mock")

    statuses = race(user, lambda c: c.post(url, {"length": 5, "topics": [topic.pk], "mix": "balanced"}))

    assert statuses == [302] * THREADS  # every click lands on the one interview
    assert MockInterview.objects.filter(user=user).count() == 1


def test_twenty_saves_and_finishes_finalise_once():
    user = make_user()
    questions = [make_question(), make_question()]
    mock = make_mock(user=user, questions=questions)
    save = reverse("quiz:save_mock_answer", args=[mock.pk, 1])
    finish = reverse("quiz:finish_mock", args=[mock.pk])
    counter = iter(range(THREADS))

    def send(client):
        if next(counter) % 2:
            return client.post(finish)
        return client.post(save, {"answer": "It can fail."}, HTTP_HX_REQUEST="true")

    statuses = race(user, send)

    assert all(status < 500 for status in statuses), statuses
    mock.refresh_from_db()
    assert mock.is_finished
    assert Attempt.objects.filter(mock_item__mock=mock).count() <= 1


def test_twenty_flag_toggles_leave_a_consistent_flag():
    user = make_user()
    question = make_question()
    url = reverse("quiz:flag_question", args=[question.slug])

    statuses = race(user, lambda c: c.post(url, HTTP_HX_REQUEST="true"))

    assert all(status == 200 for status in statuses), statuses
    assert Card.objects.filter(user=user, question=question).count() == 1
    assert Card.objects.get(user=user, question=question).flagged is False  # 20 toggles: back where it started
