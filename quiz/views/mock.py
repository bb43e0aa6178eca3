"""Timed mock interviews: set up, take (autosave against the server's deadline), finish, report."""

import re
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quiz import mocks, progress
from quiz.forms import MockAnswerForm, MockSetupForm
from quiz.models import Attempt, MockInterview, MockItem

CLOSED_MESSAGE = _("Time is up: this interview no longer accepts answers. Everything saved before the deadline counts.")


def _get_mock(request, pk) -> MockInterview:
    return get_object_or_404(MockInterview, pk=pk, user=request.user)


def _finish_if_time_is_up(mock: MockInterview) -> MockInterview:
    if not mock.is_finished and mock.seconds_left() == 0:
        return mocks.finalise(mock=mock, reason=MockInterview.FinishReason.EXPIRED)
    return mock


@require_safe
@login_required
def mock_setup(request):
    form = MockSetupForm()
    in_progress = MockInterview.objects.filter(user=request.user).in_progress().first()
    return render(request, "quiz/mock_setup.html", {"form": form, "in_progress": in_progress})


DOUBLE_CLICK = timedelta(seconds=30)  # a start this soon after the last one is the same click


@require_POST
@login_required
def start_mock(request):
    form = MockSetupForm(request.POST)
    in_progress = MockInterview.objects.filter(user=request.user).in_progress().first()
    if in_progress is not None and timezone.now() - in_progress.started_at < DOUBLE_CLICK:
        return redirect(in_progress)  # the second click of a double-click lands where the first did
    if in_progress is not None:
        form.add_error(None, _("You already have a mock interview in progress. Resume it or finish it first."))
    elif form.is_valid():
        data = form.cleaned_data
        minutes = data["minutes"] or mocks.default_time_limit(data["length"])
        try:
            mock = mocks.start_mock(
                user=request.user, topics=list(data["topics"]), mix=data["mix"], length=data["length"], minutes=minutes
            )
        except mocks.AlreadyInProgress as started:  # a second click of the same start
            return redirect(started.mock)
        if mock is not None:
            return redirect(mock)
        form.add_error("topics", _("No questions match these topics. Choose more topics."))
    context = {"form": form, "in_progress": in_progress}
    return render(request, "quiz/mock_setup.html", context, status=400)


@require_safe
@login_required
def mock_interview(request, pk):
    mock = _finish_if_time_is_up(_get_mock(request, pk))
    if mock.is_finished:
        return redirect("quiz:mock_report", pk=mock.pk)
    return redirect("quiz:mock_question", pk=mock.pk, position=mock.current_position)


def _taking_context(mock: MockInterview, position: int) -> dict:
    items = list(mock.items.select_related("question__topic", "drill").prefetch_related("drill__choices"))
    visible = mocks.visible_items(items)
    item = next((i for i in visible if i.position == position), None)
    if item is None:
        raise Http404("No such question in this interview")
    index = visible.index(item)
    return {
        "mock": mock,
        "item": item,
        "items": visible,
        "number": index + 1,
        "previous": visible[index - 1] if index > 0 else None,
        "next": visible[index + 1] if index + 1 < len(visible) else None,
        "seconds_left": mock.seconds_left(),
        "form": MockAnswerForm(),
    }


@require_safe
@login_required
def mock_question(request, pk, position):
    mock = _finish_if_time_is_up(_get_mock(request, pk))
    if mock.is_finished:
        messages.info(request, _("Time is up. Here is your report."))
        return redirect("quiz:mock_report", pk=mock.pk)
    context = _taking_context(mock, position)
    mocks.open_question(mock=mock, position=position)
    return render(request, "quiz/mock_question.html", context)


@require_POST
@login_required
def save_mock_answer(request, pk, position):
    """Autosave (htmx: returns the save status) or save-and-navigate (plain POST: redirects)."""
    mock = _get_mock(request, pk)
    item = get_object_or_404(MockItem.objects.select_related("drill", "parent"), mock=mock, position=position)
    if item.parent_id and not item.parent.is_answered:
        raise Http404("A follow-up is asked once its question has an answer.")  # as the page itself (D13)
    choices = list(item.drill.choices.all()) if item.drill_id else []
    form = MockAnswerForm(request.POST, choices=choices)
    if not form.is_valid():
        context = {
            "item": item,
            "error": _("This answer could not be saved: %(problem)s") % {"problem": form.errors.as_text()},
        }
        return render(request, "quiz/mock_question.html#save-status", context, status=400)
    data = form.cleaned_data
    fields = {"confidence": data["confidence"], "flagged": data["flagged"]}
    if item.drill_id:
        fields["choice"] = next((c for c in choices if c.pk == data["choice"]), None)
    else:
        fields["answer_text"] = data["answer"]
    try:
        item = mocks.save_answer(mock=mock, position=position, **fields)
    except mocks.MockClosed:
        if request.htmx:
            return render(
                request, "quiz/mock_question.html#save-status", {"item": item, "error": CLOSED_MESSAGE}, status=409
            )
        messages.error(request, CLOSED_MESSAGE)
        return redirect("quiz:mock_report", pk=mock.pk)
    if request.htmx:
        return render(request, "quiz/mock_question.html#save-status", {"item": item})
    return _navigate(mock, data["go"], position)


def _navigate(mock: MockInterview, go: str, position: int):
    if go == "finish":
        return redirect("quiz:finish_mock", pk=mock.pk)
    if go == "report":
        return redirect("quiz:mock_report", pk=mock.pk)
    # Only plain ASCII positions of this interview; '²', '①' or 5,000 digits stay where they are.
    target = int(go) if re.fullmatch(r"[0-9]{1,4}", go) and 1 <= int(go) <= mock.items.count() else position
    return redirect("quiz:mock_question", pk=mock.pk, position=target)


@require_http_methods(["GET", "POST"])
@login_required
def finish_mock(request, pk):
    """GET: confirm, listing unanswered questions. POST: finish now."""
    mock = _finish_if_time_is_up(_get_mock(request, pk))
    if mock.is_finished:
        return redirect("quiz:mock_report", pk=mock.pk)
    if request.method == "POST":
        mocks.finalise(mock=mock, reason=MockInterview.FinishReason.SUBMITTED)
        return redirect("quiz:mock_report", pk=mock.pk)
    items = mocks.visible_items(list(mock.items.select_related("question")))
    unanswered = [item for item in items if not item.is_answered]
    context = {
        "mock": mock,
        "unanswered": unanswered,
        "seconds_left": mock.seconds_left(),
        "numbers": {i.pk: n for n, i in enumerate(items, 1)},
    }
    return render(request, "quiz/mock_finish.html", context)


@require_safe
@login_required
def mock_report(request, pk):
    mock = _finish_if_time_is_up(_get_mock(request, pk))
    if not mock.is_finished:
        return redirect("quiz:mock_question", pk=mock.pk, position=mock.current_position)
    return render(request, "quiz/mock_report.html", {"report": progress.mock_report(mock)})


@require_POST
@login_required
def correct_mock_answer(request, pk, position):
    """The user corrects the detected key points of one open answer; the score updates."""
    mock = _get_mock(request, pk)
    attempt = get_object_or_404(Attempt, mock_item__mock=mock, mock_item__position=position, drill__isnull=True)
    try:
        ticked = {int(value) for value in request.POST.getlist("points")}
    except ValueError:
        ticked = None
    if ticked is None or not ticked <= set(attempt.key_point_marks.values_list("key_point_id", flat=True)):
        messages.error(request, _("Those key points do not belong to this answer; nothing was changed."))
        return redirect("quiz:mock_report", pk=mock.pk)
    mocks.correct_key_points(attempt=attempt, ticked_ids=ticked)
    if request.htmx:
        report = progress.mock_report(mock)
        result = next(r for r in report.results if r.item.position == position)
        return render(request, "quiz/mock_report.html#mock-result", {"report": report, "result": result})
    messages.success(request, _("Score updated."))
    return redirect(reverse("quiz:mock_report", args=[mock.pk]) + f"#result-{position}")


@require_safe
@login_required
def mock_history(request):
    return render(request, "quiz/mock_history.html", {"interviews": progress.mock_history(request.user)})
