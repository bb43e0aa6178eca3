"""The public question bank: topics → questions → a question, the glossary, problem reports."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from quiz.forms import ProblemReportForm
from quiz.models import Card, Choice, Drill, KeyPoint, ProblemReport, Question, Term, Topic
from quiz.rendering import glossary_index


@require_safe
def topic_list(request):
    topics = Topic.objects.with_question_counts()
    return render(request, "quiz/topics.html", {"topics": topics})


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    questions = topic.questions.active()
    flagged = set()
    if request.user.is_authenticated:
        flagged = set(
            Card.objects.filter(user=request.user, flagged=True, question__topic=topic).values_list(
                "question", flat=True
            )
        )
    flagged_only = bool(flagged) and request.GET.get("flagged") == "1"
    if flagged_only:
        questions = questions.filter(pk__in=flagged)
    context = {"topic": topic, "questions": questions, "flagged": flagged, "flagged_only": flagged_only}
    return render(request, "quiz/topic.html", context)


def _question_with_content(slug: str) -> Question:
    active_points = KeyPoint.objects.filter(archived=False)
    # Retired (archived) questions stay readable: history links to them.
    return get_object_or_404(
        Question.objects.filter(parent__isnull=True)
        .select_related("topic")
        .prefetch_related(
            Prefetch("key_points", queryset=active_points),
            Prefetch(
                "drills",
                queryset=Drill.objects.filter(archived=False).prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.all())
                ),
            ),
            Prefetch(
                "follow_ups",
                queryset=Question.objects.filter(archived=False).prefetch_related(
                    Prefetch("key_points", queryset=active_points)
                ),
            ),
        ),
        slug=slug,
    )


def _question_context(request, question: Question, report_form=None) -> dict:
    siblings = list(question.topic.questions.active().values_list("slug", flat=True))
    if question.slug not in siblings:  # retired: no place in the topic's order
        siblings, index = [], 0
    else:
        index = siblings.index(question.slug)
    return {
        "question": question,
        "topic": question.topic,
        "glossary": glossary_index(Term.objects.all(), url=reverse("quiz:glossary")),
        "previous_slug": siblings[index - 1] if index > 0 else None,
        "next_slug": siblings[index + 1] if index + 1 < len(siblings) else None,
        "position": index + 1,
        "total": len(siblings),
        "report_form": report_form or ProblemReportForm(),
    }


@require_safe
def question_detail(request, slug):
    question = _question_with_content(slug)
    return render(request, "quiz/question.html", _question_context(request, question))


@require_POST
@login_required
def report_problem(request, slug):
    question = get_object_or_404(Question.objects.active(), slug=slug)
    form = ProblemReportForm(request.POST)
    recent = ProblemReport.objects.filter(user=request.user, created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= settings.REPORTS_PER_HOUR:
        form.is_valid()
        form.add_error(None, _("You have sent many reports in the last hour. Please try again later."))
        status = 429
    elif form.is_valid():
        form.instance.user = request.user
        form.instance.question = question
        form.instance.language = get_language() or ""
        form.save()
        if request.htmx:
            return render(request, "quiz/question.html#report-problem", {"question": question, "thanked": True})
        messages.success(request, _("Thank you! Your report was sent to the editors."))
        return redirect(question)
    else:
        status = 400
    if request.htmx:
        context = {"question": question, "report_form": form, "report_open": True}
        return render(request, "quiz/question.html#report-problem", context, status=status)
    question = _question_with_content(slug)
    context = _question_context(request, question, report_form=form) | {"report_open": True}
    return render(request, "quiz/question.html", context, status=status)


@require_safe
def glossary(request):
    terms = sorted(Term.objects.all(), key=lambda term: term.term.lower())
    return render(request, "quiz/glossary.html", {"terms": terms})
