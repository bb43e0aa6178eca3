"""Read-models for summaries and reports: dataclasses built with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from quiz import matching, scheduling
from quiz.mocks import visible_items
from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Card,
    DayStat,
    KeyPoint,
    MockInterview,
    MockItem,
    Mode,
    PracticeSession,
    Profile,
    Question,
    SessionItem,
    content_language,
)


@dataclass(frozen=True)
class TopicResult:
    name: str
    answered: int
    score: float | None  # practice: key-point coverage of typed answers; mocks: the interview score
    accuracy: float | None = None  # practice: share of answers rated Hard or better


@dataclass(frozen=True)
class NextReview:
    question: Question
    due: datetime


@dataclass(frozen=True)
class SessionSummary:
    """`accuracy`: share of answers rated Hard, Good or Easy (a right multiple-choice answer is Good),
    as on the dashboard. `coverage`: mean share of key points ticked in the answers that were typed
    (answers rated from memory have no coverage). Both None when nothing counts."""

    answered: int
    total: int
    accuracy: float | None
    coverage: float | None
    duration_ms: int
    topics: list[TopicResult] = field(default_factory=list)
    next_reviews: list[NextReview] = field(default_factory=list)
    due_now: int = 0
    mistakes: int = 0  # questions rated Again at least once in this session


def _share(part, whole) -> float | None:
    return part / whole if whole else None


def session_summary(session: PracticeSession) -> SessionSummary:
    attempts = Attempt.objects.filter(session_item__session=session)
    figures = {
        "answered": Count("id"),
        "recalled": Count("id", filter=Q(rating__gte=2)),
        "coverage": Avg("score", filter=Q(mode=Mode.RECALL)),
    }
    totals = attempts.aggregate(**figures, duration=Sum("duration_ms"))
    by_topic = (
        attempts.values("question__topic__name_en", "question__topic__name_zh", "question__topic__order")
        .annotate(**figures)
        .order_by("question__topic__order")
    )
    topics = [
        TopicResult(
            name=_in_language(row["question__topic__name_en"], row["question__topic__name_zh"]),
            answered=row["answered"],
            score=row["coverage"],
            accuracy=_share(row["recalled"], row["answered"]),
        )
        for row in by_topic
    ]
    cards = (
        Card.objects.filter(user=session.user, question__in=session.items.values("question"))
        .select_related("question")
        .order_by("due")
    )
    user_questions = Question.objects.active()
    return SessionSummary(
        answered=totals["answered"],
        # Learning steps that fell outside the learn-ahead limit are not part of the session's total.
        total=session.items.filter(Q(attempt__isnull=False) | Q(repeat_of__isnull=True)).count(),
        accuracy=_share(totals["recalled"], totals["answered"]),
        coverage=totals["coverage"],
        duration_ms=totals["duration"] or 0,
        topics=topics,
        next_reviews=[NextReview(question=card.question, due=card.due) for card in cards if card.last_review],
        due_now=Card.objects.for_user(session.user).due(timezone.now()).filter(question__in=user_questions).count(),
        mistakes=attempts.filter(rating=1).values("question").distinct().count(),
    )


def _in_language(english: str, chinese: str) -> str:
    return chinese if content_language() == "zh" and chinese else english


@dataclass(frozen=True)
class MockQuestionResult:
    item: MockItem
    attempt: Attempt | None
    marks: list  # AttemptKeyPoint rows, in key-point order
    key_points: list

    @property
    def answered(self) -> bool:
        return self.attempt is not None

    @property
    def score(self) -> float:
        return self.attempt.score if self.attempt else 0.0

    @property
    def verdict(self) -> str:
        if self.attempt is None:
            return "unanswered"
        if self.item.drill_id:
            return "correct" if self.score == 1 else "wrong"
        if self.score >= 0.8:
            return "strong"
        return "partial" if self.score >= 0.4 else "missed"

    @property
    def ticked_ids(self) -> set[int]:
        return {mark.key_point_id for mark in self.marks if mark.ticked}

    @property
    def contradicted(self) -> bool:
        return any(mark.contradicted and not mark.ticked for mark in self.marks)

    @property
    def is_misconception(self) -> bool:
        """Sure of an answer that scored badly, or an answer that stated a known misconception: the
        most useful things a mock can reveal (models.is_misconception, stored with the answer)."""
        return self.attempt is not None and self.attempt.misconception

    @property
    def check(self) -> "AnswerCheck | None":
        if self.attempt is None or self.item.drill_id:
            return None
        return answer_check_from_marks(self.attempt.answer_text, self.marks)


@dataclass(frozen=True)
class MockReport:
    mock: MockInterview
    results: list[MockQuestionResult]
    topics: list[TopicResult]

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def time_used(self):
        return min(self.mock.finished_at or self.mock.deadline, self.mock.deadline) - self.mock.started_at

    @property
    def unanswered(self) -> int:
        return sum(not r.answered for r in self.results)

    @property
    def misconceptions(self) -> list[MockQuestionResult]:
        return [r for r in self.results if r.is_misconception]


def mock_report(mock: MockInterview) -> MockReport:
    """Per-question results (misconceptions first), overall and per-topic scores: fixed queries."""
    items = list(
        mock.items.select_related("question__topic", "drill", "choice", "attempt").prefetch_related(
            Prefetch("question__key_points", queryset=KeyPoint.objects.filter(archived=False)),
            Prefetch("drill__choices"),
            Prefetch(
                "attempt__key_point_marks",
                queryset=AttemptKeyPoint.objects.select_related("key_point").order_by("key_point__position"),
            ),
        )
    )
    results = []
    for item in visible_items(items):
        attempt = getattr(item, "attempt", None)
        results.append(
            MockQuestionResult(
                item=item,
                attempt=attempt,
                marks=list(attempt.key_point_marks.all()) if attempt else [],
                key_points=list(item.question.key_points.all()),
            )
        )
    results.sort(key=lambda result: (not result.is_misconception, result.item.position))
    by_topic: dict[int, list[MockQuestionResult]] = {}
    for result in results:
        by_topic.setdefault(result.item.question.topic_id, []).append(result)
    topics = [
        TopicResult(
            name=group[0].item.question.topic.name, answered=len(group), score=sum(r.score for r in group) / len(group)
        )
        for group in by_topic.values()
    ]
    return MockReport(mock=mock, results=results, topics=topics)


@dataclass(frozen=True)
class MockSummary:
    mock: MockInterview
    asked: int
    answered: int
    score: float

    @property
    def time_used(self):
        return min(self.mock.finished_at, self.mock.deadline) - self.mock.started_at


@dataclass(frozen=True)
class _AskedItem:
    """What the history of interviews needs of an item (mocks.visible_items reads pk, parent_id, is_answered)."""

    pk: int
    parent_id: int | None
    is_answered: bool
    score: float | None  # of its scored answer, None when unanswered


def mock_history(user, *, limit: int | None = None) -> list[MockSummary]:
    """Finished mock interviews, newest first (at most `limit`), with their scores (two queries)."""
    interviews = list(
        MockInterview.objects.filter(user=user, finished_at__isnull=False).order_by("-started_at")[:limit]
    )
    items: dict[int, list[_AskedItem]] = {}
    for pk, mock_id, parent_id, text, choice_id, score in MockItem.objects.filter(mock__in=interviews).values_list(
        "pk", "mock_id", "parent_id", "answer_text", "choice_id", "attempt__score"
    ):
        items.setdefault(mock_id, []).append(_AskedItem(pk, parent_id, MockItem.has_answer(choice_id, text), score))
    summaries = []
    for mock in interviews:
        asked = visible_items(items.get(mock.pk, []))
        scores = [item.score or 0.0 for item in asked]
        summaries.append(
            MockSummary(
                mock=mock,
                asked=len(asked),
                answered=sum(item.is_answered for item in asked),
                score=sum(scores) / len(scores) if scores else 0.0,
            )
        )
    return summaries


@dataclass(frozen=True)
class CheckedPoint:
    """One key point after reveal: what the detector found, and the words that showed it."""

    point: KeyPoint
    detected: bool
    contradicted: bool
    misconception: str
    quotes: list[str]


@dataclass(frozen=True)
class AnswerCheck:
    """A typed answer checked against its key points: the practice card after reveal and each open
    answer of the mock report. `pieces` cut the answer into (text, mark) with mark "" (plain),
    "evidence" (matched a covered point) or "contradiction" (stated a misconception)."""

    typed: bool
    points: list[CheckedPoint]
    pieces: list[tuple[str, str]]

    @property
    def detected_ids(self) -> set[int]:
        return {c.point.pk for c in self.points if c.detected}

    @property
    def contradicted(self) -> int:
        return sum(c.contradicted for c in self.points)

    @property
    def suggested_rating(self) -> int | None:
        """None when nothing was typed: the user rates from memory, as in Anki."""
        if not self.typed:
            return None
        covered = matching.coverage(len(self.detected_ids), len(self.points))
        return int(matching.suggested_rating(covered, contradicted=self.contradicted))


def answer_check(text: str, points: list[KeyPoint]) -> AnswerCheck:
    """Check an answer now (the practice card after reveal)."""
    verdicts = matching.judge(text, points)
    return _answer_check(
        text,
        [(p, v.covered, v.contradicted, _misconception_text(v.misconception), v.evidence) for p in points
         for v in [verdicts[p.pk]]],
    )  # fmt: skip


def answer_check_from_marks(text: str, marks: list[AttemptKeyPoint]) -> AnswerCheck:
    """The check that was stored with an answer (what the user saw then, whatever the bank says now)."""
    return _answer_check(
        text,
        [(m.key_point, m.detected, m.contradicted, m.misconception_text, [tuple(s) for s in m.evidence])
         for m in marks],
    )  # fmt: skip


def _misconception_text(misconception) -> str:
    if misconception is None:
        return ""
    return (misconception.zh if content_language() == "zh" else misconception.en) or misconception.en


def _answer_check(text: str, rows) -> AnswerCheck:
    points, spans = [], {}
    for point, detected, contradicted, misconception, evidence in rows:
        if detected or contradicted:
            for span in evidence:
                spans.setdefault(tuple(span), "contradiction" if contradicted else "evidence")
        quotes = [text[start:end] for start, end in evidence] if detected or contradicted else []
        points.append(CheckedPoint(point, detected, contradicted, misconception, quotes))
    pieces = [
        (piece, _mark_of(spans, start) if marked else "")
        for (piece, marked), start in _with_offsets(matching.highlight(text, spans))
    ]
    return AnswerCheck(typed=bool(text.strip()), points=points, pieces=pieces)


def _with_offsets(pieces):
    offset = 0
    for piece in pieces:
        yield piece, offset
        offset += len(piece[0])


def _mark_of(spans: dict, start: int) -> str:
    """A contradiction wins where spans overlap."""
    kinds = {kind for (s, e), kind in spans.items() if s <= start < e}
    return "contradiction" if "contradiction" in kinds else "evidence"


RATINGS = [(1, gettext_lazy("Again")), (2, gettext_lazy("Hard")), (3, gettext_lazy("Good")), (4, gettext_lazy("Easy"))]


@dataclass(frozen=True)
class RatingChoice:
    value: int
    label: str
    wait: timedelta  # until the card would be due again with this rating
    suggested: bool


@dataclass
class PracticeCard:
    """The practice page at one card — front, back or a drill — assembled in one place: the card's
    position in the session, its FSRS card (flag), the drill's options, and after reveal the checked
    answer and the four ratings with their intervals and the suggested one."""

    session: PracticeSession
    item: SessionItem
    total: int  # the session's questions, without the learning steps that come on top
    card: Card | None
    choices: list = field(default_factory=list)
    check: AnswerCheck | None = None
    ratings: list[RatingChoice] = field(default_factory=list)

    @property
    def question(self) -> Question:
        return self.item.question

    @property
    def can_undo(self) -> bool:
        return self.item.position > 1

    def as_context(self) -> dict:
        return {
            "session": self.session,
            "item": self.item,
            "question": self.question,
            "total": self.total,
            "card": self.card,
            "choices": self.choices,
            "check": self.check,
            "ratings": self.ratings,
            "can_undo": self.can_undo,
        }


def practice_card(session: PracticeSession, item: SessionItem, *, now: datetime | None = None) -> PracticeCard:
    now = now or timezone.now()
    view = PracticeCard(
        session=session,
        item=item,
        total=session.items.filter(repeat_of__isnull=True).count(),
        card=Card.objects.filter(user_id=session.user_id, question=item.question).first(),
    )
    if item.drill_id:
        view.choices = list(item.drill.choices.all())
    elif item.revealed_at:
        view.check = answer_check(item.draft_text, list(item.question.key_points.filter(archived=False)))
        card = view.card or Card(user=session.user, question=item.question)
        retention = Profile.for_user(session.user).desired_retention
        due = scheduling.preview(card, now=now, desired_retention=retention)
        suggested = view.check.suggested_rating
        view.ratings = [RatingChoice(value, label, due[value] - now, value == suggested) for value, label in RATINGS]
    return view


HISTORY_PAGE_SIZE = 50


@dataclass(frozen=True)
class HistoryPage:
    """One page of the History list, newest first. Pages are cut at an answer (`?before=<id>` for
    older ones, `?after=<id>` for newer), so every page costs the same however long the history is;
    the total comes from the day rollups."""

    answers: list[Attempt]
    total: int | None  # every answer the user gave; None under a filter
    older: int | None  # the id to pass as ?before= for the next page, or None on the last
    newer: int | None  # the id to pass as ?after= for the previous page, or None on the first
    flagged_only: bool


def _cursor(user, value: str | None):
    """The (answered_at, id) of one of the user's answers named by a page link; None for junk."""
    if not value or not value.isdecimal() or len(value) > 18:
        return None
    return (
        Attempt.objects.filter(user=user, pk=int(value), answered_at__isnull=False)
        .values_list("answered_at", "pk")
        .first()
    )


def history_page(user, *, flagged_only: bool = False, before: str | None = None, after: str | None = None):
    next_due = Card.objects.filter(user=user, question=OuterRef("question"), last_review__isnull=False)
    attempts = (
        Attempt.objects.for_user(user)
        .filter(answered_at__isnull=False)
        .select_related("question__topic", "choice")
        .annotate(next_due=Subquery(next_due.values("due")[:1]))
    )
    if flagged_only:
        flagged = Card.objects.filter(user=user, question=OuterRef("question"), flagged=True)
        attempts = attempts.filter(Exists(flagged))
    size = HISTORY_PAGE_SIZE
    newer_cursor = _cursor(user, after)
    older_cursor = None if newer_cursor else _cursor(user, before)
    if newer_cursor:
        at, pk = newer_cursor
        rows = list(
            attempts.filter(Q(answered_at__gt=at) | Q(answered_at=at, pk__gt=pk)).order_by("answered_at", "id")[
                : size + 1
            ]
        )
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_newer, has_older = more_newer, True
    else:
        if older_cursor:
            at, pk = older_cursor
            attempts = attempts.filter(Q(answered_at__lt=at) | Q(answered_at=at, pk__lt=pk))
        rows = list(attempts.order_by("-answered_at", "-id")[: size + 1])
        has_older, has_newer = len(rows) > size, older_cursor is not None
        rows = rows[:size]
    total = None if flagged_only else DayStat.objects.filter(user=user).aggregate(n=Sum("answers"))["n"] or 0
    return HistoryPage(
        answers=rows,
        total=total,
        older=rows[-1].pk if rows and has_older else None,
        newer=rows[0].pk if rows and has_newer else None,
        flagged_only=flagged_only,
    )
