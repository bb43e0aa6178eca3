from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from quiz import export
from quiz.forms import DeleteAccountForm, SettingsForm, SignupForm
from quiz.models import Profile


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("quiz:dashboard")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def account_settings(request):
    profile = Profile.for_user(request.user)
    form = SettingsForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Settings saved."))
            return redirect("quiz:settings")
        return render(request, "quiz/settings.html", {"form": form}, status=400)
    return render(request, "quiz/settings.html", {"form": form})


@require_safe
@login_required
def export_history(request, fmt):
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(export.history_csv(request.user), content_type="text/csv; charset=utf-8")
    else:
        response = JsonResponse(
            export.history_json(request.user), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    response["Content-Disposition"] = f'attachment; filename="dlprep-history-{stamp}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            request.user.delete()
            logout(request)
            messages.success(request, _("Your account and all your history have been deleted."))
            return redirect("quiz:home")
        return render(request, "registration/delete_account.html", {"form": form}, status=400)
    return render(request, "registration/delete_account.html", {"form": form})
