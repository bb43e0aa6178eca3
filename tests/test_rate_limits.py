"""Sign-up and password-reset limits (D9), counted in the database so every app server agrees."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from quiz.models import RateLimit

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tensor-flow-42-graph"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        "signup": (3, 3600),
        "password_reset_client": (4, 3600),
        "password_reset_address": (2, 3600),
    }


def sign_up(client, username, address="203.0.113.7"):
    data = {"username": username, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    response = client.post(reverse("signup"), data, REMOTE_ADDR=address)
    client.logout()
    return response


def test_the_fourth_sign_up_from_one_address_in_an_hour_is_refused_with_a_clear_page(client, limits):
    first = [sign_up(client, f"user{n}").status_code for n in range(3)]
    refused = sign_up(client, "user4")

    assert first == [302, 302, 302]
    assert refused.status_code == 429
    assert "Too many accounts were created from your network." in refused.text
    assert "Try again in about" in refused.text
    assert int(refused["Retry-After"]) > 0
    assert not User.objects.filter(username="user4").exists()
    assert sign_up(client, "elsewhere", address="198.51.100.2").status_code == 302


def test_invalid_sign_ups_do_not_use_up_the_limit(client, limits):
    for _ in range(5):
        client.post(reverse("signup"), {"username": "x", "password1": "a", "password2": "b"}, REMOTE_ADDR="203.0.113.7")

    assert sign_up(client, "real").status_code == 302


def test_reset_mails_to_one_address_stop_at_the_limit_without_saying_so(client, user, limits):
    user.email = "ada@example.com"
    user.save()

    pages = [
        client.post(reverse("password_reset"), {"email": "ada@example.com"}, REMOTE_ADDR=f"198.51.100.{n}")
        for n in range(5)
    ]

    assert {page.status_code for page in pages} == {302}
    assert {page["Location"] for page in pages} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 2


def test_reset_requests_from_one_client_are_refused_after_the_limit(client, limits):
    statuses = [
        client.post(reverse("password_reset"), {"email": f"n{n}@example.com"}, REMOTE_ADDR="203.0.113.9").status_code
        for n in range(5)
    ]

    assert statuses == [302, 302, 302, 302, 429]


def test_counters_hold_hashes_not_addresses(client, user, limits):
    client.post(reverse("password_reset"), {"email": "ada@example.com"}, REMOTE_ADDR="203.0.113.9")

    keys = list(RateLimit.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(len(key) == 64 and "@" not in key and "203" not in key for key in keys)
