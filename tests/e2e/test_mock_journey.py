"""A short timed mock: answer one question, reload, let the time run out, read the report."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from quiz.models import Attempt, MockInterview
from tests.factories import answer_stating

pytestmark = pytest.mark.e2e


def test_answer_reload_and_let_the_time_run_out(page, settings, axe):
    settings.MOCK_TIME_LIMITS = [0.5, 10]  # a 30-second interview
    User.objects.create_user(username="lee", password="mock-interview-2026")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lee")
    page.get_by_label("Password").fill("mock-interview-2026")
    page.get_by_role("button", name="Log in").click()

    page.goto("/mock/")
    axe(page)
    page.get_by_label("Questions").select_option("5")
    page.get_by_label("Time limit").select_option("0.5")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("timer")).to_be_visible()
    axe(page)

    mock = MockInterview.objects.get(user__username="lee")
    first = mock.items.get(position=1)
    if first.drill_id:
        page.get_by_role("radio").first.check()
        typed = None
    else:
        points = first.question.key_points.filter(archived=False)
        typed = answer_stating(points[:2])
        page.get_by_label("Your answer").fill(typed)
    # Wait for the save that carries the confidence (a debounced save of the text alone may come first).
    with page.expect_response(lambda r: r.request.method == "POST" and "confidence=" in (r.request.post_data or "")):
        page.get_by_label("Sure", exact=True).check()
    expect(page.locator("#save-status")).to_contain_text("Saved at")

    before = page.locator("[data-countdown-clock]").inner_text()
    page.reload()
    if typed:
        expect(page.get_by_label("Your answer")).to_have_value(typed)
    else:
        expect(page.get_by_role("radio").first).to_be_checked()
    expect(page.get_by_label("Sure", exact=True)).to_be_checked()
    after = page.locator("[data-countdown-clock]").inner_text()
    assert re.fullmatch(r"0:[0-2]\d", after), after
    assert after <= before, "a reload must not restart the clock"
    expect(page.locator("a.map-answered")).to_have_count(1)

    # Let the clock run out: the page submits itself and lands on the report.
    expect(page.get_by_role("heading", name="Mock interview report")).to_be_visible(timeout=45_000)
    expect(page.get_by_text("Time ran out.")).to_be_visible()
    axe(page)
    results = page.locator("article.mock-result")
    expect(results.filter(has_text="Unanswered").first).to_be_visible()
    answered = page.locator("#result-1")
    if typed:
        expect(answered).to_contain_text(typed)
        expect(answered.locator(".badge-detected")).to_have_count(2)
    expect(answered).not_to_contain_text("Unanswered")

    mock.refresh_from_db()
    assert mock.finish_reason == "expired"
    attempt = Attempt.objects.get(mock_item__mock=mock, mock_item__position=1)
    assert attempt.confidence == 3
    assert not Attempt.objects.filter(mock_item__mock=mock, mock_item__position=2).exists()
