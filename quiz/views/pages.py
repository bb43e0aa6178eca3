"""The landing page, the dashboard and the weak-topic review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from quiz import readiness
from quiz.models import Question, Topic


@require_safe
def home(request):
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    context = {
        "question_count": Question.objects.active().count(),
        "topic_count": Topic.objects.count(),
    }
    return render(request, "quiz/home.html", context)


@require_safe
@login_required
def dashboard(request):
    return render(request, "quiz/dashboard.html", {"board": readiness.dashboard(request.user)})


@require_safe
@login_required
def review(request):
    return render(request, "quiz/review.html", {"review": readiness.review(request.user)})
