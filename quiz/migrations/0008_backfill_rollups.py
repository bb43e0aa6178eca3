"""Fill what 0007 added from the rows already there: each answer's misconception flag, each card's
last rating and every user's rollups (the same sums as quiz.stats.rebuild, on the historical models)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import migrations
from django.db.models import Exists, OuterRef, Q

from quiz.stats import DAY_FIELDS, TOPIC_DAY_FIELDS, contribution, tally


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def forwards(apps, schema_editor):
    Attempt = apps.get_model("quiz", "Attempt")
    AttemptKeyPoint = apps.get_model("quiz", "AttemptKeyPoint")
    Card = apps.get_model("quiz", "Card")
    ReviewLog = apps.get_model("quiz", "ReviewLog")
    Profile = apps.get_model("quiz", "Profile")
    DayStat = apps.get_model("quiz", "DayStat")
    TopicDayStat = apps.get_model("quiz", "TopicDayStat")
    TopicStat = apps.get_model("quiz", "TopicStat")

    stated = AttemptKeyPoint.objects.filter(attempt=OuterRef("pk"), contradicted=True, ticked=False)
    Attempt.objects.filter(Q(confidence=3, score__lt=0.5) | Q(Exists(stated))).update(misconception=True)

    last: dict[int, int] = {}
    for card_id, rating in ReviewLog.objects.order_by("reviewed_at", "id").values_list("card_id", "rating").iterator():
        last[card_id] = rating
    for card_id, rating in last.items():
        Card.objects.filter(pk=card_id).update(last_rating=rating)

    zones = dict(Profile.objects.values_list("user_id", "time_zone"))
    user_ids = Attempt.objects.filter(answered_at__isnull=False).values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        zone = _zone(zones.get(user_id, "UTC"))
        rows = Attempt.objects.filter(user_id=user_id, answered_at__isnull=False).values_list(
            "answered_at", "rating", "duration_ms", "question__topic_id", "misconception"
        )
        days, topic_days, topics = tally(
            contribution(answered_at=at, rating=r, duration_ms=ms, topic_id=t, misconception=m, zone=zone)
            for at, r, ms, t, m in rows.order_by().iterator()
        )
        DayStat.objects.bulk_create(
            [DayStat(user_id=user_id, day=day, **dict(zip(DAY_FIELDS, v, strict=True))) for day, v in days.items()], batch_size=1000
        )
        TopicDayStat.objects.bulk_create(
            [
                TopicDayStat(user_id=user_id, topic_id=t, day=day, **dict(zip(TOPIC_DAY_FIELDS, v, strict=True)))
                for (t, day), v in topic_days.items()
            ],
            batch_size=1000,
        )
        TopicStat.objects.bulk_create(
            [
                TopicStat(user_id=user_id, topic_id=t, answers=n, misconceptions=m, last_answered_at=at)
                for t, (n, m, at) in topics.items()
            ],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [("quiz", "0007_rollups")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
