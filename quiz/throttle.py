"""Rate limits for sign-ups and password-reset mails, counted in the database (fixed windows).

Login guessing is django-axes' job (settings.AXES_*); this covers what axes does not: how many accounts one
client creates, and how many reset mails one client or one address can trigger. Limits come from
``settings.RATE_LIMITS``: ``{scope: (hits, seconds)}``.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quiz.models import RateLimit


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_at: datetime


def client_key(request) -> str:
    """The client as axes sees it (REMOTE_ADDR, or the configured proxy header)."""
    return get_client_ip_address(request) or "unknown"


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def hit(scope: str, key: str) -> Verdict:
    """Count one attempt of ``scope`` by ``key``; refused (and not counted) once the window's limit is reached."""
    limit, seconds = settings.RATE_LIMITS[scope]
    now = timezone.now()
    start = _window(now, seconds)
    digest = hashlib.sha256(f"{scope}:{key.strip().lower()}".encode()).hexdigest()
    with transaction.atomic():
        RateLimit.objects.filter(scope=scope, window_start__lt=start).delete()
        counter, _ = RateLimit.objects.select_for_update().get_or_create(scope=scope, key=digest, window_start=start)
        allowed = counter.count < limit
        if allowed:
            RateLimit.objects.filter(pk=counter.pk).update(count=F("count") + 1)
    return Verdict(allowed=allowed, retry_at=start + timedelta(seconds=seconds))
