"""Practice sessions: choosing, the recall and drill flows, scheduling, and their guarantees."""

import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz import sessions
from quiz.grading import schedule
from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Card,
    PracticeSession,
    Profile,
    Question,
    ReviewLog,
    SessionItem,
    Topic,
)
from tests.factories import answer_stating, make_question, make_user

pytestmark = pytest.mark.django_db


def start(client, mode="recall", size=5, **extra):
    response = client.post(reverse("quiz:start_practice"), {"mode": mode, "size": size, **extra})
    assert response.status_code == 302, response.content
    return PracticeSession.objects.latest("created_at")


def current(session) -> SessionItem:
    return session.items.filter(attempt__isnull=True).order_by("position").first()


def answer_recall(client, session, *, text="", rating=3, points=None):
    item = current(session)
    client.get(session.get_absolute_url())
    client.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": text})
    if points is None:
        points = [p.pk for p in item.question.key_points.filter(archived=False)]
    data = {"item": item.pk, "rating": rating, "points": points}
    return item, client.post(reverse("quiz:submit_answer", args=[session.pk]), data)


# --- the setup page ----------------------------------------------------------------------------


def test_practice_page_shows_modes_with_counts(client_logged_in):
    response = client_logged_in.get(reverse("quiz:practice"))

    total = Question.objects.active().count()
    assert response.status_code == 200
    assert "0 due" in response.text
    assert f"{total} unseen" in response.text
    assert "0 to retry" in response.text


def test_counts_follow_the_topic_selection_as_an_htmx_fragment(client_logged_in):
    topic = Topic.objects.get(slug="cnn")

    response = client_logged_in.get(reverse("quiz:practice"), {"topics": [topic.pk]}, HTTP_HX_REQUEST="true")

    assert response.text.strip().startswith('<fieldset id="practice-modes">')
    assert f"{topic.questions.active().count()} unseen" in response.text


def test_practice_requires_login(client):
    for url in (reverse("quiz:practice"), reverse("quiz:practice_session", args=[1])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_start_rejects_get(client_logged_in):
    assert client_logged_in.get(reverse("quiz:start_practice")).status_code == 405


def test_bad_setup_is_a_400_that_creates_nothing(client_logged_in):
    response = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "nonsense", "size": 7})

    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert not PracticeSession.objects.exists()


def test_an_empty_selection_explains_why_and_suggests_another_mode(client_logged_in):
    response = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "due", "size": 10})

    assert response.status_code == 400
    assert "Nothing is due for review" in response.text
    assert "Learn new questions" in response.text
    assert not PracticeSession.objects.exists()


# session + user, the expired-mock check, five mode counts, the topic choices, the unfinished session.
PRACTICE_PAGE_QUERIES = 16


def test_practice_page_query_count_does_not_grow_with_history(client_logged_in, user):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client_logged_in.get(reverse("quiz:practice")).status_code == 200
        return len(captured)

    session = start(client_logged_in, size=5)
    answer_recall(client_logged_in, session, rating=1)
    few = queries()
    question = Question.objects.get(seed=7)
    Attempt.objects.bulk_create(
        Attempt(user=user, question=question, mode="recall", score=0.5, rating=2, answered_at=timezone.now())
        for _ in range(1000)
    )
    assert queries() == few == PRACTICE_PAGE_QUERIES


# --- the recall flow ---------------------------------------------------------------------------


def test_recall_records_the_answer_ticks_score_rating_and_schedule(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=3)
    item = current(session)
    points = list(item.question.key_points.filter(archived=False))
    text = answer_stating(points[:1])

    item, response = answer_recall(client_logged_in, session, text=text, rating=2, points=[points[0].pk, points[1].pk])

    assert response.status_code == 302
    attempt = Attempt.objects.get(session_item=item)
    assert attempt.user == user
    assert attempt.answer_text == text
    assert attempt.rating == 2
    assert attempt.score == pytest.approx(2 / len(points))
    assert attempt.duration_ms is not None
    assert attempt.reveal_ms is not None
    marks = {m.key_point_id: m for m in AttemptKeyPoint.objects.filter(attempt=attempt)}
    assert marks[points[0].pk].detected
    assert marks[points[0].pk].ticked
    assert marks[points[1].pk].ticked
    card = Card.objects.get(user=user, question=item.question)
    assert card.last_review is not None
    assert card.due > timezone.now()
    assert ReviewLog.objects.get(attempt=attempt).rating == 2


def test_revealed_card_pre_ticks_detected_points_and_suggests_a_rating(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    item = current(session)
    points = list(item.question.key_points.filter(archived=False))
    text = answer_stating(points)
    client_logged_in.get(session.get_absolute_url())

    client_logged_in.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": text})
    page = client_logged_in.get(session.get_absolute_url()).text

    assert page.count("checked") >= len(points)
    assert page.count(">detected<") == len(points)
    assert re.search(r'class="rating rating-3 suggested"', page)
    assert "Reference answer" in page


def test_reveal_htmx_twin_returns_only_the_card(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    item = current(session)

    response = client_logged_in.post(
        reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": "x"}, HTTP_HX_REQUEST="true"
    )

    assert response.text.strip().startswith('<section id="question-card"')
    assert "Which key points did you cover?" in response.text


def test_rating_before_reveal_is_refused_and_records_nothing(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    item = current(session)

    response = client_logged_in.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "rating": 3})

    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_missing_rating_is_a_clear_400(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    item = current(session)
    client_logged_in.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": ""})

    response = client_logged_in.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk})

    assert response.status_code == 400
    assert "Choose how well you knew it" in response.text
    assert not Attempt.objects.exists()


def test_a_second_submit_records_nothing_more(client_logged_in):
    session = start(client_logged_in, mode="new", size=2)
    item, _ = answer_recall(client_logged_in, session, rating=3)

    again = client_logged_in.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "rating": 1})

    assert again.status_code == 302
    assert Attempt.objects.filter(session_item=item).get().rating == 3
    assert ReviewLog.objects.count() == 1


def test_refresh_keeps_the_place_and_the_typed_answer(client_logged_in):
    session = start(client_logged_in, mode="new", size=2)
    item = current(session)
    client_logged_in.get(session.get_absolute_url())
    client_logged_in.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk, "answer": "my words"})

    page = client_logged_in.get(session.get_absolute_url()).text

    assert "my words" in page
    assert "Which key points did you cover?" in page


def test_another_users_session_is_404(client_logged_in, other_user, client):
    session = start(client_logged_in, mode="new", size=1)
    item = current(session)
    client.force_login(other_user)

    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": item.pk}).status_code == 404
    post = client.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "rating": 3})
    assert post.status_code == 404
    assert not Attempt.objects.exists()


def test_an_item_of_another_session_is_404(client_logged_in):
    first = start(client_logged_in, mode="new", size=1)
    second = start(client_logged_in, mode="new", size=1)

    response = client_logged_in.post(
        reverse("quiz:reveal_answer", args=[second.pk]), {"item": current(first).pk, "answer": ""}
    )

    assert response.status_code == 404


def test_answer_endpoints_reject_get(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    assert client_logged_in.get(reverse("quiz:reveal_answer", args=[session.pk])).status_code == 405
    assert client_logged_in.get(reverse("quiz:submit_answer", args=[session.pk])).status_code == 405


def test_garbage_item_id_is_a_400(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)

    response = client_logged_in.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": "abc", "rating": 3})

    assert response.status_code == 400


def test_session_summary_after_the_last_answer(client_logged_in):
    session = start(client_logged_in, mode="new", size=2)
    answer_recall(client_logged_in, session, rating=4)  # Easy graduates a new card; Good would repeat in 10 min
    answer_recall(client_logged_in, session, rating=1, points=[])
    answer_recall(client_logged_in, session, rating=4, points=[])  # its learning step, in the session: Easy graduates

    page = client_logged_in.get(session.get_absolute_url()).text

    session.refresh_from_db()
    assert session.finished_at is not None
    assert "Session complete" in page
    assert "3 / 3" in page
    assert "67%" in page
    assert "When these questions come back" in page
    assert "Retry this session's 1 mistake" in page


# --- drills ------------------------------------------------------------------------------------


def test_a_right_drill_answer_is_good_and_a_wrong_one_again(client_logged_in, user):
    session = start(client_logged_in, mode="drill", size=2)
    for correct in (True, False):
        item = current(session)
        choice = item.drill.choices.get(is_correct=True) if correct else item.drill.choices.filter(is_correct=False)[0]
        response = client_logged_in.post(
            reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "choice": choice.pk}
        )
        assert response["Location"] == reverse("quiz:practice_feedback", args=[session.pk, item.position])
        feedback = client_logged_in.get(response["Location"]).text
        assert ("Correct!" in feedback) is correct
        attempt = Attempt.objects.get(session_item=item)
        assert (attempt.score, attempt.rating, attempt.choice) == ((1.0, 3) if correct else (0.0, 1)) + (choice,)


def test_drill_htmx_twin_returns_feedback_fragment(client_logged_in):
    session = start(client_logged_in, mode="drill", size=1)
    item = current(session)

    response = client_logged_in.post(
        reverse("quiz:submit_answer", args=[session.pk]),
        {"item": item.pk, "choice": item.drill.choices.get(is_correct=True).pk},
        HTTP_HX_REQUEST="true",
    )

    assert response.text.strip().startswith('<section id="question-card"')
    assert "Correct!" in response.text


def test_a_choice_from_another_drill_is_refused(client_logged_in):
    session = start(client_logged_in, mode="drill", size=1)
    item = current(session)
    foreign = Question.objects.active().exclude(pk=item.question_id).first().drills.first().choices.first()

    response = client_logged_in.post(
        reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "choice": foreign.pk}
    )

    assert response.status_code == 400
    assert "Pick one of the options." in response.text
    assert not Attempt.objects.exists()


# --- modes ---------------------------------------------------------------------------------------


def test_due_mode_brings_back_the_most_overdue_first(client_logged_in, user):
    questions = list(Question.objects.active()[:3])
    now = timezone.now()
    for days, question in zip((1, 5, 3), questions, strict=True):
        Card.objects.create(
            user=user, question=question, due=now - timezone.timedelta(days=days), last_review=now, state=2
        )

    session = start(client_logged_in, mode="due", size=10)

    assert [i.question for i in session.items.order_by("position")] == [questions[1], questions[2], questions[0]]


def test_mistakes_mode_takes_questions_whose_latest_answer_was_again(client_logged_in, user):
    wrong, fixed = Question.objects.active()[:2]
    now = timezone.now()
    for question, rating, at in ((fixed, 1, now - timezone.timedelta(hours=1)), (wrong, 1, now), (fixed, 3, now)):
        attempt = Attempt.objects.create(
            user=user, question=question, mode="recall", rating=rating, score=rating // 3, answered_at=at
        )
        schedule(attempt=attempt, rating=rating, now=at)

    session = start(client_logged_in, mode="mistakes", size=10)

    assert [i.question for i in session.items.all()] == [wrong]


def test_new_mode_skips_questions_already_reviewed(client_logged_in, user):
    topic = Topic.objects.get(slug="cnn")
    seen = topic.questions.active().first()
    Card.objects.create(user=user, question=seen, last_review=timezone.now())

    session = start(client_logged_in, mode="new", size=30, topics=[topic.pk])

    questions = {i.question for i in session.items.all()}
    assert seen not in questions
    assert len(questions) == topic.questions.active().count() - 1


def test_flag_toggles_and_htmx_twin_returns_the_button(client_logged_in, user):
    question = Question.objects.get(seed=7)
    url = reverse("quiz:flag_question", args=[question.slug])

    response = client_logged_in.post(url, {"next": "/practice/"})
    assert response["Location"] == "/practice/"
    assert Card.objects.get(user=user, question=question).flagged

    fragment = client_logged_in.post(url, HTTP_HX_REQUEST="true")
    assert fragment.text.strip().startswith('<form id="flag-button"')
    assert not Card.objects.get(user=user, question=question).flagged


def test_flag_ignores_a_foreign_next_url(client_logged_in):
    question = Question.objects.get(seed=7)

    response = client_logged_in.post(
        reverse("quiz:flag_question", args=[question.slug]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == question.get_absolute_url()


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_record_one_answer(client):
    from django.test import Client

    user = make_user()
    question = make_question()
    session = PracticeSession.objects.create(user=user, mode="recall")
    item = SessionItem.objects.create(
        session=session, position=1, question=question, revealed_at=timezone.now(), shown_at=timezone.now()
    )
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        browser = Client()
        browser.force_login(user)
        barrier.wait()
        response = browser.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": item.pk, "rating": 3})
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert Attempt.objects.filter(session_item=item).count() == 1
    assert ReviewLog.objects.count() == 1


def test_retry_from_a_summary_draws_only_that_sessions_mistakes(client_logged_in, user, other_user):
    older = Question.objects.active().get(seed=25)
    Attempt.objects.create(user=user, question=older, mode="recall", rating=1, answered_at=timezone.now())
    session = start(client_logged_in, mode="new", size=2)
    missed, _ = answer_recall(client_logged_in, session, rating=1)
    answer_recall(client_logged_in, session, rating=4)
    answer_recall(client_logged_in, session, rating=4)  # the missed one's learning step, now right
    assert "Retry this session's 1 mistake" in client_logged_in.get(session.get_absolute_url()).text

    retry = start(client_logged_in, mode="mistakes", size=50, from_session=session.pk)

    assert [item.question for item in retry.items.all()] == [missed.question]
    assert PracticeSession.objects.filter(user=user).count() == 2
    foreign = PracticeSession.objects.create(user=other_user, mode="recall")
    response = client_logged_in.post(
        reverse("quiz:start_practice"), {"mode": "mistakes", "size": 50, "from_session": foreign.pk}
    )
    assert response.status_code == 400


# --- undo ----------------------------------------------------------------------------------------


def card_state(card):
    card.refresh_from_db()
    return (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review, card.lapses)


def test_undo_restores_the_card_log_answer_and_position_exactly(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=3)
    first, _ = answer_recall(client_logged_in, session, text="first try", rating=3)
    card = Card.objects.get(user=user, question=first.question)
    before = card_state(card)
    second, _ = answer_recall(client_logged_in, session, text="about gates", rating=1)
    second_card = Card.objects.get(user=user, question=second.question)

    response = client_logged_in.post(reverse("quiz:undo_answer", args=[session.pk]), follow=True)

    assert "Rating undone" in response.text
    assert not Attempt.objects.filter(session_item=second).exists()
    assert not ReviewLog.objects.filter(card=second_card).exists()
    assert not AttemptKeyPoint.objects.filter(attempt__session_item=second).exists()
    card_state(second_card)
    assert second_card.last_review is None  # a new card again, as before its first review
    assert second_card.stability is None
    assert current(session) == second
    second.refresh_from_db()
    assert second.revealed_at is None
    assert second.draft_text == "about gates"
    assert question_prompt_in(response.text, second.question)
    # The first answer is untouched.
    assert card_state(card) == before
    assert Attempt.objects.filter(session_item=first).count() == 1


def question_prompt_in(page, question):
    from django.utils.html import escape

    return escape(question.prompt_en) in page


def test_undo_twice_goes_back_two_answers_and_then_is_a_calm_no_op(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=2)
    answer_recall(client_logged_in, session, rating=3)
    answer_recall(client_logged_in, session, rating=3)
    url = reverse("quiz:undo_answer", args=[session.pk])

    client_logged_in.post(url)
    client_logged_in.post(url)
    calm = client_logged_in.post(url, HTTP_HX_REQUEST="true")

    assert calm.status_code == 200
    assert "Nothing to undo." in calm.text
    assert Attempt.objects.filter(user=user).count() == 0
    assert not Card.objects.filter(user=user, last_review__isnull=False).exists()
    session.refresh_from_db()
    assert session.finished_at is None


def test_undo_of_another_users_session_is_a_404_and_changes_nothing(client_logged_in, other_user):
    from django.test import Client

    session = start(client_logged_in, mode="new", size=1)
    answer_recall(client_logged_in, session, rating=3)
    intruder = Client()
    intruder.force_login(other_user)

    assert intruder.post(reverse("quiz:undo_answer", args=[session.pk])).status_code == 404
    assert Attempt.objects.filter(session_item__session=session).count() == 1


def test_undo_is_refused_when_the_card_was_reviewed_again_since(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=1)
    item, _ = answer_recall(client_logged_in, session, rating=3)
    again = start(client_logged_in, mode="recall", size=1, topics=[item.question.topic.pk])
    again.items.update(question=item.question)
    answer_recall(client_logged_in, again, rating=4)
    card = Card.objects.get(user=user, question=item.question)
    before = card_state(card)

    response = client_logged_in.post(reverse("quiz:undo_answer", args=[session.pk]), follow=True)

    assert "can no longer be undone" in response.text
    assert card_state(card) == before
    assert Attempt.objects.filter(session_item=item).exists()


def test_undo_needs_a_post(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)

    assert client_logged_in.get(reverse("quiz:undo_answer", args=[session.pk])).status_code == 405


# --- learning steps inside the session ------------------------------------------------------------


def test_a_card_rated_again_comes_back_in_the_same_session(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=2)
    first, _ = answer_recall(client_logged_in, session, rating=1)
    answer_recall(client_logged_in, session, rating=4)

    repeat = sessions.current_item(session)  # nothing else left: the 1-minute step is shown at once (learn-ahead)
    assert repeat.question == first.question
    assert repeat.repeat_of == first
    page = client_logged_in.get(session.get_absolute_url()).text
    assert "Once more: a learning step" in page
    answer_recall(client_logged_in, session, rating=4)  # Easy graduates the card: no more repeats

    summary = client_logged_in.get(session.get_absolute_url()).text
    assert "Session complete" in summary
    assert Attempt.objects.filter(user=user, question=first.question).count() == 2
    assert Card.objects.get(user=user, question=first.question).state == 2  # Review


def test_a_learning_step_waits_for_its_turn_behind_cards_that_are_ready(client_logged_in):
    session = start(client_logged_in, mode="new", size=3)
    answer_recall(client_logged_in, session, rating=1)

    assert sessions.current_item(session).position == 2  # the repeat is due in a minute: the next new card comes first


def test_steps_beyond_the_learn_ahead_limit_end_the_session(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    first, _ = answer_recall(client_logged_in, session, rating=1)
    SessionItem.objects.filter(repeat_of=first).update(not_before=timezone.now() + timezone.timedelta(minutes=30))

    page = client_logged_in.get(session.get_absolute_url()).text

    assert "Session complete" in page
    assert "1 / 1" in page


def test_undo_of_an_again_also_removes_its_repeat(client_logged_in):
    session = start(client_logged_in, mode="new", size=1)
    first, _ = answer_recall(client_logged_in, session, rating=1)
    assert SessionItem.objects.filter(repeat_of=first).exists()

    client_logged_in.post(reverse("quiz:undo_answer", args=[session.pk]))

    assert not SessionItem.objects.filter(repeat_of=first).exists()
    assert current(session) == first


def test_a_new_card_rated_good_takes_its_ten_minute_step_in_the_session(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=1)
    first, _ = answer_recall(client_logged_in, session, rating=3)

    repeat = sessions.current_item(session)
    assert repeat.repeat_of == first
    assert 9 <= (repeat.not_before - timezone.now()).total_seconds() / 60 <= 10
    answer_recall(client_logged_in, session, rating=3)  # the second Good graduates it

    assert sessions.current_item(session) is None
    assert Card.objects.get(user=user, question=first.question).state == 2


# --- flags ---------------------------------------------------------------------------------------


def test_flagged_mode_practises_only_flagged_questions(client_logged_in, user):
    flagged = list(Question.objects.active().filter(topic__slug="rnn")[:2])
    for question in flagged:
        client_logged_in.post(reverse("quiz:flag_question", args=[question.slug]))

    setup = client_logged_in.get(reverse("quiz:practice")).text
    session = start(client_logged_in, mode="flagged", size=10)

    assert "2 flagged" in setup
    assert {item.question for item in session.items.all()} == set(flagged)


def test_flagged_mode_with_nothing_flagged_explains(client_logged_in):
    response = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "flagged", "size": 10})

    assert response.status_code == 400
    assert "No flagged questions in this selection" in response.text


def test_history_and_topic_pages_filter_to_flagged_questions(client_logged_in, user):
    topic = Topic.objects.get(slug="rnn")
    flagged, plain = list(topic.questions.active()[:2])
    for question in (flagged, plain):
        Attempt.objects.create(user=user, question=question, mode="recall", rating=3, answered_at=timezone.now())
    client_logged_in.post(reverse("quiz:flag_question", args=[flagged.slug]))

    history = client_logged_in.get(reverse("quiz:history"), {"flagged": "1"}).text
    topic_page = client_logged_in.get(topic.get_absolute_url(), {"flagged": "1"}).text

    assert "Your answers to flagged questions" in history
    assert flagged.prompt_en in history
    assert plain.prompt_en not in history
    assert flagged.prompt_en in topic_page
    assert plain.prompt_en not in topic_page
    assert "Show all questions" in topic_page


# --- daily limits ----------------------------------------------------------------------------------


def learn_today(user, questions, *, state_before=1):
    now = timezone.now()
    for question in questions:
        attempt = Attempt.objects.create(user=user, question=question, mode="recall", rating=3, answered_at=now)
        card = Card.objects.create(user=user, question=question, state=2, last_review=now, due=now)
        ReviewLog.objects.create(
            card=card, attempt=attempt, rating=3, reviewed_at=now, state_before=state_before, due_after=now
        )


def test_the_21st_new_question_of_the_day_is_not_offered(client_logged_in, user):
    learn_today(user, Question.objects.active()[:20])

    page = client_logged_in.get(reverse("quiz:practice")).text
    refused = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "new", "size": 10})

    assert re.search(r'class="count-new">0<', page)
    assert refused.status_code == 400
    assert "You have learnt 20 new questions today, your daily limit" in refused.text
    profile = user.profile
    profile.new_per_day = 21
    profile.save()
    assert start(client_logged_in, mode="new", size=10).items.count() == 1


def test_new_questions_learnt_before_today_do_not_count_against_the_limit(client_logged_in, user):
    yesterday = timezone.now() - timezone.timedelta(days=1)
    learn_today(user, Question.objects.active()[:20])
    ReviewLog.objects.filter(card__user=user).update(reviewed_at=yesterday)

    page = client_logged_in.get(reverse("quiz:practice")).text

    assert re.search(r'class="count-new">20<', page)


def test_due_reviews_stop_at_the_daily_review_limit(client_logged_in, user):
    due = list(Question.objects.active()[:5])
    learn_today(user, due[:2], state_before=2)  # two reviews already done today
    for question in due[2:]:
        Card.objects.create(
            user=user,
            question=question,
            state=2,
            last_review=timezone.now() - timezone.timedelta(days=9),
            due=timezone.now() - timezone.timedelta(hours=1),
            stability=3.0,
            difficulty=5.0,
        )
    profile = Profile.for_user(user)
    profile.reviews_per_day = 4
    profile.save()

    page = client_logged_in.get(reverse("quiz:practice")).text
    session = start(client_logged_in, mode="due", size=10)

    assert re.search(r'class="count-due">2<', page)
    assert session.items.count() == 2


def test_settings_saves_the_daily_limits(client_logged_in, user):
    response = client_logged_in.post(
        reverse("quiz:settings"),
        {"time_zone": "UTC", "desired_retention": 0.9, "new_per_day": 5, "reviews_per_day": 50},
    )

    assert response.status_code == 302
    assert (user.profile.__class__.objects.get(user=user).new_per_day, user.profile.reviews_per_day) == (5, 50)


def test_the_summary_shows_the_numbers_the_history_page_lists(client_logged_in, user):
    session = start(client_logged_in, mode="new", size=3)
    for rating in (4, 1, 2, 4, 3):  # the Again comes back as a learning step
        if current(session) is None:
            break
        answer_recall(client_logged_in, session, rating=rating)
    while current(session) is not None:
        answer_recall(client_logged_in, session, rating=4)

    summary = client_logged_in.get(session.get_absolute_url()).text
    history = client_logged_in.get(reverse("quiz:history")).text
    rows = re.findall(r"<td>(Again|Hard|Good|Easy)</td>", history)

    answered = len(rows)
    right = sum(1 for rating in rows if rating != "Again")
    assert f"<dd>{answered} / {answered}</dd>" in summary
    assert f"<dt>Accuracy</dt><dd>{round(100 * right / answered)}%</dd>" in summary
