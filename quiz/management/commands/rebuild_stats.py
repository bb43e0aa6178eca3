"""Recompute the per-user rollups (quiz.stats) from the answer and review rows."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from quiz import stats


class Command(BaseCommand):
    help = "Recompute every user's rollups (day, topic-day and topic figures, each card's last rating) from the rows."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="only these users (default: everyone)")
        parser.add_argument(
            "--check", action="store_true", help="only report users whose rollups differ; exit 1 if any"
        )

    def handle(self, *usernames, check=False, **options):
        users = get_user_model().objects.order_by("pk")
        if usernames:
            users = users.filter(username__in=usernames)
        differ = 0
        for user in users.iterator():
            if check:
                if stats.stored(user) != stats.recomputed(user):
                    differ += 1
                    self.stdout.write(f"{user.username}: rollups differ from the rows")
            else:
                stats.rebuild(user)
        if check:
            self.stdout.write(f"{differ} user(s) with rollups that differ from the rows")
            if differ:
                raise SystemExit(1)
        else:
            self.stdout.write(f"rebuilt the rollups of {users.count()} user(s)")
