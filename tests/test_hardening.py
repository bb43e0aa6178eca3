"""Defects found by the December probe (shared/reports/security-2026-12.md): each one pinned."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from quiz.models import Attempt, MockInterview, MockItem, PracticeSession
from tests.factories import make_mock, make_question

pytestmark = pytest.mark.django_db


def test_flag_toggle_with_a_bare_word_as_next_goes_to_the_question(client_logged_in):  # D5
    question = make_question()

    response = client_logged_in.post(reverse("quiz:flag_question", args=[question.slug]), {"next": "abc"})

    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()


@pytest.mark.parametrize("topic_id", ["9223372036854775808", "1" * 40, "٣", "-1"])
def test_impossible_topic_ids_are_a_400_that_creates_nothing(client_logged_in, topic_id):  # D6
    practice = client_logged_in.post(reverse("quiz:start_practice"), {"mode": "recall", "size": 5, "topics": topic_id})
    mock = client_logged_in.post(reverse("quiz:start_mock"), {"length": 5, "mix": "balanced", "topics": topic_id})

    assert practice.status_code == 400
    assert mock.status_code == 400
    assert not PracticeSession.objects.exists()
    assert not MockInterview.objects.exists()


@pytest.mark.parametrize("go", ["²", "①", "9" * 5000, "0", "99"])
def test_mock_save_with_a_strange_go_stays_on_the_question(client_logged_in, user, go):  # D7
    mock = make_mock(user=user, questions=[make_question(), make_question()])

    response = client_logged_in.post(reverse("quiz:save_mock_answer", args=[mock.pk, 1]), {"answer": "x", "go": go})

    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:mock_question", args=[mock.pk, 1])


def test_a_follow_up_cannot_be_saved_before_its_question_is_answered(client_logged_in, user):  # D13
    parent, follow_up = make_question(), make_question()
    mock = make_mock(user=user, questions=[parent])
    MockItem.objects.create(mock=mock, position=2, question=follow_up, parent=mock.items.get(position=1))

    response = client_logged_in.post(reverse("quiz:save_mock_answer", args=[mock.pk, 2]), {"answer": "early"})

    assert response.status_code == 404
    assert mock.items.get(position=2).answer_text == ""


def test_csv_export_neutralises_formula_cells(client_logged_in, user):  # D11
    question = make_question()
    for text in ["=1+1", "+SUM(1,2)", "-2+3", "@SUM(1)"]:
        Attempt.objects.create(user=user, question=question, mode="recall", answer_text=text, rating=3)

    body = client_logged_in.get(reverse("quiz:export_history", args=["csv"])).content.decode()

    for text in ["=1+1", "+SUM(1,2)", "-2+3", "@SUM(1)"]:
        assert f"'{text}" in body
        assert f",{text}," not in body


@pytest.mark.parametrize("name", ["quiz:home", "quiz:topics", "quiz:glossary"])
def test_head_is_allowed_on_public_pages(client, name):  # D12
    assert client.head(reverse(name)).status_code == 200


def test_personal_pages_and_exports_are_not_cached(client_logged_in):  # D10 (caching part)
    for url in [reverse("quiz:dashboard"), reverse("quiz:export_history", args=["csv"]), reverse("quiz:history")]:
        response = client_logged_in.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "camera=()" in response["Permissions-Policy"]


def test_every_page_carries_a_strict_content_security_policy(client, client_logged_in):  # D10 (CSP)
    for browser, url in [(client, reverse("quiz:home")), (client_logged_in, reverse("quiz:dashboard"))]:
        policy = browser.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy


def test_no_template_has_inline_script_style_or_event_handlers():  # D10: what the CSP would block
    offenders = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+=", r"\sstyle=", r"<style"):
            if re.search(pattern, text):
                offenders.append(f"{path}: {pattern}")
    assert offenders == []
