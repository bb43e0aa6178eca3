"""Password guessing is throttled (probe D3): django-axes locks a username from one address."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def guess(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, axes_on, url_name):
    User.objects.create_user(username="victim", password="the-right-password-2026", is_staff=True)
    url = reverse(url_name)
    statuses = [guess(client, url, "victim", "wrong").status_code for _ in range(5)]

    response = guess(client, url, "victim", "the-right-password-2026")

    assert statuses == [200, 200, 200, 200, 429]  # the fifth wrong password locks
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.text
    assert "15 minutes" in response.text
    assert "_auth_user_id" not in client.session


def test_a_few_mistakes_then_the_right_password_still_logs_in(client, axes_on):
    User.objects.create_user(username="typo", password="the-right-password-2026")
    for _ in range(3):
        guess(client, reverse("login"), "typo", "wrong")

    response = guess(client, reverse("login"), "typo", "the-right-password-2026")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lockout_is_undone_by_axes_reset(client, axes_on):
    from django.core.management import call_command

    User.objects.create_user(username="locked", password="the-right-password-2026")
    for _ in range(5):
        guess(client, reverse("login"), "locked", "wrong")
    call_command("axes_reset_username", "locked", verbosity=0)

    assert guess(client, reverse("login"), "locked", "the-right-password-2026").status_code == 302
