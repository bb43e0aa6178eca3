"""Dashboard, review, settings, export and account deletion (checklist from shared/STYLE.md)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz import stats
from quiz.grading import schedule
from quiz.models import Attempt, Card, PracticeSession, Profile, Question, Topic, is_misconception
from tests.factories import make_mock

pytestmark = pytest.mark.django_db


def add_answers(user, count, *, rating=3):
    questions = list(Question.objects.active()[:50])
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            user=user,
            question=questions[n % len(questions)],
            mode="recall",
            rating=rating,
            score=0.8,
            answered_at=now - timedelta(hours=n),
            duration_ms=30_000,
        )
        for n in range(count)
    )
    for attempt in attempts[: len(questions)]:
        schedule(attempt=attempt, rating=rating, now=attempt.answered_at)
    stats.rebuild(user)  # the answers were written in bulk, past the verbs that keep the rollups


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_shows_headline_figures_calendar_charts_and_readiness(client_logged_in, user):
    add_answers(user, 12)

    page = client_logged_in.get(reverse("quiz:dashboard")).text

    assert "Questions seen" in page
    assert ">12 <small>/ 310</small>" in page
    assert "Activity in the last year" in page
    assert page.count('class="heat heat-') >= 365
    assert page.count('<figure class="chart">') == 2  # weekly accuracy and forecast (no mocks yet)
    assert "No mock interviews yet." in page
    assert page.count("<tr>") >= 16
    assert "Set your interview date" in page


def test_dashboard_shows_the_interview_day_prediction(client_logged_in, user):
    add_answers(user, 5)
    profile = Profile.for_user(user)
    profile.interview_date = timezone.localdate() + timedelta(days=10)
    profile.save()

    page = client_logged_in.get(reverse("quiz:dashboard")).text

    assert "in 10 days" in page
    assert "On interview day" in page


def test_dashboard_with_a_new_account_explains_and_does_not_fail(client_logged_in):
    page = client_logged_in.get(reverse("quiz:dashboard")).text

    assert "Start here" in page
    assert "Learn my first 10 questions" in page
    assert page.count('name="topics"') == Topic.objects.count()
    assert "<svg" not in page  # no empty charts
    assert "Review weak topics" not in page


def test_the_first_step_starts_ten_new_questions_of_the_picked_topics(client_logged_in, user):
    topic = Topic.objects.get(slug="rnn")

    response = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "new", "size": 10, "topics": [topic.pk]})

    session = PracticeSession.objects.get(user=user)
    assert response["Location"] == session.get_absolute_url()
    assert {item.question.topic for item in session.items.all()} == {topic}
    assert session.items.count() == 10


def test_after_the_first_answer_the_dashboard_shows_figures_but_no_empty_chart(client_logged_in, user):
    add_answers(user, 1)

    page = client_logged_in.get(reverse("quiz:dashboard")).text

    assert "Start here" not in page
    assert ">1 <small>/ 310</small>" in page
    assert "Accuracy per week" in page


def test_dashboard_lists_leeches(client_logged_in, user):
    question = Question.objects.get(seed=25)
    Card.objects.create(user=user, question=question, last_review=timezone.now(), lapses=9, state=2)

    page = client_logged_in.get(reverse("quiz:dashboard")).text

    assert question.prompt_en in page
    assert "9 lapses" in page


# Session, user, the expired-mock check, the profile, the day rollups (calendar, streaks, windows,
# weekly accuracy), due counts, then per topic: topics, cards, the topic-day and topic rollups; the
# last 20 mock interviews and their items, the forecast and the leeches.
DASHBOARD_QUERIES = 13
# Session, user, the expired-mock check, the profile, the four topic queries, misconceptions, leeches.
REVIEW_QUERIES = 10


@pytest.mark.parametrize(("name", "budget"), [("quiz:dashboard", DASHBOARD_QUERIES), ("quiz:review", REVIEW_QUERIES)])
def test_query_count_is_the_same_for_1_and_1000_answers(client_logged_in, user, name, budget):
    add_answers(user, 1)
    make_mock(user=user, questions=list(Question.objects.active()[:2]))
    few = queries(client_logged_in, reverse(name))
    add_answers(user, 1000)

    assert (few, queries(client_logged_in, reverse(name))) == (budget, budget)


def test_dashboard_and_review_require_login(client):
    for name in ("quiz:dashboard", "quiz:review", "quiz:settings", "quiz:delete_account"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_review_ranks_topics_and_explains_weakness(client_logged_in, user):
    add_answers(user, 30)  # 30 questions of the first topics: two topics practised

    page = client_logged_in.get(reverse("quiz:review")).text

    assert "How weakness is computed" in page
    assert "0.4 × share of answers rated Again in the last 30 days" in page
    assert page.count('class="card weak-card"') == 2
    assert page.count('class="mastery-weak"') == 2
    assert "Not started" in page


def test_review_weak_topics_starts_a_session(client_logged_in, user):
    add_answers(user, 50, rating=1)

    response = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "weak", "size": 15})

    session = PracticeSession.objects.get(user=user)
    assert response["Location"] == session.get_absolute_url()
    assert session.mode == "weak"
    assert session.items.count() == 15


def test_review_lists_misconceptions(client_logged_in, user):
    question = Question.objects.get(seed=31)
    Attempt.objects.create(
        user=user,
        question=question,
        mode="mock",
        confidence=3,
        score=0.1,
        answered_at=timezone.now(),
        misconception=is_misconception(confidence=3, score=0.1, stated=False),
    )
    stats.rebuild(user)

    page = client_logged_in.get(reverse("quiz:review")).text

    assert question.prompt_en in page


# --- settings ------------------------------------------------------------------------------------


def test_settings_save_interview_date_time_zone_and_retention(client_logged_in, user):
    day = timezone.localdate() + timedelta(days=30)
    data = {
        "interview_date": day.isoformat(),
        "time_zone": "Asia/Shanghai",
        "desired_retention": "0.85",
        "new_per_day": 20,
        "reviews_per_day": 200,
    }

    response = client_logged_in.post(reverse("quiz:settings"), data)

    assert response.status_code == 302
    profile = Profile.for_user(user)
    assert (profile.interview_date, profile.time_zone, profile.desired_retention) == (day, "Asia/Shanghai", 0.85)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"interview_date": "2020-01-01"}, "Choose a date from today on."),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice."),
        ({"desired_retention": "0.5"}, "Choose a value between 0.70 and 0.97."),
        ({"interview_date": "not a date"}, "Enter a valid date."),
    ],
)
def test_bad_settings_are_a_400_and_change_nothing(client_logged_in, user, change, message):
    data = {"interview_date": "", "time_zone": "UTC", "desired_retention": "0.9", **change}

    response = client_logged_in.post(reverse("quiz:settings"), data)

    assert response.status_code == 400
    assert message in response.text
    profile = Profile.for_user(user)
    assert (profile.interview_date, profile.time_zone, profile.desired_retention) == (None, "UTC", 0.9)


# --- your data -----------------------------------------------------------------------------------


def test_export_csv_has_one_row_per_own_answer(client_logged_in, user, other_user):
    add_answers(user, 3)
    add_answers(other_user, 5)

    response = client_logged_in.get(reverse("quiz:export_history", args=["csv"]))

    assert response["Content-Disposition"].startswith('attachment; filename="dlprep-history-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert rows[0]["rating"] == "3"
    assert rows[0]["question"] in set(Question.objects.values_list("slug", flat=True))


def test_export_json_has_answers_schedule_and_mocks(client_logged_in, user):
    add_answers(user, 2)
    make_mock(user=user, questions=list(Question.objects.active()[:2]))

    data = json.loads(client_logged_in.get(reverse("quiz:export_history", args=["json"])).content)

    assert data["user"] == "ada"
    assert len(data["answers"]) == 2
    assert len(data["schedule"]) == 2
    assert len(data["mock_interviews"]) == 1


def test_unknown_export_format_is_404(client_logged_in):
    assert client_logged_in.get("/settings/export.xml").status_code == 404


def test_delete_account_needs_the_password_and_the_confirmation(client_logged_in, user):
    add_answers(user, 3)

    wrong = client_logged_in.post(reverse("quiz:delete_account"), {"password": "nope", "confirm": "on"})
    unconfirmed = client_logged_in.post(reverse("quiz:delete_account"), {"password": "correct horse battery"})

    assert wrong.status_code == unconfirmed.status_code == 400
    assert "That is not your password." in wrong.text
    assert User.objects.filter(pk=user.pk).exists()
    assert Attempt.objects.filter(user=user).count() == 3


def test_delete_account_removes_the_user_and_all_history(client_logged_in, user, other_user):
    add_answers(user, 3)
    add_answers(other_user, 2)

    response = client_logged_in.post(
        reverse("quiz:delete_account"), {"password": "correct horse battery", "confirm": "on"}, follow=True
    )

    assert "Your account and all your history have been deleted." in response.text
    assert not User.objects.filter(username="ada").exists()
    assert not Attempt.objects.filter(user_id=user.pk).exists()
    assert Attempt.objects.filter(user=other_user).count() == 2


# --- seed_demo -----------------------------------------------------------------------------------


def test_seed_demo_builds_a_living_history(settings):
    settings.DEBUG = True
    call_command("seed_demo", days=21, stdout=io.StringIO())

    demo = User.objects.get(username="demo")
    assert Attempt.objects.filter(user=demo).count() > 100
    assert Card.objects.filter(user=demo, last_review__isnull=False).count() > 50
    assert demo.mock_interviews.filter(finished_at__isnull=False).count() == 3


def test_seed_demo_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.filter(username="demo").exists()
