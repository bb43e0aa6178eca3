"""A new user signs up, logs in, switches to Chinese, reads a question with a formula, logs out."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from quiz.models import Question

pytestmark = pytest.mark.e2e

PASSWORD = "gradient-descent-2026"


def test_sign_up_switch_language_read_a_formula_and_log_out(page, axe):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("deep-learning interview")
    axe(page)

    page.get_by_role("link", name="Sign up").click()
    axe(page)
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("short")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    axe(page)
    assert not User.objects.filter(username="mei").exists()

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    axe(page)

    # Log out and back in through the login form.
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are logged out")
    axe(page)
    page.get_by_role("link", name="Log in again").click()
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("link", name="题库")).to_be_visible()

    page.get_by_role("link", name="题库").click()
    axe(page)
    softmax = Question.objects.get(seed=27)
    page.get_by_role("link", name=softmax.topic.name_zh).first.click()
    axe(page)
    page.get_by_role("link", name=softmax.prompt_zh).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(softmax.prompt_zh)
    formula = page.locator("math").first
    expect(formula).to_be_visible()
    box = formula.bounding_box()
    assert box["height"] > 10, "MathML should lay out as a formula, not collapse"
    axe(page)

    # The language sticks across pages and visits.
    page.goto("/questions/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("你已退出登录")
