"""Creating accounts and confirming their e-mail addresses, without saying which addresses have accounts.

An address given at sign-up is not stored on the account until its owner opens the link we mail to it. If
the address already belongs to an account, that owner gets a note instead ("you already have an account"),
and the person signing up sees exactly what they would have seen otherwise. So sign-up is no oracle for
"is this e-mail registered?", and password-reset mails only ever go to confirmed addresses.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

SALT = "dlprep.confirm-email"
LINK_DAYS = 3


@dataclass(frozen=True)
class Confirmation:
    user: User
    email: str


class InvalidLink(Exception):
    """The link is forged, expired, or for an account that no longer exists."""


class AddressTaken(Exception):
    """Another account confirmed this address first."""


def register(*, form, request) -> User:
    """Create the account from a valid SignupForm; mail the address it gave (if any), never store it yet."""
    with transaction.atomic():
        user = form.save(commit=False)
        user.email = ""
        user.save()
    if email := form.cleaned_data.get("email", ""):
        offer_address(request=request, user=user, email=email)
    return user


def offer_address(*, request, user: User, email: str) -> None:
    """Mail ``email`` a link that attaches it to ``user`` — or, if another account holds it, a note to that owner."""
    owner = User.objects.filter(email__iexact=email).exclude(pk=user.pk).first()
    if owner is None:
        _mail(request, email, "confirm_email", link=_link(request, user, email), user=user, days=LINK_DAYS)
    else:
        reset = request.build_absolute_uri(reverse("password_reset"))
        _mail(request, email, "address_in_use", owner=owner, reset=reset)


def read_link(token: str) -> Confirmation:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
        user = User.objects.get(pk=data["user"], is_active=True)
        return Confirmation(user=user, email=data["email"])
    except (signing.BadSignature, KeyError, TypeError, User.DoesNotExist) as error:
        raise InvalidLink from error


def confirm_email(*, token: str) -> User:
    """Attach the address in the link to its account, unless another account holds it already."""
    confirmation = read_link(token)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=confirmation.user.pk)
        if User.objects.filter(email__iexact=confirmation.email).exclude(pk=user.pk).exists():
            raise AddressTaken
        user.email = confirmation.email
        user.save(update_fields=["email"])
    return user


def _link(request, user: User, email: str) -> str:
    token = signing.dumps({"user": user.pk, "email": email}, salt=SALT)
    return request.build_absolute_uri(reverse("confirm_email", args=[token]))


def _mail(request, to: str, template: str, **context) -> None:
    context["site"] = request.get_host()
    subject = render_to_string(f"registration/{template}_subject.txt", context).strip()
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
