"""Mock interviews: the server-owned deadline, autosave, finalising once, scoring and the report."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz import mocks
from quiz.models import Attempt, Card, MockInterview, MockItem, Question, ReviewLog, Topic
from tests.factories import answer_stating, make_mock, make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions():
    return list(Question.objects.active().filter(follow_ups__isnull=True).order_by("pk")[:3])


@pytest.fixture
def mock(user, questions):
    started_at = timezone.now().replace(microsecond=0)
    return make_mock(user=user, questions=questions, minutes=10, started_at=started_at, drill_positions={3})


def save_url(mock, position):
    return reverse("quiz:save_mock_answer", args=[mock.pk, position])


def keywords_of(question, count):
    return answer_stating(question.key_points.filter(archived=False)[:count])


# --- setting up ----------------------------------------------------------------------------------


def test_setup_page_offers_lengths_limits_topics_and_mix(client_logged_in):
    response = client_logged_in.get(reverse("quiz:mock"))

    assert response.status_code == 200
    for text in ("Automatic", "10 minutes", "45 minutes", "Balanced", "Mostly hard", "Attention and Transformers"):
        assert text in response.text


def test_start_stores_the_deadline_and_draws_the_requested_length(client_logged_in, user):
    now = timezone.now().replace(microsecond=0)
    with time_machine.travel(now, tick=False):
        response = client_logged_in.post(reverse("quiz:start_mock"), {"length": 10, "minutes": "", "mix": "balanced"})

    mock = MockInterview.objects.get(user=user)
    assert response["Location"] == mock.get_absolute_url()
    assert mock.deadline == now + timedelta(minutes=25)  # automatic: 2.5 minutes a question
    main_items = mock.items.filter(parent__isnull=True)
    assert main_items.count() == 10
    assert main_items.filter(drill__isnull=False).count() == 2  # open questions dominate
    assert len({item.question_id for item in mock.items.all()}) == mock.items.count()


def test_start_with_topics_and_a_chosen_limit(client_logged_in, user):
    topic = Topic.objects.get(slug="transformers")

    client_logged_in.post(
        reverse("quiz:start_mock"), {"length": 5, "minutes": "15", "mix": "harder", "topics": [topic.pk]}
    )

    mock = MockInterview.objects.get(user=user)
    assert mock.time_limit == timedelta(minutes=15)
    assert {item.question.topic_id for item in mock.items.filter(parent__isnull=True)} == {topic.pk}


def test_difficulty_mix_is_respected_when_the_pool_allows(user):
    chosen = mocks.choose_questions(user=user, topics=[], mix="harder", length=20)

    hard = sum(q.difficulty == "hard" for q in chosen)
    easy = sum(q.difficulty == "easy" for q in chosen)
    assert (hard, easy) == (10, 3)


def test_questions_from_recent_mocks_are_avoided(user):
    topic = Topic.objects.get(slug="normalisation")
    pool = list(topic.questions.active())
    make_mock(user=user, questions=pool[:10])

    chosen = mocks.choose_questions(user=user, topics=[topic], mix="balanced", length=5)

    assert not {q.pk for q in chosen} & {q.pk for q in pool[:10]}


def test_only_one_interview_in_progress(client_logged_in, user, mock):
    MockInterview.objects.filter(pk=mock.pk).update(started_at=timezone.now() - timezone.timedelta(minutes=5))
    page = client_logged_in.get(reverse("quiz:mock"))
    assert "Resume the interview" in page.text

    response = client_logged_in.post(reverse("quiz:start_mock"), {"length": 5, "minutes": "", "mix": "balanced"})

    assert response.status_code == 400
    assert "already have a mock interview in progress" in response.text
    assert MockInterview.objects.filter(user=user).count() == 1


def test_a_double_clicked_start_lands_on_the_interview_the_first_click_opened(client_logged_in, user):
    data = {"length": 5, "minutes": "", "mix": "balanced"}
    first = client_logged_in.post(reverse("quiz:start_mock"), data)
    second = client_logged_in.post(reverse("quiz:start_mock"), data)

    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert MockInterview.objects.filter(user=user).count() == 1


def test_bad_setup_is_a_400_that_creates_nothing(client_logged_in, user):
    response = client_logged_in.post(reverse("quiz:start_mock"), {"length": 7, "minutes": "3", "mix": "chaos"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert not MockInterview.objects.exists()


# --- taking it -----------------------------------------------------------------------------------


def test_taking_page_shows_the_question_map_and_the_servers_remaining_time(client_logged_in, mock):
    with time_machine.travel(mock.started_at + timedelta(minutes=3), tick=False):
        response = client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 1]))

    assert response.status_code == 200
    assert 'data-seconds-left="420"' in response.text
    assert ">7:00<" in response.text
    assert response.text.count("data-save-and-go") == 3


def test_a_save_before_the_deadline_is_kept(client_logged_in, mock):
    saved_at = mock.started_at + timedelta(minutes=9)
    with time_machine.travel(saved_at, tick=False):
        response = client_logged_in.post(
            save_url(mock, 1), {"answer": "my answer", "confidence": 2}, HTTP_HX_REQUEST="true"
        )

    assert response.status_code == 200
    assert f"Saved at {saved_at:%H:%M:%S}" in response.text
    item = mock.items.get(position=1)
    assert (item.answer_text, item.confidence) == ("my answer", 2)


def test_a_save_within_the_grace_period_is_kept(client_logged_in, mock, settings):
    with time_machine.travel(mock.deadline + timedelta(seconds=settings.MOCK_GRACE_SECONDS - 1), tick=False):
        response = client_logged_in.post(save_url(mock, 1), {"answer": "just in time"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert mock.items.get(position=1).answer_text == "just in time"


def test_a_save_after_the_grace_period_is_refused_and_changes_nothing(client_logged_in, mock, settings):
    with time_machine.travel(mock.started_at + timedelta(minutes=5), tick=False):
        client_logged_in.post(save_url(mock, 1), {"answer": "saved in time"})
    with time_machine.travel(mock.deadline + timedelta(seconds=settings.MOCK_GRACE_SECONDS + 1), tick=False):
        response = client_logged_in.post(save_url(mock, 1), {"answer": "too late"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 409
    assert "Time is up" in response.text
    assert mock.items.get(position=1).answer_text == "saved in time"


def test_a_plain_save_navigates_and_a_late_plain_save_goes_to_the_report(client_logged_in, mock):
    with time_machine.travel(mock.started_at + timedelta(minutes=1), tick=False):
        response = client_logged_in.post(save_url(mock, 1), {"answer": "a", "go": "2"})
    assert response["Location"] == reverse("quiz:mock_question", args=[mock.pk, 2])

    with time_machine.travel(mock.started_at + timedelta(minutes=11), tick=False):
        late = client_logged_in.post(save_url(mock, 2), {"answer": "b", "go": "3"}, follow=True)
    assert late.redirect_chain[-1][0] == reverse("quiz:mock_report", args=[mock.pk])
    assert "no longer accepts answers" in late.text
    assert mock.items.get(position=2).answer_text == ""


def test_a_choice_from_another_question_is_a_400(client_logged_in, mock, questions):
    foreign = questions[0].drills.first().choices.first()

    response = client_logged_in.post(save_url(mock, 3), {"choice": foreign.pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 400
    assert mock.items.get(position=3).choice is None


def test_time_spent_is_charged_to_the_question_on_screen(client_logged_in, mock):
    with time_machine.travel(mock.started_at + timedelta(seconds=40), tick=False):
        client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 2]))
    with time_machine.travel(mock.started_at + timedelta(seconds=100), tick=False):
        client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 3]))

    times = dict(mock.items.values_list("position", "time_spent_ms"))
    assert times == {1: 40_000, 2: 60_000, 3: 0}


def test_a_follow_up_is_asked_only_after_its_question_is_answered(client_logged_in, user):
    parent = Question.objects.active().filter(follow_ups__isnull=False).first()
    mock = make_mock(user=user, questions=[parent])
    MockItem.objects.create(mock=mock, position=2, question=parent.follow_ups.first(), parent=mock.items.get())

    before = client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 1]))
    assert client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 2])).status_code == 404
    client_logged_in.post(save_url(mock, 1), {"answer": "an answer"})
    after = client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 1]))

    assert before.text.count("data-save-and-go") == 1
    assert after.text.count("data-save-and-go") == 2
    assert client_logged_in.get(reverse("quiz:mock_question", args=[mock.pk, 2])).status_code == 200


def test_finish_confirmation_lists_unanswered_questions(client_logged_in, mock, questions):
    client_logged_in.post(save_url(mock, 1), {"answer": "something"})

    response = client_logged_in.get(reverse("quiz:finish_mock", args=[mock.pk]))

    assert "2 questions are still unanswered" in response.text
    assert questions[1].prompt_en[:40] in response.text
    assert questions[0].prompt_en[:40] not in response.text


# --- finalising and scoring ----------------------------------------------------------------------


def test_finish_scores_open_and_multiple_choice_answers_and_feeds_the_schedule(client_logged_in, user, mock, questions):
    total_points = questions[0].key_points.filter(archived=False).count()
    client_logged_in.post(save_url(mock, 1), {"answer": keywords_of(questions[0], 2), "confidence": 3})
    correct = mock.items.get(position=3).drill.choices.get(is_correct=True)
    client_logged_in.post(save_url(mock, 3), {"choice": correct.pk})

    response = client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))

    assert response["Location"] == reverse("quiz:mock_report", args=[mock.pk])
    mock.refresh_from_db()
    assert mock.finish_reason == "submitted"
    open_attempt = Attempt.objects.get(mock_item__position=1, mock_item__mock=mock)
    assert open_attempt.score == pytest.approx(2 / total_points)
    assert open_attempt.confidence == 3
    assert open_attempt.key_point_marks.filter(detected=True, ticked=True).count() == 2
    assert Attempt.objects.get(mock_item__position=3, mock_item__mock=mock).score == 1.0
    assert not Attempt.objects.filter(mock_item__position=2).exists()  # unanswered: not a review
    assert ReviewLog.objects.filter(attempt__user=user).count() == 2
    assert set(Card.objects.filter(user=user).values_list("question_id", flat=True)) == {
        questions[0].pk,
        questions[2].pk,
    }


def test_viewing_an_expired_interview_finalises_it_once(client_logged_in, mock, questions):
    with time_machine.travel(mock.started_at + timedelta(minutes=2), tick=False):
        client_logged_in.post(save_url(mock, 1), {"answer": keywords_of(questions[0], 1)})

    with time_machine.travel(mock.started_at + timedelta(hours=3), tick=False):
        report = client_logged_in.get(mock.get_absolute_url(), follow=True)
        client_logged_in.get(reverse("quiz:mock_report", args=[mock.pk]))

    mock.refresh_from_db()
    assert mock.finish_reason == "expired"
    assert "Time ran out" in report.text
    assert "Unanswered" in report.text
    assert Attempt.objects.filter(mock_item__mock=mock).count() == 1


def test_any_request_finalises_an_expired_interview(client_logged_in, mock):
    with time_machine.travel(mock.started_at + timedelta(days=1), tick=False):
        client_logged_in.get(reverse("quiz:topics"))

    mock.refresh_from_db()
    assert mock.is_finished


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_finalise_once():
    user = make_user()
    questions = [make_question(), make_question()]
    mock = make_mock(user=user, questions=questions, minutes=1, started_at=timezone.now() - timedelta(hours=1))
    MockItem.objects.filter(mock=mock, position=1).update(answer_text="It can fail", saved_at=timezone.now())
    barrier = threading.Barrier(2)
    statuses = []

    def view_report():
        browser = Client()
        browser.force_login(user)
        barrier.wait()
        statuses.append(browser.get(reverse("quiz:mock_report", args=[mock.pk])).status_code)
        connection.close()

    threads = [threading.Thread(target=view_report) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200, 200]
    assert Attempt.objects.filter(mock_item__mock=mock).count() == 1
    assert ReviewLog.objects.count() == 1


def test_report_correction_updates_the_score(client_logged_in, mock, questions):
    client_logged_in.post(save_url(mock, 1), {"answer": "nothing relevant"})
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))
    attempt = Attempt.objects.get(mock_item__mock=mock, mock_item__position=1)
    points = list(questions[0].key_points.filter(archived=False))

    response = client_logged_in.post(
        reverse("quiz:correct_mock_answer", args=[mock.pk, 1]),
        {"points": [p.pk for p in points[:2]]},
        HTTP_HX_REQUEST="true",
    )

    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(2 / len(points))
    assert response.text.strip().startswith('<article id="result-1"')
    assert attempt.key_point_marks.filter(ticked=True).count() == 2


def test_report_correction_refuses_foreign_key_points(client_logged_in, mock, questions):
    client_logged_in.post(save_url(mock, 1), {"answer": "x"})
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))
    foreign = questions[1].key_points.first()

    client_logged_in.post(reverse("quiz:correct_mock_answer", args=[mock.pk, 1]), {"points": [foreign.pk]})

    assert Attempt.objects.get(mock_item__mock=mock, mock_item__position=1).score == 0


def test_a_confident_wrong_answer_is_a_misconception_listed_first(client_logged_in, mock, questions):
    client_logged_in.post(save_url(mock, 1), {"answer": keywords_of(questions[0], 5)})
    client_logged_in.post(save_url(mock, 2), {"answer": "no idea at all", "confidence": 3})
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))

    page = client_logged_in.get(reverse("quiz:mock_report", args=[mock.pk])).text

    assert "Misconceptions" in page
    assert page.index('id="result-2"') < page.index('id="result-1"')


def test_history_lists_finished_interviews_with_scores(client_logged_in, mock, questions):
    client_logged_in.post(
        save_url(mock, 3), {"choice": mock.items.get(position=3).drill.choices.get(is_correct=True).pk}
    )
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))

    page = client_logged_in.get(reverse("quiz:mock_history")).text

    assert reverse("quiz:mock_report", args=[mock.pk]) in page
    assert "33%" in page  # one of three right


# --- ownership, methods, query counts --------------------------------------------------------------


def test_another_users_interview_is_404_everywhere(client, other_user, mock):
    client.force_login(other_user)
    urls = [
        mock.get_absolute_url(),
        reverse("quiz:mock_question", args=[mock.pk, 1]),
        reverse("quiz:finish_mock", args=[mock.pk]),
        reverse("quiz:mock_report", args=[mock.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(save_url(mock, 1), {"answer": "hijack"}).status_code == 404
    assert client.post(reverse("quiz:finish_mock", args=[mock.pk])).status_code == 404
    assert client.post(reverse("quiz:correct_mock_answer", args=[mock.pk, 1])).status_code == 404
    assert mock.items.get(position=1).answer_text == ""
    assert not MockInterview.objects.get(pk=mock.pk).is_finished


def test_mock_pages_require_login(client, mock):
    assert client.get(reverse("quiz:mock"))["Location"].startswith(reverse("login"))
    assert client.get(mock.get_absolute_url())["Location"].startswith(reverse("login"))


def test_save_and_start_reject_get(client_logged_in, mock):
    assert client_logged_in.get(save_url(mock, 1)).status_code == 405
    assert client_logged_in.get(reverse("quiz:start_mock")).status_code == 405


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_history(user, answers: int) -> None:
    question = Question.objects.active().first()
    Attempt.objects.bulk_create(
        Attempt(user=user, question=question, mode="recall", score=1, rating=3, answered_at=timezone.now())
        for _ in range(answers)
    )


# session, user, the expiry check, the interview, its items (+ choices), the time-tracking update.
TAKING_PAGE_QUERIES = 9
# session, user, the expiry check, the interview, its items with attempts, key points, choices, marks.
REPORT_PAGE_QUERIES = 8


def test_taking_page_query_count_is_fixed(client_logged_in, user, mock):
    url = reverse("quiz:mock_question", args=[mock.pk, 1])
    add_history(user, 1)
    first = count_queries(client_logged_in, url)
    add_history(user, 1000)
    assert (first, count_queries(client_logged_in, url)) == (TAKING_PAGE_QUERIES, TAKING_PAGE_QUERIES)


def test_report_query_count_is_fixed(client_logged_in, user, mock, questions):
    for position in (1, 2):
        client_logged_in.post(save_url(mock, position), {"answer": keywords_of(questions[position - 1], 2)})
    client_logged_in.post(reverse("quiz:finish_mock", args=[mock.pk]))
    url = reverse("quiz:mock_report", args=[mock.pk])
    add_history(user, 1)
    first = count_queries(client_logged_in, url)
    add_history(user, 1000)
    assert (first, count_queries(client_logged_in, url)) == (REPORT_PAGE_QUERIES, REPORT_PAGE_QUERIES)
