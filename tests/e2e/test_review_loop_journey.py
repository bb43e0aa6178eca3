"""The Anki-style review loop, keyboard only: Space reveals from an empty box, the rating bar stays on
screen, a card rated Again comes back before the session ends, Ctrl+Z takes a rating back."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from quiz.models import Attempt, SessionItem, Topic

pytestmark = pytest.mark.e2e


@pytest.fixture
def reviewer(page, live_server):
    user = User.objects.create_user(username="mei", password="review-loop-2026")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill("review-loop-2026")
    page.get_by_role("button", name="Log in").click()
    return user


def start_learning(page, topic, size):
    page.goto("/practice/")
    page.get_by_label(topic.name_en).check()
    page.get_by_label("Learn new").check()
    page.get_by_label("Questions").select_option(str(size))
    page.get_by_role("button", name="Start practising").click()


def reveal_with_space(page):
    box = page.get_by_label("Your answer (optional)")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    page.keyboard.press(" ")
    expect(page.get_by_text("Which key points did you cover?")).to_be_visible()
    for rating in ("Again", "Hard", "Good", "Easy"):
        expect(page.locator(".answer-bar .rating", has_text=rating)).to_be_in_viewport()


def test_again_comes_back_then_ctrl_z_takes_the_last_rating_back(page, reviewer, axe):
    topic = Topic.objects.get(slug="rnn")
    start_learning(page, topic, 5)
    items = list(SessionItem.objects.filter(session__user=reviewer).order_by("position")[:3])
    SessionItem.objects.filter(session__user=reviewer, position__gt=3).delete()  # a session of three cards
    page.reload()

    reveal_with_space(page)
    axe(page)
    page.keyboard.press("1")  # Again: a 1-minute learning step
    for number in (2, 3):
        expect(page.get_by_text(f"Question {number} of 3")).to_be_visible()
        reveal_with_space(page)
        page.keyboard.press("4")  # Easy graduates a new card

    # Nothing else is left: the step is within the learn-ahead limit, so the card is shown at once.
    expect(page.get_by_text("Once more: a learning step")).to_be_visible()
    expect(page.locator(".card-prompt")).to_have_text(items[0].question.prompt_en)
    reveal_with_space(page)
    page.keyboard.press("3")
    expect(page.get_by_text("Once more: a learning step")).to_be_visible()  # Good: the 10-minute step
    reveal_with_space(page)
    page.keyboard.press("4")
    expect(page.get_by_role("heading", name="Session complete")).to_be_visible()
    assert Attempt.objects.filter(user=reviewer).count() == 5

    page.keyboard.press("Control+z")
    expect(page.get_by_text("Rating undone")).to_be_visible()
    expect(page.locator(".card-prompt")).to_have_text(items[0].question.prompt_en)
    assert Attempt.objects.filter(user=reviewer).count() == 4
    page.goto("/history/")
    expect(page.locator("table.history tbody tr")).to_have_count(4)


def test_the_rating_bar_is_on_screen_on_a_phone(page, reviewer, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    start_learning(page, Topic.objects.get(slug="transformers"), 5)

    reveal_with_space(page)
    axe(page)
    page.keyboard.press("3")
    expect(page.get_by_text("Question 2 of 5")).to_be_visible()

    # Ctrl+Z from the next card's empty answer box takes the rating back.
    page.keyboard.press("Control+z")
    expect(page.get_by_text("Rating undone")).to_be_visible()
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    assert not Attempt.objects.filter(user=reviewer).exists()


def test_start_practising_is_a_few_key_presses_away(page, reviewer):
    page.goto("/practice/")
    presses = 0
    while not page.evaluate("document.activeElement.id === 'practice-start'") and presses < 40:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.dataset.focusTarget === '#practice-start'"):
            page.keyboard.press("Enter")
            presses += 1

    assert page.evaluate("document.activeElement.id") == "practice-start"
    assert presses <= 12, presses  # it took 29 before the skip link
