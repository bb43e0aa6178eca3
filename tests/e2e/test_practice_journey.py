"""A learner practises three questions with the keyboard only, then checks history and due times."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from quiz.models import Attempt, Card, Topic
from tests.factories import answer_stating

pytestmark = pytest.mark.e2e


@pytest.fixture
def learner(page, live_server):
    User.objects.create_user(username="kai", password="keyboard-only-2026")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kai")
    page.get_by_label("Password").fill("keyboard-only-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    return User.objects.get(username="kai")


def test_three_questions_by_keyboard_then_history_and_next_reviews(page, learner, axe):
    topic = Topic.objects.get(slug="activation-functions")
    first = topic.questions.active().order_by("position").first()
    points = list(first.key_points.filter(archived=False))
    typed = answer_stating(points[:2])

    page.goto("/practice/")
    axe(page)
    page.get_by_label(topic.name_en).check()
    expect(page.locator("#practice-modes")).to_contain_text(f"{topic.questions.active().count()} unseen")
    page.get_by_label("Learn new").check()
    page.get_by_label("Questions").select_option("5")
    page.get_by_role("button", name="Start practising").click()

    # 1: type an answer (the box has focus), Ctrl+Enter reveals, detected points are pre-ticked.
    answer_box = page.get_by_label("Your answer (optional)")
    expect(answer_box).to_be_focused()
    page.keyboard.type(typed)
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("Which key points did you cover?")).to_be_visible()
    expect(page.locator(".badge-detected")).to_have_count(2)
    expect(page.locator('input[name="points"]:checked')).to_have_count(2)
    expect(page.locator(".rating.suggested")).to_have_count(1)
    axe(page)
    page.keyboard.press("3")

    # 2: leave the box with Esc, Space reveals, 1 rates Again.
    expect(page.get_by_text("Question 2 of 5")).to_be_visible()
    expect(page.get_by_label("Your answer (optional)")).to_be_focused()
    page.keyboard.press("Escape")
    page.keyboard.press(" ")
    expect(page.get_by_text("Which key points did you cover?")).to_be_visible()
    page.keyboard.press("1")

    # 3: Space reveals, Space rates Good.
    expect(page.get_by_text("Question 3 of 5")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press(" ")
    expect(page.get_by_text("Which key points did you cover?")).to_be_visible()
    page.keyboard.press(" ")
    expect(page.get_by_text("Question 4 of 5")).to_be_visible()

    attempts = list(Attempt.objects.filter(user=learner).order_by("answered_at"))
    assert [a.rating for a in attempts] == [3, 1, 3]
    assert attempts[0].answer_text == typed
    assert attempts[0].key_point_marks.filter(detected=True, ticked=True).count() == 2
    assert Card.objects.filter(user=learner, last_review__isnull=False).count() == 3

    # The refresh keeps the place.
    page.reload()
    expect(page.get_by_text("Question 4 of 5")).to_be_visible()

    page.goto("/history/")
    axe(page)
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text(typed)
    expect(rows.last).to_contain_text("Good")
    expect(rows.nth(1)).to_contain_text("Again")
    expect(rows.first.locator("td").last).to_contain_text(re.compile(r"in \d+"))
