"""The one bridge to fsrs: Card rows in, fsrs cards out, and back. UTC datetimes only."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

import fsrs
from django.conf import settings

from quiz.models import Card, State


def scheduler(desired_retention: float = 0.9, *, fuzz: bool | None = None) -> fsrs.Scheduler:
    fuzz = settings.FSRS_FUZZING if fuzz is None else fuzz
    return _scheduler(desired_retention, fuzz)


@functools.lru_cache(maxsize=64)
def _scheduler(desired_retention: float, fuzz: bool) -> fsrs.Scheduler:
    """Schedulers hold only their parameters (reviewing a card changes the card, not the scheduler),
    so one per retention is shared: building one validates 21 parameters."""
    return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def _utc(moment: datetime | None) -> datetime | None:
    # fsrs insists on datetime.UTC (timezone.utc) exactly (a ZoneInfo("UTC") is refused).
    return moment.astimezone(UTC) if moment else None


@dataclass(frozen=True, slots=True)
class Memory:
    """A card's scheduling fields alone, read with values_list where many cards are only predicted
    (the dashboard's recall per topic); `retrievability` takes it as it takes a Card."""

    FIELDS = ("pk", "state", "step", "stability", "difficulty", "due", "last_review", "lapses")

    pk: int
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    lapses: int


def to_fsrs(card: Card | Memory) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.pk,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review),
    )


def preview(card: Card, *, now: datetime, desired_retention: float) -> dict[int, datetime]:
    """When the card would next be due for each rating (1–4), without changing it. Without
    fuzzing: the real interval may differ by a few percent, as in Anki."""
    current = to_fsrs(card)
    engine = scheduler(desired_retention, fuzz=False)
    return {
        int(rating): engine.review_card(current, rating, review_datetime=_utc(now))[0].due for rating in fsrs.Rating
    }


SNAPSHOT_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "lapses")


def snapshot(card: Card) -> dict:
    """The scheduling fields of a card, as JSON (datetimes in ISO 8601, UTC)."""
    values = {name: getattr(card, name) for name in SNAPSHOT_FIELDS}
    return {k: v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for k, v in values.items()}


def restore(card: Card, saved: dict) -> None:
    """Put a snapshot back on the card (in memory; the caller saves it)."""
    for name in SNAPSHOT_FIELDS:
        value = saved[name]
        if name in ("due", "last_review") and value is not None:
            value = datetime.fromisoformat(value)
        setattr(card, name, value)


@dataclass(frozen=True)
class Review:
    state_before: int
    due_after: datetime


def review(card: Card, *, rating: int, now: datetime, desired_retention: float, duration_ms: int | None) -> Review:
    """Apply one review to the Card row in memory (the caller saves it). Counts lapses: a card
    in Review state rated Again has been forgotten."""
    state_before = card.state
    updated, _log = scheduler(desired_retention).review_card(
        to_fsrs(card), fsrs.Rating(rating), review_datetime=_utc(now), review_duration=duration_ms
    )
    card.state = int(updated.state)
    card.step = updated.step
    card.stability = updated.stability
    card.difficulty = updated.difficulty
    card.due = updated.due
    card.last_review = updated.last_review
    if state_before == State.REVIEW and rating == fsrs.Rating.Again:
        card.lapses += 1
    return Review(state_before=state_before, due_after=updated.due)


def retrievability(card: Card | Memory | None, *, at: datetime, desired_retention: float = 0.9) -> float:
    """Predicted probability of recalling the card at `at` (0 for a card never reviewed)."""
    if card is None or card.last_review is None:
        return 0.0
    return scheduler(desired_retention).get_card_retrievability(to_fsrs(card), current_datetime=_utc(at))
