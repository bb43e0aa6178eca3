"""Read-models for summaries and reports: dataclasses built with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Prefetch, Sum
from django.utils import timezone

from quiz.mocks import visible_items
from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Card,
    KeyPoint,
    MockInterview,
    MockItem,
    PracticeSession,
    Question,
    content_language,
)


@dataclass(frozen=True)
class TopicResult:
    name: str
    answered: int
    score: float


@dataclass(frozen=True)
class NextReview:
    question: Question
    due: datetime


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    total: int
    score: float | None
    duration_ms: int
    topics: list[TopicResult] = field(default_factory=list)
    next_reviews: list[NextReview] = field(default_factory=list)
    due_now: int = 0
    mistakes: int = 0

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)


def session_summary(session: PracticeSession) -> SessionSummary:
    attempts = Attempt.objects.filter(session_item__session=session)
    totals = attempts.aggregate(answered=Count("id"), score=Avg("score"), duration=Sum("duration_ms"))
    by_topic = (
        attempts.values("question__topic__name_en", "question__topic__name_zh", "question__topic__order")
        .annotate(answered=Count("id"), score=Avg("score"))
        .order_by("question__topic__order")
    )
    topics = [
        TopicResult(
            name=_in_language(row["question__topic__name_en"], row["question__topic__name_zh"]),
            answered=row["answered"],
            score=row["score"] or 0.0,
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
        total=session.items.count(),
        score=totals["score"],
        duration_ms=totals["duration"] or 0,
        topics=topics,
        next_reviews=[NextReview(question=card.question, due=card.due) for card in cards if card.last_review],
        due_now=Card.objects.for_user(session.user).due(timezone.now()).filter(question__in=user_questions).count(),
        mistakes=user_questions.mistakes_of(session.user).count(),
    )


def _in_language(english: str, chinese: str) -> str:
    return chinese if content_language() == "zh" and chinese else english


MISCONCEPTION_SCORE = 0.5


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
    def is_misconception(self) -> bool:
        """Sure of an answer that scored badly: the most useful thing a mock can reveal."""
        return bool(self.attempt and self.attempt.confidence == 3 and self.score < MISCONCEPTION_SCORE)


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


def mock_history(user) -> list[MockSummary]:
    """Finished mock interviews, newest first, with their scores (two queries)."""
    interviews = list(MockInterview.objects.filter(user=user, finished_at__isnull=False).order_by("-started_at"))
    items: dict[int, list[MockItem]] = {}
    for item in (
        MockItem.objects.filter(mock__in=interviews)
        .select_related("attempt")
        .only("pk", "mock_id", "parent_id", "answer_text", "choice_id", "attempt__score")
    ):
        items.setdefault(item.mock_id, []).append(item)
    summaries = []
    for mock in interviews:
        asked = visible_items(items.get(mock.pk, []))
        scores = [item.attempt.score if hasattr(item, "attempt") else 0.0 for item in asked]
        summaries.append(
            MockSummary(
                mock=mock,
                asked=len(asked),
                answered=sum(item.is_answered for item in asked),
                score=sum(scores) / len(scores) if scores else 0.0,
            )
        )
    return summaries
