"""The verbs that write answers: each runs in one transaction with the racing row locked."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Rating

from quiz import matching, scheduling, stats
from quiz.models import (
    LEARNING_STATES,
    Attempt,
    AttemptKeyPoint,
    Card,
    Choice,
    Mode,
    PracticeSession,
    Profile,
    ReviewLog,
    SessionItem,
    is_misconception,
)


class AlreadyAnswered(Exception):
    def __init__(self, attempt: Attempt):
        self.attempt = attempt


def _elapsed_ms(start, end) -> int | None:
    return max(0, int((end - start).total_seconds() * 1000)) if start and end else None


def schedule(*, attempt: Attempt, rating: int, now) -> ReviewLog:
    """Feed one answer to the user's FSRS card for that question (created on first answer) and count
    it in the user's rollups (quiz.stats)."""
    card, _ = Card.objects.select_for_update().get_or_create(user=attempt.user, question=attempt.question)
    before = scheduling.snapshot(card)
    profile, _ = Profile.objects.select_for_update().get_or_create(user=attempt.user)  # its zone counts the day
    outcome = scheduling.review(
        card, rating=rating, now=now, desired_retention=profile.desired_retention, duration_ms=attempt.duration_ms
    )
    card.last_rating = rating
    card.save()
    stats.add(attempt, zone=profile.zone)
    return ReviewLog.objects.create(
        card=card,
        attempt=attempt,
        rating=rating,
        reviewed_at=now,
        duration_ms=attempt.duration_ms,
        state_before=outcome.state_before,
        due_after=outcome.due_after,
        card_before=before,
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
            # Lock order everywhere: item, session, card (undo takes session, card).
            PracticeSession.objects.select_for_update().filter(pk=locked.session_id).first()
            attempt = write(locked, now)
            _repeat_while_learning(locked, attempt.review.card, now)
            return attempt
    except IntegrityError:
        raise AlreadyAnswered(Attempt.objects.get(session_item=item)) from None


def record_recall(*, item: SessionItem, rating: int, ticked_ids: Iterable[int]) -> Attempt:
    """Record the self-graded answer to an open question of a practice session."""

    def write(item: SessionItem, now: datetime) -> Attempt:
        points = list(item.question.key_points.filter(archived=False))
        verdicts = matching.judge(item.draft_text, points)
        ticked = {pk for pk in ticked_ids if pk in {p.pk for p in points}}
        typed = bool(item.draft_text.strip())
        stated = any(verdicts[p.pk].contradicted and p.pk not in ticked for p in points)
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
            misconception=is_misconception(confidence=None, score=None, stated=stated),
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


def _repeat_while_learning(item: SessionItem, card: Card, now: datetime) -> None:
    """A card still in a (re)learning step comes back in this session when the step is due."""
    if card.state not in LEARNING_STATES:
        return
    last = SessionItem.objects.filter(session_id=item.session_id).order_by("-position").first()
    SessionItem.objects.create(
        session_id=item.session_id,
        position=last.position + 1,
        question=item.question,
        drill=item.drill,
        repeat_of=item,
        not_before=card.due,
    )


class CannotUndo(Exception):
    """The answer cannot be taken back: the card was reviewed again since, or it predates undo."""


def undo_last_answer(*, session: PracticeSession) -> SessionItem | None:
    """Take back the newest answer of this session, as Anki's undo does: the attempt, its key-point
    marks and its review log are deleted, the card gets its scheduling state from before the review,
    and the item is unanswered again (the typed text kept, the answer hidden). None when there is
    nothing to undo; CannotUndo when the card was reviewed again elsewhere since."""
    with transaction.atomic():
        session = PracticeSession.objects.select_for_update().get(pk=session.pk)
        attempt = (
            Attempt.objects.filter(session_item__session=session)
            .select_related("review__card", "session_item")
            .order_by("-answered_at", "-id")
            .first()
        )
        if attempt is None:
            return None
        log = getattr(attempt, "review", None)
        if log is not None:
            card = Card.objects.select_for_update().get(pk=log.card_id)
            later = ReviewLog.objects.filter(card=card).exclude(pk=log.pk).filter(reviewed_at__gte=log.reviewed_at)
            if log.card_before is None or later.exists():
                raise CannotUndo
            scheduling.restore(card, log.card_before)
            card.last_rating = (
                ReviewLog.objects.filter(card=card).exclude(pk=log.pk).order_by("-reviewed_at", "-id")
                .values_list("rating", flat=True).first()
            )  # fmt: skip
            card.save()
        item = attempt.session_item
        SessionItem.objects.filter(repeat_of=item, attempt__isnull=True).delete()
        stats.remove(attempt)
        attempt.delete()
        item.revealed_at = None
        item.save(update_fields=["revealed_at"])
        if session.finished_at is not None:
            session.finished_at = None
            session.save(update_fields=["finished_at"])
    return item


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
