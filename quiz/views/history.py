"""Every answer the user gave, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.views.decorators.http import require_safe

from quiz.models import Attempt, Card

PAGE_SIZE = 50


@require_safe
@login_required
def history(request):
    next_due = Card.objects.filter(user=request.user, question=OuterRef("question"), last_review__isnull=False)
    attempts = (
        Attempt.objects.for_user(request.user)
        .filter(answered_at__isnull=False)
        .select_related("question__topic", "choice")
        .annotate(next_due=Subquery(next_due.values("due")[:1]))
        .order_by("-answered_at", "-id")
    )
    flagged_only = request.GET.get("flagged") == "1"
    if flagged_only:
        flagged = Card.objects.filter(user=request.user, question=OuterRef("question"), flagged=True)
        attempts = attempts.filter(Exists(flagged))
    page = Paginator(attempts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "quiz/history.html", {"page": page, "flagged_only": flagged_only})
