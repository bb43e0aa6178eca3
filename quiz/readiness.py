"""Read-models for the dashboard and the weak-topic review: where a user stands, per topic and
overall, now and on their interview day. Every figure is derived from answer and card rows with
a fixed number of queries, whatever the length of the history: answer figures come from the
per-user rollups kept by quiz.stats (an answer counts as correct unless it was rated Again)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from quiz import scheduling
from quiz.models import Attempt, Card, DayStat, Profile, Question, Topic, TopicDayStat, TopicStat
from quiz.progress import mock_history

HEATMAP_DAYS = 365
FORECAST_DAYS = 14
TREND_WEEKS = 12
RECENT_DAYS = 30
LEECH_FIELDS = ("lapses", "question__slug", "question__prompt_en", "question__prompt_zh")  # a link and a count
WEAKEST = 3  # topics highlighted on the Review page and drawn from by "Review weak topics"
# Mastery: what the user is predicted to recall now weighs most; recent accuracy shows whether
# they can produce the answer; coverage keeps unseen material from looking mastered.
MASTERY_WEIGHTS = {"recall": 0.5, "accuracy": 0.3, "coverage": 0.2}
# Weakness, for topics the user has practised: what they got wrong, what they are forgetting of
# what they learnt, what keeps lapsing, and wrong claims made with confidence. Unseen material is
# "not started", never weak.
WEAKNESS_WEIGHTS = {"errors": 0.4, "forgetting": 0.3, "lapses": 0.2, "misconceptions": 0.1}


@dataclass(frozen=True)
class TopicReadiness:
    topic: Topic
    total: int
    seen: int
    recall: float  # mean predicted recall now, unseen questions counting as 0
    accuracy: float | None  # last 30 days
    answers: int  # last 30 days
    lapses: int
    mean_ms: int | None  # last 30 days, each answer counted up to quiz.stats.DURATION_CAP_MS
    last_practised: datetime | None
    recall_on_interview: float | None = None
    recall_seen: float | None = None  # mean predicted recall now of the questions answered at least once
    misconceptions: int = 0  # answers that stated a misconception or were sure and mostly wrong (all time)

    @property
    def coverage(self) -> float:
        return self.seen / self.total if self.total else 0.0

    @property
    def mastery(self) -> float:
        """0–1: 0.5 × predicted recall + 0.3 × 30-day accuracy + 0.2 × share of questions seen."""
        weights = MASTERY_WEIGHTS
        return (
            weights["recall"] * self.recall
            + weights["accuracy"] * (self.accuracy or 0.0)
            + weights["coverage"] * self.coverage
        )

    @property
    def started(self) -> bool:
        return self.seen > 0

    @property
    def weakness(self) -> float | None:
        """0–1 for a practised topic, None before it is started: 0.4 × error rate over 30 days (without
        recent answers: 1 − recall of the seen questions) + 0.3 × (1 − predicted recall of the seen
        questions) + 0.2 × lapses per seen question + 0.1 × misconceptions per seen question (both capped at 1)."""
        if not self.seen:
            return None
        recall = self.recall_seen or 0.0
        errors = 1 - self.accuracy if self.accuracy is not None else 1 - recall
        weights = WEAKNESS_WEIGHTS
        return (
            weights["errors"] * errors
            + weights["forgetting"] * (1 - recall)
            + weights["lapses"] * min(1.0, self.lapses / self.seen)
            + weights["misconceptions"] * min(1.0, self.misconceptions / self.seen)
        )


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    x: int = 0  # heatmap position (px): one column per week, one row per weekday
    y: int = 0

    @property
    def level(self) -> int:
        """Heatmap shade 0–4."""
        return 0 if not self.count else 1 if self.count < 3 else 2 if self.count < 8 else 3 if self.count < 20 else 4


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    count: int = 0


@dataclass
class Dashboard:
    today: date
    seen: int
    total: int
    answers_this_week: int
    accuracy_7: float | None
    accuracy_30: float | None
    due_now: int
    due_today: int
    due_week: int
    current_streak: int
    longest_streak: int
    calendar: list[list[Day | None]]  # weeks (columns) of 7 days, Monday first
    weekly_accuracy: list[Point]
    mock_scores: list[Point]
    forecast: list[Point]
    topics: list[TopicReadiness]
    leeches: list[Card]
    interview_date: date | None = None
    readiness_on_interview: float | None = None
    calendar_months: list[tuple[int, date]] = field(default_factory=list)

    @property
    def days_to_interview(self) -> int | None:
        return (self.interview_date - self.today).days if self.interview_date else None

    @property
    def year_total(self) -> int:
        return sum(day.count for week in self.calendar for day in week if day)

    @property
    def year_active_days(self) -> int:
        return sum(1 for week in self.calendar for day in week if day and day.count)

    @property
    def first_day(self) -> bool:
        """Nothing answered yet: the page offers a first step instead of empty figures and charts."""
        return not self.seen and not self.year_total and not self.mock_scores

    @property
    def has_weekly_accuracy(self) -> bool:
        return any(point.value is not None for point in self.weekly_accuracy)

    @property
    def has_forecast(self) -> bool:
        return any(point.count for point in self.forecast)

    @property
    def recall_now(self) -> float:
        return sum(t.recall * t.total for t in self.topics) / self.total if self.total else 0.0


def _local_day_bounds(day: date, zone) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def streaks(days: list[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days with an answer. The current streak survives
    until the end of today: answering yesterday but not yet today still counts."""
    longest = run = 0
    previous = None
    for day in sorted(set(days)):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    if previous is None or (today - previous).days > 1:
        return 0, longest
    return run, longest


def topic_readiness(
    user, *, profile: Profile, now: datetime, interview_at: datetime | None = None
) -> list[TopicReadiness]:
    """One row per topic (four queries in all: topics, cards, and two rollups)."""
    retention = profile.desired_retention
    today = now.astimezone(profile.zone).date()
    topics = list(Topic.objects.with_question_counts())
    cards: dict[int, list[scheduling.Memory]] = {}
    for topic_id, *fields in (
        Card.objects.for_user(user)
        .reviewed()
        .filter(question__in=Question.objects.active())
        .values_list("question__topic_id", *scheduling.Memory.FIELDS)
    ):
        cards.setdefault(topic_id, []).append(scheduling.Memory(*fields))
    recent = {
        row["topic"]: row
        for row in TopicDayStat.objects.filter(user=user, day__gt=today - timedelta(days=RECENT_DAYS))
        .values("topic")
        .annotate(rated=Sum("rated"), correct=Sum("correct"), timed=Sum("timed"), time_ms=Sum("time_ms"))
        .order_by()
    }
    all_time = {row.topic_id: row for row in TopicStat.objects.filter(user=user)}

    rows = []
    for topic in topics:
        topic_cards = cards.get(topic.pk, [])
        total = topic.question_count

        def mean_recall(at, topic_cards=topic_cards, total=total):
            known = sum(scheduling.retrievability(c, at=at, desired_retention=retention) for c in topic_cards)
            return known / total if total else 0.0

        recall_now = mean_recall(now)

        stats = recent.get(topic.pk)
        rated = stats["rated"] if stats else 0
        timed = stats["timed"] if stats else 0
        ever = all_time.get(topic.pk)
        rows.append(
            TopicReadiness(
                topic=topic,
                total=total,
                seen=len(topic_cards),
                recall=recall_now,
                accuracy=stats["correct"] / rated if rated else None,
                answers=rated,
                lapses=sum(c.lapses for c in topic_cards),
                mean_ms=stats["time_ms"] // timed if timed else None,
                last_practised=ever.last_answered_at if ever else None,
                recall_on_interview=mean_recall(interview_at) if interview_at else None,
                recall_seen=recall_now * total / len(topic_cards) if topic_cards else None,
                misconceptions=ever.misconceptions if ever else 0,
            )
        )
    return rows


@dataclass(frozen=True)
class _Window:
    rated: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.rated if self.rated else None


def _window(days: dict[date, tuple[int, int, int]], first: date, last: date) -> _Window:
    """Rated and correct answers from `first` to `last` (days: day → (answers, rated, correct))."""
    rows = [counts for day, counts in days.items() if first <= day <= last]
    return _Window(rated=sum(r[1] for r in rows), correct=sum(r[2] for r in rows))


def dashboard(user, *, now: datetime | None = None) -> Dashboard:
    """Day figures are local days in the user's zone: "7 days" is today and the six days before."""
    now = now or timezone.now()
    profile = Profile.for_user(user)
    zone = profile.zone
    today = now.astimezone(zone).date()
    days = {
        day: counts
        for day, *counts in DayStat.objects.filter(user=user).values_list("day", "answers", "rated", "correct")
    }
    per_day = {day: counts[0] for day, counts in days.items()}
    current_streak, longest_streak = streaks(list(per_day), today)
    week_start = today - timedelta(days=today.weekday())
    end_of_today = _local_day_bounds(today, zone)[1]
    active_cards = Card.objects.for_user(user).reviewed().filter(question__in=Question.objects.active())
    due = active_cards.aggregate(
        now=Count("id", filter=Q(due__lte=now)),
        today=Count("id", filter=Q(due__lt=end_of_today)),
        week=Count("id", filter=Q(due__lt=end_of_today + timedelta(days=6))),
    )
    interview_at = profile.interview_at
    topics = topic_readiness(user, profile=profile, now=now, interview_at=interview_at)
    total = sum(t.total for t in topics)

    board = Dashboard(
        today=today,
        seen=sum(t.seen for t in topics),
        total=total,
        answers_this_week=_window(days, week_start, today).rated,
        accuracy_7=_window(days, today - timedelta(days=6), today).accuracy,
        accuracy_30=_window(days, today - timedelta(days=RECENT_DAYS - 1), today).accuracy,
        due_now=due["now"],
        due_today=due["today"],
        due_week=due["week"],
        current_streak=current_streak,
        longest_streak=longest_streak,
        calendar=_calendar(per_day, today),
        weekly_accuracy=_weekly_accuracy(days, today),
        mock_scores=_mock_scores(user),
        forecast=_forecast(active_cards, today, zone),
        topics=topics,
        leeches=list(active_cards.leeches().select_related("question").only(*LEECH_FIELDS).order_by("-lapses")),
        interview_date=profile.interview_date,
    )
    if interview_at is not None and total:
        board.readiness_on_interview = sum((t.recall_on_interview or 0) * t.total for t in topics) / total
    board.calendar_months = _month_labels(board.calendar)
    return board


def _calendar(per_day: dict[date, int], today: date) -> list[list[Day | None]]:
    first = today - timedelta(days=HEATMAP_DAYS - 1)
    first -= timedelta(days=first.weekday())  # start the first column on a Monday
    weeks, day = [], first
    while day <= today:
        column = len(weeks)
        weeks.append(
            [
                Day(day + timedelta(d), per_day.get(day + timedelta(d), 0), x=column * 13, y=14 + d * 13)
                if day + timedelta(d) <= today
                else None
                for d in range(7)
            ]
        )
        day += timedelta(days=7)
    return weeks


def _month_labels(weeks: list[list[Day | None]]) -> list[tuple[int, date]]:
    labels, previous = [], None
    for index, week in enumerate(weeks):
        month = week[0].day.month
        if month != previous:
            if labels and index - labels[-1][0] < 3:
                labels.pop()  # a sliver of a month at the start: no room for its name
            labels.append((index, week[0].day))
            previous = month
    return labels


def _weekly_accuracy(days: dict[date, tuple[int, int, int]], today: date) -> list[Point]:
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=TREND_WEEKS - 1)
    points = []
    for index in range(TREND_WEEKS):
        monday = first + timedelta(weeks=index)
        week = _window(days, monday, monday + timedelta(days=6))
        points.append(Point(label=monday.strftime("%m-%d"), value=week.accuracy, count=week.rated))
    return points


def _mock_scores(user) -> list[Point]:
    recent = mock_history(user, limit=20)
    return [Point(label=s.mock.started_at.strftime("%m-%d"), value=s.score, count=s.asked) for s in reversed(recent)]


def _forecast(cards, today: date, zone) -> list[Point]:
    start, _ = _local_day_bounds(today, zone)
    end = start + timedelta(days=FORECAST_DAYS)
    per_day = dict(
        cards.filter(due__lt=end)
        .annotate(day=TruncDate("due", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    overdue = sum(n for day, n in per_day.items() if day < today)
    points = []
    for offset in range(FORECAST_DAYS):
        day = today + timedelta(days=offset)
        count = per_day.get(day, 0) + (overdue if offset == 0 else 0)
        points.append(Point(label=day.strftime("%m-%d"), value=count, count=count))
    return points


@dataclass
class Review:
    topics: list[TopicReadiness]  # practised topics, weakest first
    not_started: list[TopicReadiness]  # in curriculum order
    misconceptions: list[Attempt]
    leeches: list[Card]
    interview_date: date | None

    @property
    def weakest(self) -> list[TopicReadiness]:
        return self.topics[:WEAKEST]


def ranked_topics(user, *, profile: Profile, now: datetime) -> tuple[list[TopicReadiness], list[TopicReadiness]]:
    """(practised topics, weakest first; topics not started yet, in curriculum order)."""
    rows = [t for t in topic_readiness(user, profile=profile, now=now) if t.total]
    practised = sorted((t for t in rows if t.started), key=lambda t: (-t.weakness, t.topic.order))
    return practised, [t for t in rows if not t.started]


def review(user, *, now: datetime | None = None) -> Review:
    now = now or timezone.now()
    profile = Profile.for_user(user)
    practised, not_started = ranked_topics(user, profile=profile, now=now)
    misconceptions = list(
        Attempt.objects.for_user(user)
        .misconceptions()
        .select_related("question")
        .only("score", "answered_at", "question__slug", "question__prompt_en", "question__prompt_zh")[:20]
    )
    leeches = list(
        Card.objects.for_user(user)
        .leeches()
        .filter(question__archived=False)
        .select_related("question")
        .only(*LEECH_FIELDS)
        .order_by("-lapses")
    )
    return Review(
        topics=practised,
        not_started=not_started,
        misconceptions=misconceptions,
        leeches=leeches,
        interview_date=profile.interview_date,
    )


def weak_topic_queue(user, *, size: int, now: datetime | None = None) -> list[Question]:
    """Questions from the three weakest practised topics: due first, then recently failed, then the rest
    of what was seen (least remembered first), then unseen. With an interview date, everything seen is
    ordered by lowest predicted recall on that day. Empty before any topic is practised."""
    now = now or timezone.now()
    profile = Profile.for_user(user)
    weakest = [t.topic for t in ranked_topics(user, profile=profile, now=now)[0][:WEAKEST]]
    if not weakest:
        return []
    base = Question.objects.active().in_topics(weakest)
    if profile.interview_date:
        at = profile.interview_at
        cards = list(Card.objects.for_user(user).reviewed().filter(question__in=base).select_related("question"))
        cards.sort(key=lambda c: scheduling.retrievability(c, at=at, desired_retention=profile.desired_retention))
        ordered = [c.question for c in cards]
    else:
        due = [
            c.question
            for c in Card.objects.for_user(user)
            .due(now)
            .filter(question__in=base)
            .order_by("due")
            .select_related("question")
        ]
        failed = list(base.mistakes_of(user).exclude(pk__in=[q.pk for q in due]))
        seen = list(Card.objects.for_user(user).reviewed().filter(question__in=base).select_related("question"))
        seen.sort(key=lambda c: scheduling.retrievability(c, at=now, desired_retention=profile.desired_retention))
        ordered = due + failed + [c.question for c in seen]
    unseen = list(base.unseen_by(user).order_by("topic__order", "position"))
    queue, seen_ids = [], set()
    for question in ordered + unseen:
        if question.pk not in seen_ids:
            queue.append(question)
            seen_ids.add(question.pk)
    return queue[:size]
