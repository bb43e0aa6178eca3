"""Signing up, in and out, and both password flows."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tensor-flow-42-graph"


def test_signup_creates_the_account_logs_in_and_lands_on_the_dashboard(client):
    response = client.post(
        reverse("signup"), {"username": "lin", "email": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:dashboard")
    assert User.objects.filter(username="lin").exists()
    assert client.get(reverse("quiz:dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "lin", "password1": "short", "password2": "short"}, "This password is too short."),
        ({"username": "lin", "password1": "password123", "password2": "password123"}, "too common"),
        ({"username": "lin", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"}, "didn’t match"),
        ({"username": "", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, "This field is required."),
        ({"username": "bad name!", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, "Enter a valid username."),
        (
            {"username": "lin", "email": "not-an-email", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
            "Enter a valid email address.",
        ),
    ],
)
def test_bad_signup_shows_the_error_and_creates_nothing(client, data, message):
    response = client.post(reverse("signup"), data)

    assert response.status_code == 400
    assert message in response.text
    assert not User.objects.filter(username="lin").exists()


def test_signup_refuses_a_taken_username(client, user):
    taken_name = client.post(
        reverse("signup"), {"username": "ada", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert "A user with that username already exists." in taken_name.text
    assert User.objects.count() == 1


def test_login_lands_on_the_dashboard(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": "correct horse battery"})

    assert response["Location"] == reverse("quiz:dashboard")


def test_wrong_password_is_a_clear_error(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client_logged_in):
    assert client_logged_in.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client_logged_in.session

    client_logged_in.post(reverse("logout"))

    assert "_auth_user_id" not in client_logged_in.session


def test_signed_in_pages_require_login(client):
    for name in ("quiz:dashboard", "quiz:practice", "quiz:mock", "quiz:review", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


def test_anonymous_home_explains_the_product_and_members_go_to_the_dashboard(client, user):
    landing = client.get(reverse("quiz:home"))
    assert "Walk into your deep-learning interview ready." in landing.text

    client.force_login(user)
    assert client.get(reverse("quiz:home"))["Location"] == reverse("quiz:dashboard")


def test_password_change(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {"old_password": "correct horse battery", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_password_change_with_a_wrong_old_password_changes_nothing(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert "Your old password was entered incorrectly." in response.text
    user.refresh_from_db()
    assert user.check_password("correct horse battery")


def test_password_reset_by_email(client, user):
    user.email = "ada@example.com"
    user.save()

    client.post(reverse("password_reset"), {"email": "ada@example.com"})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.text
    assert mail.outbox == []
