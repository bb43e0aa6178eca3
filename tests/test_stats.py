"""The rollups (quiz.stats) are a cache of the answer rows: after any sequence of answers, undos,
mock interviews, corrections and time-zone changes they equal what the rows recompute to, and the
pages that read them show what History lists."""

import contextlib
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quiz import grading, mocks, readiness, sessions, stats
from quiz.forms import SettingsForm
from quiz.models import Attempt, DayStat, MockInterview, PracticeMode, Profile, Question, SessionItem
from tests.factories import answer_stating, make_mock, make_user

pytestmark = pytest.mark.django_db

ZONES = ("UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati")


def change_zone(user, zone: str) -> None:
    profile = Profile.for_user(user)
    data = {
        "time_zone": zone,
        "desired_retention": profile.desired_retention,
        "new_per_day": profile.new_per_day,
        "reviews_per_day": profile.reviews_per_day,
    }
    form = SettingsForm(data, instance=profile)
    assert form.is_valid(), form.errors
    stats.save_settings(form)


def practise(user, rng: random.Random) -> None:
    mode = rng.choice((PracticeMode.RECALL, PracticeMode.DRILL, PracticeMode.NEW))
    session = sessions.start_session(user=user, mode=mode, topics=[], difficulty="", size=rng.randint(1, 4))
    if session is None:
        return
    while (item := sessions.current_item(session, now=timezone.now() + timedelta(hours=1))) is not None:
        if item.drill_id:
            grading.record_drill(item=item, choice=rng.choice(list(item.drill.choices.all())))
        else:
            points = list(item.question.key_points.filter(archived=False))
            said = answer_stating(rng.sample(points, rng.randint(0, len(points))))
            item = grading.reveal(item=item, answer_text=rng.choice((said, "", "it is not true that " + said)))
            grading.record_recall(item=item, rating=rng.randint(1, 4), ticked_ids=[p.pk for p in points[:1]])
        if rng.random() < 0.3:
            with contextlib.suppress(grading.CannotUndo):
                grading.undo_last_answer(session=session)
        if SessionItem.objects.filter(session=session).count() > 12:
            break
    if rng.random() < 0.5:  # leave the session with its last answer taken back
        with contextlib.suppress(grading.CannotUndo):
            grading.undo_last_answer(session=session)


def interview(user, rng: random.Random) -> None:
    questions = list(Question.objects.active().order_by("?")[:3])
    mock = make_mock(user=user, questions=questions, drill_positions=(3,))
    for position, question in enumerate(questions, start=1):
        if position == 3:
            mocks.save_answer(mock=mock, position=3, choice=rng.choice(list(question.drills.first().choices.all())))
        else:
            points = list(question.key_points.filter(archived=False))
            text = answer_stating(points[: rng.randint(0, len(points))])
            mocks.save_answer(mock=mock, position=position, answer_text=text, confidence=rng.choice((1, 2, 3)))
    mocks.finalise(mock=mock, reason=MockInterview.FinishReason.SUBMITTED)
    open_answer = Attempt.objects.filter(mock_item__mock=mock, mode="mock", drill__isnull=True).first()
    if open_answer is not None and rng.random() < 0.5:
        marks = list(open_answer.key_point_marks.values_list("key_point_id", flat=True))
        mocks.correct_key_points(attempt=open_answer, ticked_ids=set(rng.sample(marks, rng.randint(0, len(marks)))))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_recomputation_after_random_answers_undos_mocks_and_zone_changes(seed):
    rng = random.Random(seed)
    user = make_user(username=f"random-{seed}")
    for _ in range(8):
        step = rng.choice((practise, practise, practise, interview, "zone"))
        if step == "zone":
            change_zone(user, rng.choice(ZONES))
        else:
            step(user, rng)
        assert stats.stored(user) == stats.recomputed(user)
    assert Attempt.objects.filter(user=user).exists()


def test_a_zone_change_moves_past_answers_into_the_days_of_the_new_zone():
    user = make_user()
    item_at = (timezone.now() - timedelta(days=1)).replace(hour=23, minute=30)
    question = Question.objects.active().first()
    attempt = Attempt.objects.create(user=user, question=question, mode="recall", rating=3, answered_at=item_at)
    grading.schedule(attempt=attempt, rating=3, now=item_at)
    assert list(DayStat.objects.filter(user=user).values_list("day", flat=True)) == [item_at.date()]

    change_zone(user, "Asia/Shanghai")  # UTC+8: 23:30 is 07:30 the next morning

    assert list(DayStat.objects.filter(user=user).values_list("day", flat=True)) == [item_at.date() + timedelta(days=1)]


def test_rebuild_stats_command_repairs_rollups_and_check_reports_drift():
    user = make_user()
    session = sessions.start_session(user=user, mode=PracticeMode.DRILL, topics=[], difficulty="", size=2)
    for item in session.items.all():
        grading.record_drill(item=item, choice=item.drill.choices.first())
    DayStat.objects.filter(user=user).update(answers=99)

    with pytest.raises(SystemExit):
        call_command("rebuild_stats", "--check")
    call_command("rebuild_stats")

    assert stats.stored(user) == stats.recomputed(user)
    call_command("rebuild_stats", "--check")  # no drift left: exits normally


def test_history_pages_walk_older_and_newer_without_counting_and_the_total_matches(client_logged_in, user):
    question = Question.objects.active().first()
    now = timezone.now()
    for n in range(120):
        attempt = Attempt.objects.create(
            user=user, question=question, mode="recall", rating=3, answered_at=now - timedelta(minutes=n)
        )
        stats.add(attempt)
    newest_first = list(Attempt.objects.filter(user=user).values_list("pk", flat=True))

    first = client_logged_in.get(reverse("quiz:history"))
    second = client_logged_in.get(reverse("quiz:history"), {"before": first.context["page"].older})
    third = client_logged_in.get(reverse("quiz:history"), {"before": second.context["page"].older})
    back = client_logged_in.get(reverse("quiz:history"), {"after": third.context["page"].newer})

    assert "120 answers so far." in first.text
    pages = [[a.pk for a in response.context["page"].answers] for response in (first, second, third)]
    assert [pk for page in pages for pk in page] == newest_first
    assert [len(p) for p in pages] == [50, 50, 20]
    assert third.context["page"].older is None
    assert first.context["page"].newer is None
    assert [a.pk for a in back.context["page"].answers] == pages[1]
    assert client_logged_in.get(reverse("quiz:history"), {"before": "junk"}).status_code == 200


def test_another_users_answer_is_no_cursor(client_logged_in, user):
    other = make_user(username="eve")
    question = Question.objects.active().first()
    theirs = Attempt.objects.create(user=other, question=question, mode="recall", rating=3, answered_at=timezone.now())

    page = client_logged_in.get(reverse("quiz:history"), {"before": theirs.pk}).context["page"]

    assert page.answers == []
    assert page.newer is None


def test_dashboard_figures_agree_with_the_history(user):
    rng = random.Random(7)
    for _ in range(4):
        practise(user, rng)
    interview(user, rng)
    board = readiness.dashboard(user)
    answered = Attempt.objects.filter(user=user, answered_at__isnull=False)

    assert board.year_total == answered.count()
    rated = answered.filter(rating__isnull=False)
    if rated.exists():
        assert board.accuracy_7 == pytest.approx(rated.filter(rating__gte=2).count() / rated.count())


HISTORY_QUERIES = 5  # session, user, the expired-mock check, the page of answers, the total


def test_history_page_query_count_does_not_grow_with_history(client_logged_in, user):
    question = Question.objects.active().first()
    now = timezone.now()

    def add(count):
        for n in range(count):
            stats.add(
                Attempt.objects.create(
                    user=user, question=question, mode="recall", rating=3, answered_at=now - timedelta(minutes=n)
                )
            )

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert client_logged_in.get(reverse("quiz:history"), params).status_code == 200
        return len(captured)

    add(3)
    few = queries()
    add(300)
    page = client_logged_in.get(reverse("quiz:history")).context["page"]

    assert (few, queries(), queries(before=page.older)) == (HISTORY_QUERIES, HISTORY_QUERIES, HISTORY_QUERIES + 1)
