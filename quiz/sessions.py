"""Choosing questions for a practice session and starting it."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from quiz.models import (
    LEARNING_STATES,
    Attempt,
    Card,
    Drill,
    PracticeMode,
    PracticeSession,
    Profile,
    Question,
    ReviewLog,
    SessionItem,
    State,
)
from quiz.readiness import weak_topic_queue


def _base(topics, difficulty):
    return Question.objects.active().in_topics(topics).of_difficulty(difficulty)


@dataclass(frozen=True)
class Today:
    """What today's limits leave (Anki's daily limits), in the user's time zone."""

    new_left: int  # new questions that may still be introduced today
    reviews_left: int  # due reviews (cards in Review state) that may still be done today
    new: int = 0  # shown as "New · Learning · Due" for the current selection
    learning: int = 0
    due: int = 0


def today(*, user, profile: Profile, base=None, now: datetime | None = None) -> Today:
    """Today's limits, and with a selection (`base`) what it offers today (two queries, or four)."""
    now = now or timezone.now()
    start = datetime.combine(now.astimezone(profile.zone).date(), time.min, tzinfo=profile.zone)
    logs = ReviewLog.objects.filter(card__user=user, reviewed_at__gte=start)
    earlier = ReviewLog.objects.filter(card=OuterRef("card"), reviewed_at__lt=start)
    introduced = logs.exclude(Exists(earlier)).values("card").distinct().count()
    reviewed = logs.filter(state_before=State.REVIEW).count()
    limits = Today(
        new_left=max(0, profile.new_per_day - introduced), reviews_left=max(0, profile.reviews_per_day - reviewed)
    )
    if base is None:
        return limits
    end = start + timedelta(days=1)
    cards = (
        Card.objects.for_user(user)
        .reviewed()
        .filter(question__in=base, due__lt=end)
        .aggregate(
            learning=Count("id", filter=Q(state__in=LEARNING_STATES)),
            due=Count("id", filter=Q(state=State.REVIEW, due__lte=now)),
        )
    )
    return Today(
        new_left=limits.new_left,
        reviews_left=limits.reviews_left,
        new=min(base.unseen_by(user).count(), limits.new_left),
        learning=cards["learning"],
        due=min(cards["due"], limits.reviews_left),
    )


def mode_counts(*, user, topics, difficulty) -> dict[str, int]:
    """How many questions each mode could draw from right now (one query per mode)."""
    base = _base(topics, difficulty)
    return {
        PracticeMode.DUE: Card.objects.for_user(user).due().filter(question__in=base).count(),
        PracticeMode.NEW: base.unseen_by(user).count(),
        PracticeMode.RECALL: base.count(),
        PracticeMode.DRILL: base.filter(drills__archived=False).distinct().count(),
        PracticeMode.MISTAKES: base.mistakes_of(user).count(),
        PracticeMode.FLAGGED: Card.objects.for_user(user).filter(flagged=True, question__in=base).count(),
    }


def candidates(*, user, mode: str, topics, difficulty: str, size: int, from_session=None) -> list[Question]:
    base = _base(topics, difficulty)
    if mode in (PracticeMode.NEW, PracticeMode.DUE):
        limits = today(user=user, profile=Profile.for_user(user))
    if from_session is not None:
        # A session's mistakes: the questions rated Again at least once in it (also if a learning
        # step later got them right), as its summary counts them.
        missed = Attempt.objects.filter(session_item__session=from_session, user=user, rating=1)
        if mode == PracticeMode.MISTAKES:
            return list(base.filter(pk__in=missed.values("question")).order_by("?")[:size])
        base = base.filter(
            pk__in=SessionItem.objects.filter(session=from_session, session__user=user).values("question")
        )
    if mode == PracticeMode.DUE:
        # Learning steps are never held back; cards in Review state stop at the daily review limit.
        cards = Card.objects.for_user(user).due().filter(question__in=base).order_by("due").select_related("question")
        learning = list(cards.filter(state__in=LEARNING_STATES)[:size])
        reviews = list(cards.filter(state=State.REVIEW)[: min(size - len(learning), limits.reviews_left)])
        return [card.question for card in sorted(learning + reviews, key=lambda card: card.due)]
    if mode == PracticeMode.NEW:
        return list(base.unseen_by(user).order_by("topic__order", "position")[: min(size, limits.new_left)])
    if mode == PracticeMode.WEAK:
        return weak_topic_queue(user, size=size)
    if mode == PracticeMode.MISTAKES:
        return list(base.mistakes_of(user).order_by("?")[:size])
    if mode == PracticeMode.FLAGGED:
        cards = Card.objects.for_user(user).filter(flagged=True, question__in=base).order_by("due")
        return [card.question for card in cards.select_related("question")[:size]]
    if mode == PracticeMode.DRILL:
        base = base.filter(drills__archived=False).distinct()
    return list(base.order_by("?")[:size])


@transaction.atomic
def start_session(*, user, mode: str, topics, difficulty: str, size: int, from_session=None) -> PracticeSession | None:
    """Create a session with its questions in order, or return None when there are none."""
    questions = candidates(
        user=user, mode=mode, topics=topics, difficulty=difficulty, size=size, from_session=from_session
    )
    if not questions:
        return None
    session = PracticeSession.objects.create(user=user, mode=mode, difficulty=difficulty)
    session.topics.set(topics)
    drills = {}
    if mode == PracticeMode.DRILL:
        for question in Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related(
            Prefetch("drills", queryset=Drill.objects.filter(archived=False))
        ):
            drills[question.pk] = random.choice(list(question.drills.all()))  # noqa: S311 - not security
    SessionItem.objects.bulk_create(
        SessionItem(session=session, position=position, question=question, drill=drills.get(question.pk))
        for position, question in enumerate(questions, start=1)
    )
    return session


LEARN_AHEAD = timedelta(minutes=20)  # Anki's learn-ahead limit


def _waiting(session: PracticeSession):
    return session.items.filter(attempt__isnull=True).select_related("question__topic", "drill")


def current_item(session: PracticeSession, *, now: datetime | None = None) -> SessionItem | None:
    """The next card, as Anki orders a session: the first unanswered item whose learning step is due;
    when none is, the repeat due soonest if it is due within the learn-ahead limit (shown at once);
    otherwise None — the session is over."""
    now = now or timezone.now()
    waiting = _waiting(session)
    ready = waiting.filter(Q(not_before__isnull=True) | Q(not_before__lte=now)).order_by("position").first()
    if ready is not None:
        return ready
    return waiting.filter(not_before__lte=now + LEARN_AHEAD).order_by("not_before", "position").first()


def finish_if_complete(session: PracticeSession) -> None:
    if session.finished_at is None and current_item(session) is None:
        PracticeSession.objects.filter(pk=session.pk, finished_at__isnull=True).update(finished_at=timezone.now())
        session.refresh_from_db(fields=["finished_at"])
