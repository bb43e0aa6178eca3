import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quiz import scheduling, stats
from quiz.grading import schedule
from quiz.models import Attempt, Card, Confidence, MockInterview, MockItem, Mode, Profile, Question, is_misconception

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-dlprep-2026"  # noqa: S105 - a local demo account, refused without DEBUG


class Command(BaseCommand):
    help = "Create a local demo user with a few weeks of practice and mock-interview history (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=35)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, days, seed, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it creates a user with a known password.")
        if not Question.objects.active().exists():
            raise CommandError("The question bank is empty: run `manage.py import_questions` first.")
        rng = random.Random(seed)  # noqa: S311 - simulation, not security
        with transaction.atomic():
            User.objects.filter(username=DEMO_USERNAME).delete()
            user = User.objects.create_user(DEMO_USERNAME, password=DEMO_PASSWORD)
            profile = Profile.for_user(user)
            profile.interview_date = timezone.localdate() + timedelta(days=21)
            profile.save()
            answers = self._practise(user, days=days, rng=rng)
            mocks = self._mocks(user, rng=rng)
            stats.rebuild(user)  # the mock answers above were written directly
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo user ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD} "
                f"({answers} answers, {mocks} mock interviews over {days} days)."
            )
        )

    def _practise(self, user, *, days, rng) -> int:
        """Simulate a learner: most days, due cards first, then some new questions; whether a
        question is remembered follows the FSRS prediction, so the schedule stays realistic."""
        questions = list(Question.objects.active().order_by("topic__order", "position"))
        strong_topics = {q.topic_id for q in rng.sample(questions, 6)}
        unseen = questions[:]
        rng.shuffle(unseen)
        now = timezone.now()
        count = 0
        for offset in range(days, 0, -1):
            if rng.random() < 0.2:
                continue  # a day off
            at = now - timedelta(days=offset, hours=rng.randint(0, 8))
            due = list(Card.objects.for_user(user).due(at).select_related("question")[:30])
            todays = [card.question for card in due] + [
                unseen.pop() for _ in range(min(len(unseen), rng.randint(3, 8)))
            ]
            for question in todays:
                at += timedelta(seconds=rng.randint(40, 240))
                card = Card.objects.filter(user=user, question=question).first()
                recall = scheduling.retrievability(card, at=at) if card and card.last_review else 0.55
                recall = min(0.97, recall + (0.15 if question.topic_id in strong_topics else 0))
                remembered = rng.random() < recall
                rating = rng.choice([3, 3, 3, 4, 2]) if remembered else 1
                score = rng.uniform(0.6, 1.0) if remembered else rng.uniform(0.0, 0.5)
                attempt = Attempt.objects.create(
                    user=user,
                    question=question,
                    mode=Mode.RECALL,
                    score=round(score, 2),
                    rating=rating,
                    started_at=at - timedelta(seconds=90),
                    answered_at=at,
                    reveal_ms=rng.randint(20_000, 120_000),
                    duration_ms=rng.randint(40_000, 180_000),
                )
                schedule(attempt=attempt, rating=rating, now=at)
                count += 1
        return count

    def _mocks(self, user, *, rng) -> int:
        now = timezone.now()
        for weeks_ago, quality in ((4, 0.35), (2, 0.5), (1, 0.65)):
            started = now - timedelta(weeks=weeks_ago, hours=3)
            mock = MockInterview.objects.create(
                user=user,
                length=5,
                time_limit=timedelta(minutes=15),
                started_at=started,
                deadline=started + timedelta(minutes=15),
                finished_at=started + timedelta(minutes=rng.randint(10, 15)),
                finish_reason=MockInterview.FinishReason.SUBMITTED,
            )
            for position, question in enumerate(Question.objects.active().order_by("?")[:5], start=1):
                item = MockItem.objects.create(
                    mock=mock,
                    position=position,
                    question=question,
                    answer_text="(demo answer)",
                    confidence=rng.choice(list(Confidence.values)),
                    saved_at=started + timedelta(minutes=2 * position),
                    time_spent_ms=rng.randint(60_000, 180_000),
                )
                score = round(min(1.0, max(0.0, rng.gauss(quality, 0.25))), 2)
                Attempt.objects.create(
                    user=user,
                    question=question,
                    mode=Mode.MOCK,
                    mock_item=item,
                    answer_text=item.answer_text,
                    score=score,
                    rating=1 if score < 0.6 else 3,
                    confidence=item.confidence,
                    misconception=is_misconception(confidence=item.confidence, score=score, stated=False),
                    started_at=started,
                    answered_at=item.saved_at,
                    duration_ms=item.time_spent_ms,
                )
        return 3
