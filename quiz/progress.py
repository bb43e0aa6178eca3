"""Read-models for summaries and reports: dataclasses built with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Sum
from django.utils import timezone

from quiz.models import Attempt, Card, PracticeSession, Question, content_language


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
