"""A user's whole history as CSV (one row per answer) or JSON (answers, cards, mock interviews)."""

import csv
import io

from quiz.models import Attempt, Card, MockInterview

ANSWER_COLUMNS = [
    "answered_at",
    "question",
    "topic",
    "mode",
    "answer_text",
    "choice",
    "correct_choice",
    "key_points_ticked",
    "score",
    "rating",
    "confidence",
    "duration_ms",
    "reveal_ms",
]


def answer_rows(user):
    attempts = (
        Attempt.objects.for_user(user)
        .select_related("question__topic", "choice")
        .prefetch_related("key_point_marks__key_point")
        .order_by("answered_at", "id")
    )
    for attempt in attempts.iterator(chunk_size=2000):
        yield {
            "answered_at": attempt.answered_at.isoformat() if attempt.answered_at else "",
            "question": attempt.question.slug,
            "topic": attempt.question.topic.slug,
            "mode": attempt.mode,
            "answer_text": attempt.answer_text,
            "choice": attempt.choice.text_en if attempt.choice else "",
            "correct_choice": attempt.choice.is_correct if attempt.choice else "",
            "key_points_ticked": "; ".join(m.key_point.text_en for m in attempt.key_point_marks.all() if m.ticked),
            "score": attempt.score,
            "rating": attempt.rating,
            "confidence": attempt.confidence,
            "duration_ms": attempt.duration_ms,
            "reveal_ms": attempt.reveal_ms,
        }


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def history_csv(user) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ANSWER_COLUMNS)
    writer.writeheader()
    writer.writerows({column: spreadsheet_safe(value) for column, value in row.items()} for row in answer_rows(user))
    return buffer.getvalue()


def history_json(user) -> dict:
    return {
        "user": user.get_username(),
        "answers": list(answer_rows(user)),
        "schedule": [
            {
                "question": card.question.slug,
                "due": card.due.isoformat(),
                "last_review": card.last_review.isoformat() if card.last_review else None,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "state": card.state,
                "lapses": card.lapses,
                "flagged": card.flagged,
            }
            for card in Card.objects.for_user(user).select_related("question").order_by("question__slug")
        ],
        "mock_interviews": [
            {
                "started_at": mock.started_at.isoformat(),
                "deadline": mock.deadline.isoformat(),
                "finished_at": mock.finished_at.isoformat() if mock.finished_at else None,
                "finish_reason": mock.finish_reason,
                "questions": [item.question.slug for item in mock.items.all()],
            }
            for mock in MockInterview.objects.filter(user=user).prefetch_related("items__question")
        ],
    }
