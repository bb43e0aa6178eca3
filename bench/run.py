"""`make bench`: build a synthetic database (200 users, 1,000,000 answers, one user with 20,000)
and time the pages whose data grows with history, for that user, against a bare Django view.

Usage: python -m bench.run [--rebuild] [--requests N]
SQLite by default (bench-db.sqlite3); PostgreSQL when DATABASE_URL is set.
"""

import argparse
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

from quiz.models import Attempt, Card, MockInterview, MockItem, Question  # noqa: E402

USERS = 200
TOTAL_ANSWERS = 1_000_000
HEAVY_ANSWERS = 20_000
HEAVY_USER = "bench-heavy"
BATCH = 20_000


def build(rng: random.Random) -> None:
    call_command("migrate", verbosity=0)
    call_command("import_questions", verbosity=0)
    questions = list(Question.objects.active().values_list("pk", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    users = [User(username=HEAVY_USER)] + [User(username=f"bench-{n}") for n in range(1, USERS)]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="bench-").order_by("pk"))
    heavy = next(u for u in users if u.username == HEAVY_USER)
    others = [u for u in users if u != heavy]
    per_other = (TOTAL_ANSWERS - HEAVY_ANSWERS) // len(others)
    plan = [(heavy, HEAVY_ANSWERS)] + [(u, per_other) for u in others]
    plan[-1] = (plan[-1][0], TOTAL_ANSWERS - HEAVY_ANSWERS - per_other * (len(others) - 1))
    pending: list[Attempt] = []
    cards: list[Card] = []
    for user, count in plan:
        seen = set()
        for _ in range(count):
            question = rng.choice(questions)
            seen.add(question)
            answered = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            rating = rng.choice((1, 2, 3, 3, 3, 4))
            pending.append(
                Attempt(
                    user=user,
                    question_id=question,
                    mode=rng.choice(("recall", "recall", "drill")),
                    score=rng.random(),
                    rating=rating,
                    started_at=answered - timedelta(seconds=90),
                    answered_at=answered,
                    duration_ms=rng.randint(5_000, 300_000),
                )
            )
            if len(pending) >= BATCH:
                Attempt.objects.bulk_create(pending)
                pending.clear()
        for question in seen:
            last = now - timedelta(days=rng.randint(0, 60))
            cards.append(
                Card(
                    user=user,
                    question_id=question,
                    state=2,
                    step=None,
                    stability=rng.uniform(0.5, 120),
                    difficulty=rng.uniform(1, 10),
                    last_review=last,
                    due=last + timedelta(days=rng.randint(1, 90)),
                    lapses=rng.choice((0, 0, 0, 1, 2, 9)),
                )
            )
    Attempt.objects.bulk_create(pending)
    Card.objects.bulk_create(cards, batch_size=BATCH)
    for weeks in range(1, 31):  # the heavy user's past mock interviews
        start = now - timedelta(weeks=weeks)
        mock = MockInterview.objects.create(
            user=heavy,
            length=10,
            time_limit=timedelta(minutes=25),
            started_at=start,
            deadline=start + timedelta(minutes=25),
            finished_at=start + timedelta(minutes=20),
            finish_reason="submitted",
        )
        MockItem.objects.bulk_create(
            MockItem(mock=mock, position=p, question_id=q) for p, q in enumerate(rng.sample(questions, 10), start=1)
        )
    print(f"built {Attempt.objects.count():,} answers for {len(users)} users in {time.perf_counter() - started:.0f} s")


def ensure_database(rebuild: bool, rng: random.Random) -> User:
    call_command("migrate", verbosity=0)
    existing = Attempt.objects.count()
    if rebuild or existing < TOTAL_ANSWERS:
        if existing:
            with transaction.atomic():
                Attempt.objects.all().delete()
                User.objects.filter(username__startswith="bench-").delete()
        build(rng)
    heavy = User.objects.get(username=HEAVY_USER)
    MockInterview.objects.filter(user=heavy, finished_at__isnull=True).delete()
    now = timezone.now()
    mock = MockInterview.objects.create(
        user=heavy, length=10, time_limit=timedelta(hours=6), started_at=now, deadline=now + timedelta(hours=6)
    )
    questions = list(Question.objects.active().values_list("pk", flat=True)[:10])
    MockItem.objects.bulk_create(MockItem(mock=mock, position=p, question_id=q) for p, q in enumerate(questions, 1))
    return heavy


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
    args = parser.parse_args(argv)
    rng = random.Random(2026)  # noqa: S311 - synthetic data, not security
    heavy = ensure_database(args.rebuild, rng)
    mock = MockInterview.objects.get(user=heavy, finished_at__isnull=True)
    client = Client()
    client.force_login(heavy)
    pages = {
        "bare view": "/bench/bare/",
        "dashboard": "/dashboard/",
        "review": "/review/",
        "practice": "/practice/",
        "mock (taking)": f"/mock/{mock.pk}/q/1/",
        "history": "/history/",
    }
    print(
        f"database: {connection.vendor}; user {HEAVY_USER} with {Attempt.objects.filter(user=heavy).count():,} "
        f"answers of {Attempt.objects.count():,}; {args.requests} requests per page"
    )
    results = {name: measure(client, url, args.requests) for name, url in pages.items()}
    bare = statistics.median(results["bare view"])
    print(f"{'page':<16}{'median ms':>10}{'p95 ms':>9}{'× bare':>9}")
    for name, timings in results.items():
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<16}{median:>10.1f}{p95:>9.1f}{median / bare:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
