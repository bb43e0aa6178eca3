"""Per-user rollups of the answer rows, so that pages cost the same after 100 and 100,000 answers.

Three tables (quiz.models): DayStat (answers per local day: calendar, streaks, weekly accuracy),
TopicDayStat (per topic and day: the 30-day accuracy and time per topic) and TopicStat (per
topic, all time: misconceptions, last answer). Plus one column on Card: `last_rating` (the rating
of its latest review, so "My mistakes" never looks for the latest answer among all answers).

They are a cache of the rows, never the truth. The verbs that write answers call `add` and
`remove` inside their own transaction, and `set_misconception` when a correction changes an
answer's verdict; `rebuild` recomputes everything of one user from the rows (after a time-zone
change, and in `manage.py rebuild_stats`); `stored` and `recomputed` let a test check that the two
agree. Days are local days in the user's time zone, so changing the zone re-buckets all past
answers into days of the new zone (as if the user had always lived there): the calendar, streaks
and history then agree with each other.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Value
from django.db.models.functions import Coalesce, Greatest

from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Card,
    DayStat,
    Profile,
    ReviewLog,
    TopicDayStat,
    TopicStat,
    is_misconception,
)

# An answer counts in time per topic for at most ten minutes: a tab left open overnight is not
# ten hours of thinking.
DURATION_CAP_MS = 10 * 60 * 1000

DAY_FIELDS = ("answers", "rated", "correct")
TOPIC_DAY_FIELDS = ("rated", "correct", "timed", "time_ms")
TOPIC_FIELDS = ("answers", "misconceptions")


@dataclass(frozen=True)
class Contribution:
    """What one answer adds to each rollup."""

    day: date
    topic_id: int
    answered_at: datetime
    rated: int
    correct: int
    timed: int
    time_ms: int
    misconception: int

    @property
    def day_deltas(self) -> dict[str, int]:
        return {"answers": 1, "rated": self.rated, "correct": self.correct}

    @property
    def topic_day_deltas(self) -> dict[str, int]:
        return {"rated": self.rated, "correct": self.correct, "timed": self.timed, "time_ms": self.time_ms}

    @property
    def topic_deltas(self) -> dict[str, int]:
        return {"answers": 1, "misconceptions": self.misconception}


def contribution(
    *,
    answered_at: datetime,
    rating: int | None,
    duration_ms: int | None,
    topic_id: int,
    misconception: bool,
    zone: ZoneInfo,
) -> Contribution:
    """An answer counts as correct unless it was rated Again (a wrong drill is rated Again)."""
    return Contribution(
        day=answered_at.astimezone(zone).date(),
        topic_id=topic_id,
        answered_at=answered_at,
        rated=int(rating is not None),
        correct=int(rating is not None and rating >= 2),
        timed=int(duration_ms is not None),
        time_ms=min(duration_ms, DURATION_CAP_MS) if duration_ms is not None else 0,
        misconception=int(misconception),
    )


def _of(attempt: Attempt, zone: ZoneInfo) -> Contribution:
    return contribution(
        answered_at=attempt.answered_at,
        rating=attempt.rating,
        duration_ms=attempt.duration_ms,
        topic_id=attempt.question.topic_id,
        misconception=attempt.misconception,
        zone=zone,
    )


def _bump(model, key: dict, deltas: dict[str, int], sign: int, *, on_update=None, on_create=None) -> None:
    """Add `sign × deltas` to the row named by `key`: one UPDATE when it exists (the usual case),
    else an INSERT (only when adding). `on_update` / `on_create`: more columns to set either way."""
    changes = {name: F(name) + sign * value for name, value in deltas.items() if value}
    if not changes:
        return  # nothing to count (a row of zeros is the same as no row)
    changes |= on_update or {}
    if model.objects.filter(**key).update(**changes) or sign < 0:
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas, **(on_create or {}))
    except IntegrityError:  # a racing answer created the row first
        model.objects.filter(**key).update(**changes)


def add(attempt: Attempt, *, zone: ZoneInfo | None = None) -> None:
    """Count a new answer (inside the transaction that created it): three UPDATEs, usually."""
    if attempt.answered_at is None:
        return
    zone = zone or Profile.for_user(attempt.user).zone
    part = _of(attempt, zone)
    user_id = attempt.user_id
    at = Value(part.answered_at, output_field=DateTimeField())
    _bump(DayStat, {"user_id": user_id, "day": part.day}, part.day_deltas, 1)
    _bump(TopicDayStat, {"user_id": user_id, "topic_id": part.topic_id, "day": part.day}, part.topic_day_deltas, 1)
    _bump(
        TopicStat,
        {"user_id": user_id, "topic_id": part.topic_id},
        part.topic_deltas,
        1,
        on_update={"last_answered_at": Greatest(Coalesce("last_answered_at", at), at)},
        on_create={"last_answered_at": part.answered_at},
    )


def remove(attempt: Attempt) -> None:
    """Take back an answer that is about to be deleted (undo), inside the same transaction."""
    if attempt.answered_at is None:
        return
    part = _of(attempt, Profile.for_user(attempt.user).zone)
    user_id = attempt.user_id
    _bump(DayStat, {"user_id": user_id, "day": part.day}, part.day_deltas, -1)
    _bump(TopicDayStat, {"user_id": user_id, "topic_id": part.topic_id, "day": part.day}, part.topic_day_deltas, -1)
    _bump(TopicStat, {"user_id": user_id, "topic_id": part.topic_id}, part.topic_deltas, -1)
    DayStat.objects.filter(user_id=user_id, day=part.day, answers=0).delete()
    TopicDayStat.objects.filter(
        user_id=user_id, topic_id=part.topic_id, day=part.day, **dict.fromkeys(TOPIC_DAY_FIELDS, 0)
    ).delete()
    last = (
        Attempt.objects.filter(user_id=user_id, question__topic_id=part.topic_id, answered_at__isnull=False)
        .exclude(pk=attempt.pk)
        .aggregate(last=Max("answered_at"))["last"]
    )
    TopicStat.objects.filter(user_id=user_id, topic_id=part.topic_id).update(last_answered_at=last)
    TopicStat.objects.filter(user_id=user_id, topic_id=part.topic_id, answers=0).delete()


def set_misconception(attempt: Attempt, misconception: bool) -> None:
    """A correction changed whether the answer counts as a misconception (inside its transaction)."""
    if attempt.misconception == misconception:
        return
    attempt.misconception = misconception
    attempt.save(update_fields=["misconception"])
    if attempt.answered_at is not None:
        TopicStat.objects.filter(user_id=attempt.user_id, topic_id=attempt.question.topic_id).update(
            misconceptions=F("misconceptions") + (1 if misconception else -1)
        )


@dataclass(frozen=True)
class Rollups:
    """One user's rollups as plain values (rows whose counters are all zero left out)."""

    days: dict[date, tuple]
    topic_days: dict[tuple[int, date], tuple]
    topics: dict[int, tuple]
    last_ratings: dict[int, int | None]  # card id → rating of its latest review
    misconceptions: frozenset[int]  # ids of the answers flagged as misconceptions


def tally(parts: Iterable[Contribution]) -> tuple[dict, dict, dict]:
    days: dict[date, Counter] = {}
    topic_days: dict[tuple[int, date], Counter] = {}
    topics: dict[int, Counter] = {}
    last: dict[int, datetime] = {}
    for part in parts:
        days.setdefault(part.day, Counter()).update(part.day_deltas)
        topic_days.setdefault((part.topic_id, part.day), Counter()).update(part.topic_day_deltas)
        topics.setdefault(part.topic_id, Counter()).update(part.topic_deltas)
        last[part.topic_id] = max(last.get(part.topic_id, part.answered_at), part.answered_at)
    return (
        {day: tuple(c[f] for f in DAY_FIELDS) for day, c in days.items()},
        {key: tuple(c[f] for f in TOPIC_DAY_FIELDS) for key, c in topic_days.items() if any(c.values())},
        {topic: (*(c[f] for f in TOPIC_FIELDS), last[topic]) for topic, c in topics.items()},
    )


def recomputed(user) -> Rollups:
    """What the rollups should hold, from the answer and review rows."""
    zone = Profile.for_user(user).zone
    stated = AttemptKeyPoint.objects.filter(attempt=OuterRef("pk"), contradicted=True, ticked=False)
    rows = [
        (pk, at, rating, ms, topic, is_misconception(confidence=confidence, score=score, stated=said))
        for pk, at, rating, ms, topic, confidence, score, said in Attempt.objects.filter(user=user)
        .annotate(stated=Exists(stated))
        .values_list(
            "pk", "answered_at", "rating", "duration_ms", "question__topic_id", "confidence", "score", "stated"
        )
        .order_by()
        .iterator(chunk_size=5000)
    ]
    days, topic_days, topics = tally(
        contribution(answered_at=at, rating=rating, duration_ms=ms, topic_id=topic, misconception=wrong, zone=zone)
        for _, at, rating, ms, topic, wrong in rows
        if at is not None
    )
    last_ratings = dict.fromkeys(Card.objects.filter(user=user).values_list("pk", flat=True))
    for card_id, rating in (
        ReviewLog.objects.filter(card__user=user).order_by("reviewed_at", "id").values_list("card_id", "rating")
    ):
        last_ratings[card_id] = rating
    return Rollups(
        days=days,
        topic_days=topic_days,
        topics=topics,
        last_ratings=last_ratings,
        misconceptions=frozenset(row[0] for row in rows if row[-1]),
    )


def stored(user) -> Rollups:
    """What the rollups hold now."""
    return Rollups(
        days={
            row[0]: row[1:] for row in DayStat.objects.filter(user=user).values_list("day", *DAY_FIELDS) if any(row[1:])
        },
        topic_days={
            (row[0], row[1]): row[2:]
            for row in TopicDayStat.objects.filter(user=user).values_list("topic_id", "day", *TOPIC_DAY_FIELDS)
            if any(row[2:])
        },
        topics={
            row[0]: row[1:]
            for row in TopicStat.objects.filter(user=user).values_list("topic_id", *TOPIC_FIELDS, "last_answered_at")
            if row[1]
        },
        last_ratings=dict(Card.objects.filter(user=user).values_list("pk", "last_rating")),
        misconceptions=frozenset(Attempt.objects.filter(user=user, misconception=True).values_list("pk", flat=True)),
    )


def rebuild(user, *, cards: bool = True) -> Rollups:
    """Recompute one user's rollups from the rows, in one transaction (`cards=False` leaves
    Card.last_rating alone: a time-zone change does not touch it, and locks no card)."""
    with transaction.atomic():
        fresh = recomputed(user)
        DayStat.objects.filter(user=user).delete()
        TopicDayStat.objects.filter(user=user).delete()
        TopicStat.objects.filter(user=user).delete()
        flagged = Attempt.objects.filter(user=user)
        flagged.filter(misconception=True).exclude(pk__in=fresh.misconceptions).update(misconception=False)
        flagged.filter(pk__in=fresh.misconceptions, misconception=False).update(misconception=True)
        DayStat.objects.bulk_create(
            (
                DayStat(user=user, day=day, **dict(zip(DAY_FIELDS, values, strict=True)))
                for day, values in fresh.days.items()
            ),
            batch_size=1000,
        )
        TopicDayStat.objects.bulk_create(
            (
                TopicDayStat(user=user, topic_id=topic, day=day, **dict(zip(TOPIC_DAY_FIELDS, values, strict=True)))
                for (topic, day), values in fresh.topic_days.items()
            ),
            batch_size=1000,
        )
        TopicStat.objects.bulk_create(
            (
                TopicStat(user=user, topic_id=topic, answers=answers, misconceptions=wrong, last_answered_at=last)
                for topic, (answers, wrong, last) in fresh.topics.items()
            ),
            batch_size=1000,
        )
        if not cards:
            return fresh
        current = dict(Card.objects.filter(user=user).values_list("pk", "last_rating"))
        changed = [
            Card(pk=pk, last_rating=rating) for pk, rating in fresh.last_ratings.items() if current.get(pk) != rating
        ]
        Card.objects.bulk_update(changed, ["last_rating"], batch_size=1000)
    return fresh


def save_settings(form) -> Profile:
    """Save the settings form (a ModelForm of the user's Profile). A new time zone re-buckets every
    past answer into the days of that zone, in the same transaction; answers lock the profile row
    while they are counted, so none is counted in the old zone after the change."""
    with transaction.atomic():
        before = Profile.objects.select_for_update().get(pk=form.instance.pk)
        profile = form.save()
        if before.time_zone != profile.time_zone:
            rebuild(profile.user, cards=False)
    return profile
