"""Practice sessions: choose, answer one card at a time (htmx swaps #question-card), summary."""

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from quiz import grading, progress, sessions
from quiz.forms import (
    DrillAnswerForm,
    PracticeFilterForm,
    PracticeForm,
    ProblemReportForm,
    RecallAnswerForm,
    RevealForm,
)
from quiz.models import KeyPoint, PracticeMode, PracticeSession, Profile, Question, SessionItem

EMPTY_EXPLANATIONS = {
    PracticeMode.DUE: gettext_lazy(
        "Nothing is due for review in this selection. Learn new questions or try a quick drill."
    ),
    PracticeMode.NEW: gettext_lazy("You have seen every question in this selection. Try due reviews or recall."),
    PracticeMode.RECALL: gettext_lazy("No questions match this selection. Choose more topics or any difficulty."),
    PracticeMode.DRILL: gettext_lazy(
        "No multiple-choice drills match this selection. Choose more topics or any difficulty."
    ),
    PracticeMode.WEAK: gettext_lazy("Nothing to review in your weakest topics yet. Learn new questions first."),
    PracticeMode.FLAGGED: gettext_lazy(
        "No flagged questions in this selection. Flag a question with ☆ while you practise to find it here."
    ),
    PracticeMode.MISTAKES: gettext_lazy(
        "No mistakes to retry here: your latest answer to each question was right. Try recall."
    ),
}


def _empty_explanation(user, mode: str) -> str:
    profile = Profile.for_user(user)
    limits = sessions.today(user=user, profile=profile)
    if mode == PracticeMode.NEW and not limits.new_left:
        return _(
            "You have learnt %(n)s new questions today, your daily limit. Review what is due, or raise the "
            "limit in Settings."
        ) % {"n": profile.new_per_day}
    if mode == PracticeMode.DUE and not limits.reviews_left:
        return _("You have done %(n)s reviews today, your daily limit. The rest wait for tomorrow.") % {
            "n": profile.reviews_per_day
        }
    return EMPTY_EXPLANATIONS[mode]


def _setup_context(request, form: PracticeForm, filters: dict) -> dict:
    topics = list(filters.get("topics") or [])
    difficulty = filters.get("difficulty") or ""
    counts = sessions.mode_counts(user=request.user, topics=topics, difficulty=difficulty)
    default_mode = PracticeMode.DUE if counts[PracticeMode.DUE] else PracticeMode.NEW
    profile = Profile.for_user(request.user)
    base = Question.objects.active().in_topics(topics).of_difficulty(difficulty)
    return {
        "today": sessions.today(user=request.user, profile=profile, base=base),
        "profile": profile,
        "form": form,
        "modes": [(value, label, counts[value]) for value, label in form.fields["mode"].choices if value in counts],
        "selected_mode": form.data.get("mode") or request.GET.get("mode") or default_mode,
        "unfinished": PracticeSession.objects.filter(user=request.user, finished_at__isnull=True).first(),
    }


@require_safe
@login_required
def practice(request):
    """The setup page; with htmx, only the modes and their counts for the chosen filters."""
    filters = PracticeFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    form = PracticeForm(initial={**chosen, "size": request.GET.get("size", 10)})
    context = _setup_context(request, form, chosen)
    if request.htmx:
        return render(request, "quiz/practice.html#practice-modes", context)
    return render(request, "quiz/practice.html", context)


@require_POST
@login_required
def start_practice(request):
    form = PracticeForm(request.POST)
    if form.is_valid():
        session = sessions.start_session(user=request.user, **form.cleaned_data)
        if session is not None:
            return redirect(session)
        form.add_error(None, _empty_explanation(request.user, form.cleaned_data["mode"]))
    filters = {name: form.cleaned_data.get(name) for name in ("topics", "difficulty")}
    return render(request, "quiz/practice.html", _setup_context(request, form, filters), status=400)


def _get_session(request, pk) -> PracticeSession:
    return get_object_or_404(PracticeSession, pk=pk, user=request.user)


def _render_current(request, session: PracticeSession, *, status: int = 200, error: str = "", notice: str = ""):
    """The session page (or its #question-card fragment) at the first unanswered item."""
    template = "quiz/practice_session.html#question-card" if request.htmx else "quiz/practice_session.html"
    item = sessions.current_item(session)
    if item is None:
        sessions.finish_if_complete(session)
        context = {"session": session, "summary": progress.session_summary(session)}
    else:
        grading.mark_shown(item)
        context = progress.practice_card(session, item).as_context() | {"report_form": ProblemReportForm()}
        context["error"] = error
    return render(request, template, context | {"notice": notice}, status=status)


@require_safe
@login_required
def practice_session(request, pk):
    return _render_current(request, _get_session(request, pk))


def _posted_item(request, session: PracticeSession) -> SessionItem | None:
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        return None
    return get_object_or_404(SessionItem.objects.select_related("question", "drill"), pk=item_id, session=session)


@require_POST
@login_required
def reveal_answer(request, pk):
    session = _get_session(request, pk)
    form = RevealForm(request.POST)
    item = _posted_item(request, session)
    if item is None or not form.is_valid() or item.drill_id:
        return HttpResponseBadRequest(_("This answer could not be read. Reload the page and try again."))
    grading.reveal(item=item, answer_text=form.cleaned_data["answer"])
    if request.htmx:
        return _render_current(request, session)
    return redirect(session)


@require_POST
@login_required
def submit_answer(request, pk):
    session = _get_session(request, pk)
    item = _posted_item(request, session)
    if item is None:
        return HttpResponseBadRequest(_("This answer could not be read. Reload the page and try again."))
    if item.drill_id:
        return _submit_drill(request, session, item)
    form = RecallAnswerForm(request.POST, key_points=item.question.key_points.filter(archived=False))
    if item.revealed_at is None or not form.is_valid():
        # Not revealed yet (or no rating): show the card again with nothing recorded.
        return _render_current(
            request, session, status=400, error=_("Choose how well you knew it: Again, Hard, Good or Easy.")
        )
    # A second tab or a double click: the first answer stands.
    with suppress(grading.AlreadyAnswered):
        grading.record_recall(item=item, rating=form.cleaned_data["rating"], ticked_ids=form.cleaned_data["points"])
    if request.htmx:
        return _render_current(request, session)
    return redirect(session)


@require_POST
@login_required
def undo_answer(request, pk):
    """Ctrl+Z: take back the newest answer of this session (a calm no-op when there is none)."""
    session = _get_session(request, pk)
    try:
        item = grading.undo_last_answer(session=session)
        notice = _("Rating undone: answer this question again.") if item else _("Nothing to undo.")
    except grading.CannotUndo:
        notice = _("That answer can no longer be undone: the question was reviewed again since.")
    if request.htmx:
        return _render_current(request, session, notice=notice)
    messages.info(request, notice)
    return redirect(session)


def _submit_drill(request, session, item):
    choices = list(item.drill.choices.all())
    form = DrillAnswerForm(request.POST, choices=choices)
    if not form.is_valid():
        return _render_current(request, session, status=400, error=_("Pick one of the options."))
    choice = next(c for c in choices if c.pk == form.cleaned_data["choice"])
    with suppress(grading.AlreadyAnswered):
        grading.record_drill(item=item, choice=choice)
    if request.htmx:
        return render(request, "quiz/practice_session.html#question-card", _feedback_context(session, item))
    return redirect("quiz:practice_feedback", pk=session.pk, position=item.position)


def _feedback_context(session, item) -> dict:
    item = (
        SessionItem.objects.select_related("attempt__choice", "drill", "question")
        .prefetch_related(Prefetch("question__key_points", queryset=KeyPoint.objects.filter(archived=False)))
        .get(pk=item.pk)
    )
    return {
        "session": session,
        "item": item,
        "question": item.question,
        "feedback": item.attempt,
        "choices": list(item.drill.choices.all()),
        "total": session.items.filter(repeat_of__isnull=True).count(),
        "report_form": ProblemReportForm(),
    }


@require_POST
@login_required
def flag_question(request, slug):
    question = get_object_or_404(Question.objects.active(), slug=slug)
    card = grading.toggle_flag(user=request.user, question=question)
    if request.htmx:
        return render(request, "quiz/practice_session.html#flag-button", {"question": question, "card": card})
    next_url = request.POST.get("next", "")
    # A path on this site only: redirect() would read "abc" as a view name and fail.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = question.get_absolute_url()
    return HttpResponseRedirect(next_url)


@require_safe
@login_required
def practice_feedback(request, pk, position):
    session = _get_session(request, pk)
    item = get_object_or_404(
        SessionItem, session=session, position=position, attempt__isnull=False, drill__isnull=False
    )
    return render(request, "quiz/practice_session.html", _feedback_context(session, item))
