"""`make bench`: build a synthetic database (200 users, 1,000,000 answers, among them three profiled
users with 1,000, 20,000 and 100,000) and time the pages whose data grows with history, for each
profiled user, against a bare Django view.

Usage: python -m bench.run [--rebuild] [--requests N] [--json]
SQLite by default (bench-db.sqlite3); PostgreSQL when DATABASE_URL is set.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlprep.settings_bench")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from quiz import stats  # noqa: E402
from quiz.models import (  # noqa: E402
    Attempt,
    Card,
    MockInterview,
    MockItem,
    Question,
    ReviewLog,
    is_misconception,
)

USERS = 200
TOTAL_ANSWERS = 1_000_000
PROFILED = {"1k": 1_000, "20k": 20_000, "100k": 100_000}  # the users whose pages are timed
BATCH = 20_000


def _profiled_name(label: str) -> str:
    return f"bench-{label}"


def _answers(user, count: int, questions: list[int], now, rng: random.Random) -> list[Attempt]:
    rows = []
    for _ in range(count):
        answered = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        mode = rng.choice(("recall", "recall", "drill", "mock"))
        confidence = rng.choice((1, 2, 3)) if mode == "mock" else None
        score = rng.random()
        rows.append(
            Attempt(
                user=user,
                question_id=rng.choice(questions),
                mode=mode,
                score=score,
                rating=rng.choice((1, 2, 3, 3, 3, 4)),
                confidence=confidence,
                misconception=is_misconception(confidence=confidence, score=score, stated=False),
                started_at=answered - timedelta(seconds=90),
                answered_at=answered,
                duration_ms=rng.randint(5_000, 300_000),
            )
        )
    return rows


def _cards_and_reviews(user, attempts: list[Attempt], now, rng: random.Random, *, reviews: bool) -> None:
    """One FSRS card per question answered; for the profiled users, a review log per answer."""
    by_question: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_question.setdefault(attempt.question_id, []).append(attempt)
    cards = []
    for question, answers in by_question.items():
        latest = max(answers, key=lambda a: a.answered_at)
        cards.append(
            Card(
                user=user,
                question_id=question,
                state=2,
                step=None,
                stability=rng.uniform(0.5, 120),
                difficulty=rng.uniform(1, 10),
                last_review=latest.answered_at,
                due=latest.answered_at + timedelta(days=rng.randint(1, 90)),
                lapses=rng.choice((0, 0, 0, 1, 2, 9)),
                last_rating=latest.rating,
            )
        )
    Card.objects.bulk_create(cards, batch_size=BATCH)
    if not reviews:
        return
    card_ids = dict(Card.objects.filter(user=user).values_list("question_id", "pk"))
    ReviewLog.objects.bulk_create(
        (
            ReviewLog(
                card_id=card_ids[a.question_id],
                attempt_id=a.pk,
                rating=a.rating,
                reviewed_at=a.answered_at,
                duration_ms=a.duration_ms,
                state_before=2,
                due_after=a.answered_at + timedelta(days=3),
            )
            for a in attempts
        ),
        batch_size=BATCH,
    )


def _mocks(user, questions: list[int], now, rng: random.Random) -> None:
    """30 finished mock interviews of 10 questions, each answered and scored."""
    for weeks in range(1, 31):
        start = now - timedelta(weeks=weeks)
        mock = MockInterview.objects.create(
            user=user,
            length=10,
            time_limit=timedelta(minutes=25),
            started_at=start,
            deadline=start + timedelta(minutes=25),
            finished_at=start + timedelta(minutes=20),
            finish_reason="submitted",
        )
        items = MockItem.objects.bulk_create(
            MockItem(mock=mock, position=p, question_id=q, answer_text="an answer", saved_at=start)
            for p, q in enumerate(rng.sample(questions, 10), start=1)
        )
        Attempt.objects.bulk_create(
            Attempt(
                user=user,
                question_id=item.question_id,
                mode="mock",
                mock_item=item,
                answer_text=item.answer_text,
                score=rng.random(),
                rating=3,
                started_at=start,
                answered_at=start + timedelta(minutes=item.position),
            )
            for item in items
        )


def build(rng: random.Random) -> None:
    call_command("migrate", verbosity=0)
    call_command("import_questions", verbosity=0)
    questions = list(Question.objects.active().values_list("pk", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    names = [_profiled_name(label) for label in PROFILED] + [f"bench-{n}" for n in range(1, USERS - len(PROFILED) + 1)]
    users = [User(username=name) for name in names]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    for label, count in PROFILED.items():
        user = users[_profiled_name(label)]
        attempts = Attempt.objects.bulk_create(_answers(user, count, questions, now, rng), batch_size=BATCH)
        _cards_and_reviews(user, attempts, now, rng, reviews=True)
        _mocks(user, questions, now, rng)
    others = [users[name] for name in names[len(PROFILED) :]]
    rest = TOTAL_ANSWERS - sum(PROFILED.values()) - 300 * len(PROFILED)
    for index, user in enumerate(others):
        count = rest // len(others) + (1 if index < rest % len(others) else 0)
        attempts = Attempt.objects.bulk_create(_answers(user, count, questions, now, rng), batch_size=BATCH)
        _cards_and_reviews(user, attempts, now, rng, reviews=False)
    for user in users.values():
        stats.rebuild(user, cards=False)
    print(f"built {Attempt.objects.count():,} answers for {len(users)} users in {time.perf_counter() - started:.0f} s")


def ensure_database(rebuild: bool, rng: random.Random) -> dict[str, User]:
    call_command("migrate", verbosity=0)
    complete = Attempt.objects.count() >= TOTAL_ANSWERS and all(
        User.objects.filter(username=_profiled_name(label)).exists() for label in PROFILED
    )
    if rebuild or not complete:
        with transaction.atomic():
            Attempt.objects.filter(user__username__startswith="bench-").delete()
            User.objects.filter(username__startswith="bench-").delete()
        build(rng)
    users = {label: User.objects.get(username=_profiled_name(label)) for label in PROFILED}
    now = timezone.now()
    questions = list(Question.objects.active().values_list("pk", flat=True)[:10])
    for user in users.values():  # an interview in progress, for the taking page
        MockInterview.objects.filter(user=user, finished_at__isnull=True).delete()
        mock = MockInterview.objects.create(
            user=user, length=10, time_limit=timedelta(hours=6), started_at=now, deadline=now + timedelta(hours=6)
        )
        MockItem.objects.bulk_create(MockItem(mock=mock, position=p, question_id=q) for p, q in enumerate(questions, 1))
    return users


def measure(client: Client, url: str, requests: int) -> list[float]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return timings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="throw away and rebuild the synthetic data")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--json", action="store_true", help="print the medians as one JSON object on the last line")
    args = parser.parse_args(argv)
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    users = ensure_database(args.rebuild, rng)
    print(
        f"database: {connection.vendor}; {Attempt.objects.count():,} answers of {User.objects.count():,} users; "
        + ", ".join(f"{u.username} {Attempt.objects.filter(user=u).count():,}" for u in users.values())
        + f"; {args.requests} requests per page"
    )
    client = Client()
    client.force_login(users["1k"])  # the bare view sees the same session and user lookups as the pages
    bare = measure(client, "/bench/bare/", args.requests)
    results: dict[str, dict[str, list[float]]] = {}
    for label, user in users.items():
        client.force_login(user)
        taking = MockInterview.objects.get(user=user, finished_at__isnull=True)
        report = MockInterview.objects.filter(user=user, finished_at__isnull=False).order_by("-started_at").first()
        pages = {
            "dashboard": "/dashboard/",
            "review": "/review/",
            "practice": "/practice/",
            "history": "/history/",
            "mock_taking": f"/mock/{taking.pk}/q/1/",
            "mock_report": f"/mock/{report.pk}/report/",
        }
        for page, url in pages.items():
            results.setdefault(page, {})[label] = measure(client, url, args.requests)
    bare_ms = statistics.median(bare)
    print(f"bare view: median {bare_ms:.2f} ms, p95 {statistics.quantiles(bare, n=20)[-1]:.2f} ms")
    header = "".join(f"{label + ' ms':>10}{'×bare':>7}" for label in PROFILED)
    print(f"{'page':<13}{header}{'100k/1k':>9}")
    medians: dict[str, dict[str, float]] = {}
    for page, by_user in results.items():
        medians[page] = {label: round(statistics.median(t), 2) for label, t in by_user.items()}
        cells = "".join(f"{medians[page][label]:>10.1f}{medians[page][label] / bare_ms:>7.1f}" for label in PROFILED)
        print(f"{page:<13}{cells}{medians[page]['100k'] / medians[page]['1k']:>9.2f}")
    if args.json:
        print(json.dumps({"database": connection.vendor, "bare_ms": round(bare_ms, 3), "pages": medians}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
