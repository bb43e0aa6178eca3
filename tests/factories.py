"""Keyword-only builders for test data that is not in the real bank."""

import itertools

from django.contrib.auth.models import User

from quiz.models import Choice, Drill, KeyPoint, Question, Topic

_numbers = itertools.count(1)


def make_user(*, username: str | None = None, password: str = "correct horse battery", email: str = "") -> User:
    username = username or f"user{next(_numbers)}"
    return User.objects.create_user(username=username, password=password, email=email)


def make_topic(*, slug: str | None = None, name: str = "Test topic") -> Topic:
    number = next(_numbers)
    return Topic.objects.create(
        slug=slug or f"test-topic-{number}", order=100 + number, name_en=name, name_zh="测试主题"
    )


def make_question(
    *,
    topic: Topic | None = None,
    slug: str | None = None,
    difficulty: str = "medium",
    prompt: str = "What is a test?",
    answer: str = "A check that can fail.",
    key_points: tuple[tuple[str, list[str], list[str]], ...] = (
        ("It can fail", ["fail"], ["失败"]),
        ("It is automatic", ["automat"], ["自动"]),
        ("It is fast", ["fast", "quick"], ["快"]),
    ),
) -> Question:
    number = next(_numbers)
    question = Question.objects.create(
        slug=slug or f"test-question-{number}",
        topic=topic or make_topic(),
        difficulty=difficulty,
        prompt_en=prompt,
        prompt_zh=f"测试问题 {number}?",
        answer_en=answer,
        answer_zh="一个可能失败的检查。",
    )
    for position, (text, keywords_en, keywords_zh) in enumerate(key_points, start=1):
        KeyPoint.objects.create(
            question=question,
            position=position,
            text_en=text,
            text_zh=text,
            keywords_en=keywords_en,
            keywords_zh=keywords_zh,
        )
    drill = Drill.objects.create(
        question=question, position=1, prompt_en="Pick one", prompt_zh="选一个", explanation_en="B", explanation_zh="B"
    )
    for position, label in enumerate("ABCD", start=1):
        Choice.objects.create(drill=drill, position=position, text_en=label, text_zh=label, is_correct=label == "B")
    return question


def make_mock(*, user, questions, minutes: float = 10, started_at=None, drill_positions=()):
    """A mock interview with these questions in order; items at `drill_positions` are multiple choice."""
    from datetime import timedelta

    from django.utils import timezone

    from quiz.models import MockInterview, MockItem

    started_at = started_at or timezone.now()
    mock = MockInterview.objects.create(
        user=user,
        length=len(questions),
        time_limit=timedelta(minutes=minutes),
        started_at=started_at,
        deadline=started_at + timedelta(minutes=minutes),
        current_since=started_at,
    )
    for position, question in enumerate(questions, start=1):
        drill = question.drills.first() if position in drill_positions else None
        MockItem.objects.create(mock=mock, position=position, question=question, drill=drill)
    return mock


def answer_stating(points) -> str:
    """An answer that states each key point in the words of its first English pattern, one sentence per point.

    Tests that need "an answer covering these points" of the real bank use this instead of copying keywords, so a
    rewrite of the bank's patterns (``a|b + c|d``) keeps them meaningful.
    """
    sentences = []
    for point in points:
        groups = point.keywords_en[0].split(" + ")
        sentences.append(" ".join(group.split("|")[0].strip().rstrip("*") for group in groups))
    return ". ".join(sentences) + "."
