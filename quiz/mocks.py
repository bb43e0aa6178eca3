"""Mock interviews: choosing the questions, saving answers against the server's deadline, and
finalising exactly once (scoring every saved answer and feeding the FSRS schedule)."""

import random
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from fsrs import Rating

from quiz import matching, stats
from quiz.grading import schedule
from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Choice,
    Difficulty,
    DifficultyMix,
    Drill,
    KeyPoint,
    MockInterview,
    MockItem,
    Mode,
    Profile,
    Question,
    is_misconception,
)

MINUTES_PER_QUESTION = 2.5
MULTIPLE_CHOICE_SHARE = 0.25  # open questions dominate, as in a real interview
RECENT_MOCKS = 3
MIX_SHARES = {
    DifficultyMix.BALANCED: {Difficulty.EASY: 1 / 3, Difficulty.MEDIUM: 1 / 3, Difficulty.HARD: 1 / 3},
    DifficultyMix.EASIER: {Difficulty.EASY: 0.5, Difficulty.MEDIUM: 0.35, Difficulty.HARD: 0.15},
    DifficultyMix.HARDER: {Difficulty.EASY: 0.15, Difficulty.MEDIUM: 0.35, Difficulty.HARD: 0.5},
}


class MockClosed(Exception):
    """The interview no longer accepts answers (finished, or past the deadline and its grace)."""


def default_time_limit(length: int) -> int:
    """Minutes: about 2.5 per question."""
    return round(length * MINUTES_PER_QUESTION)


def _quotas(mix: str, length: int) -> dict[str, int]:
    """Questions per difficulty for the mix, by largest remainder so they add up to `length`."""
    shares = MIX_SHARES[mix]
    raw = {level: share * length for level, share in shares.items()}
    quotas = {level: int(value) for level, value in raw.items()}
    for level in sorted(raw, key=lambda level: raw[level] - quotas[level], reverse=True)[
        : length - sum(quotas.values())
    ]:
        quotas[level] += 1
    return quotas


def choose_questions(*, user, topics, mix: str, length: int) -> list[Question]:
    """Random questions of the chosen topics in the requested difficulty mix, preferring ones
    not seen in the user's recent mock interviews; short difficulty pools borrow from others."""
    base = Question.objects.active().in_topics(topics)
    recent_mocks = MockInterview.objects.filter(user=user).order_by("-started_at")[:RECENT_MOCKS]
    recent = set(MockItem.objects.filter(mock__in=list(recent_mocks)).values_list("question_id", flat=True))
    fresh, seen = {}, []
    for level in MIX_SHARES[mix]:
        pool = list(base.of_difficulty(level))
        random.shuffle(pool)
        fresh[level] = [q for q in pool if q.pk not in recent]
        seen += [q for q in pool if q.pk in recent]
    chosen: list[Question] = []
    for level, quota in _quotas(mix, length).items():
        chosen += fresh[level][:quota]
        del fresh[level][:quota]
    # Too few fresh questions of some difficulty: other fresh ones first, recent ones last.
    spare = [q for level in fresh for q in fresh[level]]
    random.shuffle(spare)
    random.shuffle(seen)
    chosen += (spare + seen)[: length - len(chosen)]
    random.shuffle(chosen)
    return chosen


class AlreadyInProgress(Exception):
    def __init__(self, mock: MockInterview):
        self.mock = mock


def start_mock(*, user, topics, mix: str, length: int, minutes: float, now=None) -> MockInterview | None:
    """Create the interview with its deadline and items, or None when no questions match. Raises
    AlreadyInProgress when the user has one open — also when two starts race (a double-click):
    the user's profile row is locked while checking, and the partial unique constraint backs it up."""
    Profile.for_user(user)
    try:
        with transaction.atomic():
            Profile.objects.select_for_update().get(user=user)
            existing = MockInterview.objects.filter(user=user).in_progress().first()
            if existing is not None:
                raise AlreadyInProgress(existing)
            return _create_mock(user=user, topics=topics, mix=mix, length=length, minutes=minutes, now=now)
    except IntegrityError:
        raise AlreadyInProgress(MockInterview.objects.filter(user=user).in_progress().get()) from None


def _create_mock(*, user, topics, mix: str, length: int, minutes: float, now=None) -> MockInterview | None:
    now = now or timezone.now()
    questions = choose_questions(user=user, topics=topics, mix=mix, length=length)
    if not questions:
        return None
    mock = MockInterview.objects.create(
        user=user,
        length=len(questions),
        time_limit=timedelta(minutes=minutes),
        difficulty_mix=mix,
        started_at=now,
        deadline=now + timedelta(minutes=minutes),
        current_since=now,
    )
    mock.topics.set(topics)
    with_content = Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related(
        Prefetch("drills", queryset=Drill.objects.filter(archived=False)),
        Prefetch("follow_ups", queryset=Question.objects.filter(archived=False)),
    )
    content = {question.pk: question for question in with_content}
    multiple_choice = {q.pk for q in random.sample(questions, round(len(questions) * MULTIPLE_CHOICE_SHARE))}
    follow_up_budget = max(1, len(questions) // 4)
    position = 0
    for question in questions:
        drills = list(content[question.pk].drills.all())
        position += 1
        drill = random.choice(drills) if question.pk in multiple_choice and drills else None  # noqa: S311
        item = MockItem.objects.create(mock=mock, position=position, question=question, drill=drill)
        follow_ups = list(content[question.pk].follow_ups.all())
        if drill is None and follow_ups and follow_up_budget:
            follow_up_budget -= 1
            position += 1
            MockItem.objects.create(mock=mock, position=position, question=random.choice(follow_ups), parent=item)  # noqa: S311
    return mock


def visible_items(items: list[MockItem]) -> list[MockItem]:
    """The questions asked so far: every main question, and a follow-up once its parent has an answer."""
    answered = {item.pk for item in items if item.is_answered}
    return [item for item in items if item.parent_id is None or item.parent_id in answered]


def _track_time(mock: MockInterview, *, now) -> None:
    """Add the time since the user opened the current question to it (capped at the deadline)."""
    if mock.current_since is None:
        return
    until = min(now, mock.deadline)
    if until > mock.current_since:
        elapsed = int((until - mock.current_since).total_seconds() * 1000)
        item = MockItem.objects.select_for_update().filter(mock=mock, position=mock.current_position).first()
        if item is not None:
            item.time_spent_ms += elapsed
            item.save(update_fields=["time_spent_ms"])
    mock.current_since = now


def open_question(*, mock: MockInterview, position: int, now=None) -> None:
    """The user looks at question `position`: charge the time so far to the previous one."""
    now = now or timezone.now()
    with transaction.atomic():
        mock = MockInterview.objects.select_for_update().get(pk=mock.pk)
        if mock.is_finished or mock.current_position == position:
            return
        _track_time(mock, now=now)
        mock.current_position = position
        mock.save(update_fields=["current_position", "current_since"])


_UNCHANGED = object()


def save_answer(
    *,
    mock: MockInterview,
    position: int,
    answer_text=_UNCHANGED,
    choice: Choice | object | None = _UNCHANGED,
    confidence=_UNCHANGED,
    flagged=_UNCHANGED,
    now=None,
) -> MockItem:
    """Autosave one question's answer. Refused (MockClosed) once finished or past the grace period."""
    now = now or timezone.now()
    with transaction.atomic():
        mock = MockInterview.objects.select_for_update().get(pk=mock.pk)
        if not mock.accepts_saves(now):
            raise MockClosed
        item = MockItem.objects.select_for_update().get(mock=mock, position=position)
        changes = {"answer_text": answer_text, "choice": choice, "confidence": confidence, "flagged": flagged}
        for name, value in changes.items():
            if value is not _UNCHANGED:
                setattr(item, name, value)
        item.saved_at = now
        item.save()
        return item


def finalise(*, mock: MockInterview, reason: str, now=None) -> MockInterview:
    """Score every saved answer and feed the schedule, exactly once: the row lock makes a racing
    second call wait and then find the interview already finished."""
    now = now or timezone.now()
    with transaction.atomic():
        mock = MockInterview.objects.select_for_update().get(pk=mock.pk)
        if mock.is_finished:
            return mock
        _track_time(mock, now=now)
        items = list(
            mock.items.select_related("question", "choice").prefetch_related(
                Prefetch("question__key_points", queryset=KeyPoint.objects.filter(archived=False))
            )
        )
        for item in visible_items(items):
            if item.is_answered:
                _score(item, user=mock.user, now=now)
        mock.finished_at = now
        mock.finish_reason = reason
        mock.save(update_fields=["finished_at", "finish_reason", "current_since"])
        return mock


def _score(item: MockItem, *, user, now) -> Attempt:
    common = {
        "user": user,
        "question": item.question,
        "mode": Mode.MOCK,
        "mock_item": item,
        "confidence": item.confidence,
        "started_at": item.mock.started_at,
        "answered_at": item.saved_at or now,
        "duration_ms": item.time_spent_ms,
    }
    if item.drill_id:
        correct = bool(item.choice and item.choice.is_correct)
        rating = Rating.Good if correct else Rating.Again
        attempt = Attempt.objects.create(
            **common,
            drill_id=item.drill_id,
            choice=item.choice,
            score=float(correct),
            rating=int(rating),
            misconception=is_misconception(confidence=item.confidence, score=float(correct), stated=False),
        )
    else:
        points = list(item.question.key_points.filter(archived=False))
        verdicts = matching.judge(item.answer_text, points)
        covered = sum(v.covered for v in verdicts.values())
        contradicted = sum(v.contradicted for v in verdicts.values())
        score = matching.coverage(covered, len(points))
        rating = matching.suggested_rating(score, contradicted=contradicted)
        stated = any(v.contradicted and not v.covered for v in verdicts.values())
        attempt = Attempt.objects.create(
            **common,
            answer_text=item.answer_text,
            score=score,
            rating=int(rating),
            misconception=is_misconception(confidence=item.confidence, score=score, stated=stated),
        )
        AttemptKeyPoint.objects.bulk_create(
            AttemptKeyPoint.from_verdict(
                attempt=attempt, key_point=p, verdict=verdicts[p.pk], ticked=verdicts[p.pk].covered
            )
            for p in points
        )
    schedule(attempt=attempt, rating=int(rating), now=now)
    return attempt


def correct_key_points(*, attempt: Attempt, ticked_ids: set[int]) -> Attempt:
    """The user corrects which key points their open answer covered; the score follows. The
    schedule keeps the review it already had (a correction is not a second review)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("question").get(pk=attempt.pk)
        marks = list(attempt.key_point_marks.all())
        for mark in marks:
            mark.ticked = mark.key_point_id in ticked_ids
        AttemptKeyPoint.objects.bulk_update(marks, ["ticked"])
        attempt.score = matching.coverage(sum(mark.ticked for mark in marks), len(marks))
        attempt.save(update_fields=["score"])
        stated = any(mark.contradicted and not mark.ticked for mark in marks)
        stats.set_misconception(
            attempt, is_misconception(confidence=attempt.confidence, score=attempt.score, stated=stated)
        )
        return attempt


def finalise_expired(user, *, now=None) -> None:
    """Finish the user's interview if its time (and grace) has run out: called on every request."""
    for mock in MockInterview.objects.filter(user=user).expired(now):
        finalise(mock=mock, reason=MockInterview.FinishReason.EXPIRED, now=now)
