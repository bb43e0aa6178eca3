"""Every answer the user gave, newest first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from quiz import progress


@require_safe
@login_required
def history(request):
    page = progress.history_page(
        request.user,
        flagged_only=request.GET.get("flagged") == "1",
        before=request.GET.get("before"),
        after=request.GET.get("after"),
    )
    return render(request, "quiz/history.html", {"page": page})
