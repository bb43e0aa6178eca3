"""The verbs that write answers: each runs in one transaction with the racing row locked."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Rating

from quiz import matching, scheduling
from quiz.models import Attempt, AttemptKeyPoint, Card, Choice, Mode, Profile, ReviewLog, SessionItem


class AlreadyAnswered(Exception):
    def __init__(self, attempt: Attempt):
        self.attempt = attempt


def _elapsed_ms(start, end) -> int | None:
    return max(0, int((end - start).total_seconds() * 1000)) if start and end else None


def schedule(*, attempt: Attempt, rating: int, now) -> ReviewLog:
    """Feed one answer to the user's FSRS card for that question (created on first answer)."""
    card, _ = Card.objects.select_for_update().get_or_create(user=attempt.user, question=attempt.question)
    retention = Profile.for_user(attempt.user).desired_retention
    outcome = scheduling.review(
        card, rating=rating, now=now, desired_retention=retention, duration_ms=attempt.duration_ms
    )
    card.save()
    return ReviewLog.objects.create(
        card=card,
        attempt=attempt,
        rating=rating,
        reviewed_at=now,
        duration_ms=attempt.duration_ms,
        state_before=outcome.state_before,
        due_after=outcome.due_after,
    )


def reveal(*, item: SessionItem, answer_text: str) -> SessionItem:
    """Keep what the user typed and when they asked to see the answer (once: a second tab or a
    resubmit does not move the time)."""
    with transaction.atomic():
        item = SessionItem.objects.select_for_update().get(pk=item.pk)
        if item.revealed_at is None and not hasattr(item, "attempt"):
            item.revealed_at = timezone.now()
            item.draft_text = answer_text
            item.save(update_fields=["revealed_at", "draft_text"])
    return item


def _answer_once(item: SessionItem, write: Callable[[SessionItem, datetime], Attempt]) -> Attempt:
    """Run `write(locked_item, now)` for an item that has no answer yet. A second answer raises
    AlreadyAnswered, also one that raced past the check: the one-to-one column refuses it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = SessionItem.objects.select_for_update().select_related("question", "session").get(pk=item.pk)
            existing = Attempt.objects.filter(session_item=locked).first()
            if existing is not None:
                raise AlreadyAnswered(existing)
            return write(locked, now)
    except IntegrityError:
        raise AlreadyAnswered(Attempt.objects.get(session_item=item)) from None


def record_recall(*, item: SessionItem, rating: int, ticked_ids: Iterable[int]) -> Attempt:
    """Record the self-graded answer to an open question of a practice session."""

    def write(item: SessionItem, now: datetime) -> Attempt:
        points = list(item.question.key_points.filter(archived=False))
        verdicts = matching.judge(item.draft_text, points)
        ticked = {pk for pk in ticked_ids if pk in {p.pk for p in points}}
        typed = bool(item.draft_text.strip())
        attempt = Attempt.objects.create(
            user=item.session.user,
            question=item.question,
            mode=Mode.RECALL,
            session_item=item,
            answer_text=item.draft_text,
            # Coverage is a property of a typed answer; an answer rated from memory has none.
            score=matching.coverage(len(ticked), len(points)) if typed else None,
            rating=rating,
            started_at=item.shown_at or now,
            answered_at=now,
            reveal_ms=_elapsed_ms(item.shown_at, item.revealed_at),
            duration_ms=_elapsed_ms(item.shown_at, now),
        )
        AttemptKeyPoint.objects.bulk_create(
            AttemptKeyPoint.from_verdict(attempt=attempt, key_point=p, verdict=verdicts[p.pk], ticked=p.pk in ticked)
            for p in points
        )
        schedule(attempt=attempt, rating=rating, now=now)
        return attempt

    return _answer_once(item, write)


def record_drill(*, item: SessionItem, choice: Choice) -> Attempt:
    """Record a multiple-choice answer: right → Good, wrong → Again."""
    rating = int(Rating.Good if choice.is_correct else Rating.Again)

    def write(item: SessionItem, now: datetime) -> Attempt:
        attempt = Attempt.objects.create(
            user=item.session.user,
            question=item.question,
            mode=Mode.DRILL,
            session_item=item,
            drill_id=item.drill_id,
            choice=choice,
            score=1.0 if choice.is_correct else 0.0,
            rating=rating,
            started_at=item.shown_at or now,
            answered_at=now,
            duration_ms=_elapsed_ms(item.shown_at, now),
        )
        schedule(attempt=attempt, rating=rating, now=now)
        return attempt

    return _answer_once(item, write)


def mark_shown(item: SessionItem) -> None:
    """Start the clock the first time an item is shown; a refresh does not restart it."""
    if item.shown_at is None:
        SessionItem.objects.filter(pk=item.pk, shown_at__isnull=True).update(shown_at=timezone.now())
        item.refresh_from_db(fields=["shown_at"])


def toggle_flag(*, user, question) -> Card:
    with transaction.atomic():
        card, _ = Card.objects.select_for_update().get_or_create(user=user, question=question)
        card.flagged = not card.flagged
        card.save(update_fields=["flagged"])
    return card
