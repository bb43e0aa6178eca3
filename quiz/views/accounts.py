from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from quiz import export, registration, stats, throttle
from quiz.forms import DeleteAccountForm, EmailForm, SettingsForm, SignupForm
from quiz.models import Profile


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("quiz:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = throttle.hit("signup", throttle.client_key(request))
        if not verdict.allowed:
            return rate_limited(request, verdict, _("Too many accounts were created from your network."))
        user = registration.register(form=form, request=request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if email := form.cleaned_data.get("email"):
            messages.info(request, sent_message(email))
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
            stats.save_settings(form)
            messages.success(request, _("Settings saved."))
            return redirect("quiz:settings")
        return render(request, "quiz/settings.html", {"form": form}, status=400)
    return render(request, "quiz/settings.html", {"form": form, "email_form": EmailForm()})


@require_http_methods(["POST"])
@login_required
def change_email(request):
    """Send a confirmation link to a new address; the account keeps its old one until the link is opened."""
    form = EmailForm(request.POST)
    if not form.is_valid():
        context = {"form": SettingsForm(instance=Profile.for_user(request.user)), "email_form": form}
        return render(request, "quiz/settings.html", context, status=400)
    verdict = throttle.hit("password_reset_address", f"user:{request.user.pk}")
    if not verdict.allowed:
        return rate_limited(request, verdict, _("Too many confirmation mails were asked for this account."))
    registration.offer_address(request=request, user=request.user, email=form.cleaned_data["email"])
    messages.info(request, sent_message(form.cleaned_data["email"]))
    return redirect("quiz:settings")


def sent_message(email):
    # The same words whether or not the address has an account: sign-up and settings reveal nothing.
    return _("We sent a message to %(email)s. Open its link to use that address for password resets.") % {
        "email": email
    }


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


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """GET shows what the link will do (mail scanners only GET); POST attaches the address."""
    try:
        confirmation = registration.read_link(token)
        if request.method == "POST":
            registration.confirm_email(token=token)
            messages.success(request, _("Your e-mail address is confirmed: it can now reset your password."))
            return redirect("quiz:dashboard" if request.user.is_authenticated else "login")
    except registration.InvalidLink:
        problem = _("This link is not valid or has expired. Sign in and ask for a new one under Settings → E-mail.")
        return render(request, "registration/confirm_email.html", {"problem": problem}, status=400)
    except registration.AddressTaken:
        problem = _("Another account already uses this address, so it was not added to this one.")
        return render(request, "registration/confirm_email.html", {"problem": problem}, status=409)
    return render(request, "registration/confirm_email.html", {"confirmation": confirmation})


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset form, with limits per client and per address (throttle.RATE_LIMITS).

    Over the address limit the page looks exactly as if the mail went out, so it reveals nothing and
    floods nobody; over the client limit the client is told to wait.
    """

    def form_valid(self, form):
        verdict = throttle.hit("password_reset_client", throttle.client_key(self.request))
        if not verdict.allowed:
            return rate_limited(self.request, verdict, _("Too many password resets were asked from your network."))
        if not throttle.hit("password_reset_address", form.cleaned_data["email"]).allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def rate_limited(request, verdict, what):
    minutes = max(1, round((verdict.retry_at - timezone.now()).total_seconds() / 60))
    context = {"what": what, "minutes": minutes}
    response = render(request, "registration/rate_limited.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
