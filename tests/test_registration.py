"""Sign-up and Settings never say which addresses have accounts (D8); an address works for resets once confirmed."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "tensor-flow-42-graph"


def sign_up(client, username, email):
    data = {"username": username, "email": email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("signup"), data, follow=True)


def link_in(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


def visible_text(response, email, username):
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", response.text)
    return text.replace(email, "EMAIL").replace(username, "USER")


def test_signup_with_a_taken_address_looks_exactly_like_one_with_a_free_address(client, user):
    user.email = "ada@example.com"
    user.save()

    free = sign_up(client, "zhoulin", "lin@example.com")
    client.logout()
    taken = sign_up(client, "zhaomoo", "ADA@example.com")

    assert free.status_code == taken.status_code == 200
    assert free.redirect_chain == taken.redirect_chain
    assert "We sent a message to lin@example.com" in free.text
    assert visible_text(free, "lin@example.com", "zhoulin") == visible_text(taken, "ADA@example.com", "zhaomoo")
    assert User.objects.get(username="zhaomoo").email == ""
    # The owner of the taken address hears about it; the newcomer does not get the address.
    assert [m.to for m in mail.outbox] == [["lin@example.com"], ["ADA@example.com"]]
    assert "already belongs to your account “ada”" in mail.outbox[1].body
    assert "/accounts/confirm-email/" not in mail.outbox[1].body


def test_the_link_attaches_the_address_and_then_password_reset_reaches_it(client):
    sign_up(client, "lin", "lin@example.com")
    client.logout()
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert User.objects.get(username="lin").email == ""  # a GET (a mail scanner) changes nothing
    assert "Use lin@example.com to reset the password" in page.text
    client.post(link)

    assert User.objects.get(username="lin").email == "lin@example.com"
    client.post(reverse("password_reset"), {"email": "lin@example.com"})
    assert "/accounts/reset/" in mail.outbox[-1].body


def test_an_unconfirmed_address_gets_no_reset_mail(client):
    sign_up(client, "lin", "lin@example.com")
    client.logout()
    mail.outbox.clear()

    response = client.post(reverse("password_reset"), {"email": "lin@example.com"}, follow=True)

    assert "Check your email" in response.text
    assert mail.outbox == []


def test_a_forged_or_tampered_link_is_a_clear_400_and_changes_nothing(client):
    sign_up(client, "lin", "lin@example.com")
    link = link_in(mail.outbox[0])

    forged = client.post(link.replace("lin", "lim", 1) if "lin" in link else link[:-3] + "xx/")
    junk = client.get(reverse("confirm_email", args=["not-a-token"]))

    assert forged.status_code == junk.status_code == 400
    assert "not valid or has expired" in junk.text
    assert User.objects.get(username="lin").email == ""


def test_a_link_for_an_address_another_account_confirmed_first_is_refused(client, user):
    sign_up(client, "lin", "shared@example.com")
    link = link_in(mail.outbox[0])
    user.email = "shared@example.com"
    user.save()

    response = client.post(link)

    assert response.status_code == 409
    assert "Another account already uses this address" in response.text
    assert User.objects.get(username="lin").email == ""


def test_settings_sends_a_link_and_keeps_the_old_address_until_it_is_opened(client_logged_in, user):
    user.email = "old@example.com"
    user.save()

    response = client_logged_in.post(reverse("quiz:change_email"), {"email": "new@example.com"}, follow=True)

    assert "We sent a message to new@example.com" in response.text
    assert "Password-reset links go to old@example.com" in response.text
    client_logged_in.post(link_in(mail.outbox[0]))
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_settings_rejects_a_bad_address_with_a_message(client_logged_in):
    response = client_logged_in.post(reverse("quiz:change_email"), {"email": "nope"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert mail.outbox == []


def test_change_email_needs_a_login_and_a_post(client, client_logged_in):
    assert client.post(reverse("quiz:change_email"), {"email": "a@example.com"}).status_code == 302
    assert client_logged_in.get(reverse("quiz:change_email")).status_code == 405
