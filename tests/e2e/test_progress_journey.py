"""Answer a few questions, watch the dashboard change, set an interview date, review weak topics."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from quiz.models import Question, Topic

pytestmark = pytest.mark.e2e


def test_dashboard_follows_practice_and_weak_topic_review_starts(page, axe):
    User.objects.create_user(username="ren", password="progress-journey-2026")
    total = Question.objects.active().count()
    topic = Topic.objects.get(slug="cnn")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("ren")
    page.get_by_label("Password").fill("progress-journey-2026")
    page.get_by_role("button", name="Log in").click()

    # Day one: a first step instead of a dashboard of zeros.
    expect(page.get_by_role("heading", name="Start here")).to_be_visible()
    expect(page.get_by_role("button", name="Learn my first 10 questions")).to_be_visible()
    expect(page.locator("svg")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Review", exact=True).click()
    expect(page.get_by_text("Nothing is weak yet")).to_be_visible()
    cnn_row = page.locator("table.readiness tr", has_text=topic.name_en)

    # Three quick drills in one topic, answered with the keyboard.
    page.goto("/practice/")
    page.get_by_label(topic.name_en).check()
    page.get_by_label("Quick drill").check()
    page.get_by_label("Questions").select_option("5")
    page.get_by_role("button", name="Start practising").click()
    for number in (1, 2, 3):
        expect(page.get_by_text(f"Question {number} of 5")).to_be_visible()
        expect(page.locator("#question-card")).to_be_focused()  # the keyboard script is ready
        page.keyboard.press("2")
        expect(page.get_by_role("status").filter(has_text=re.compile("Correct!|Not quite."))).to_be_visible()
        page.keyboard.press(" ")
    expect(page.get_by_text("Question 4 of 5")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.locator(".figures")).to_contain_text(f"3 / {total}")
    expect(page.locator(".figures div", has_text="Answers this week")).to_contain_text("3")
    expect(cnn_row).to_contain_text(f"3 / {topic.questions.active().count()}")
    expect(page.locator(".heat:not(.heat-0)")).to_have_count(1)
    accuracy_chart = page.locator("section", has=page.get_by_role("heading", name="Accuracy per week"))
    accuracy_chart.get_by_text("Show the data").click()
    expect(accuracy_chart.locator("tbody tr").last).to_contain_text("3")
    axe(page)

    # The interview date.
    page.get_by_role("link", name="Set your interview date").click()
    day = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Interview date").fill(day.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    axe(page)
    page.goto("/dashboard/")
    expect(page.get_by_text("in 14 days")).to_be_visible()
    expect(page.get_by_role("columnheader", name="On interview day")).to_be_visible()

    page.get_by_role("link", name="Review", exact=True).click()
    axe(page)
    expect(page.locator(".weak-card")).to_have_count(1)  # only the practised topic can be weak
    expect(page.locator(".weak-card")).to_contain_text(topic.name_en)
    expect(page.get_by_role("heading", name="Not started")).to_be_visible()
    page.get_by_role("button", name="Review weak topics").click()
    expect(page.get_by_text(re.compile(r"Question 1 of \d+"))).to_be_visible()
