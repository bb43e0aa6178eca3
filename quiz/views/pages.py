"""Landing page and the signed-in home pages that later issues fill in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from quiz.models import Question, Topic


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    context = {
        "question_count": Question.objects.active().count(),
        "topic_count": Topic.objects.count(),
    }
    return render(request, "quiz/home.html", context)


@require_GET
@login_required
def dashboard(request):
    topics = Topic.objects.with_question_counts()
    return render(request, "quiz/dashboard.html", {"topics": topics})


@require_GET
@login_required
def review(request):
    return render(request, "quiz/coming_soon.html", {"page": "review"})
