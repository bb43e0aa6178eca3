"""A learner types answers and sees why the app ticked or refused each key point: the matched words,
and a misconception named when the answer states one — on a desktop in English and a phone in Chinese."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from quiz.models import KeyPoint
from tests.factories import make_question, make_topic

pytestmark = pytest.mark.e2e

POINTS = (
    (
        "Dropout is switched off at inference",
        ["inference|test time + off|disabl|switched off"],
        ["推理|测试 + 关闭|不用"],
    ),
    ("Each unit is dropped at random with probability p", ["probability p|rate p + drop*|zero*"], ["概率 + 丢弃|置零"]),
    ("Kept units are scaled by 1/(1-p)", ["scale|rescal + 1/(1-p)|keep prob*"], ["缩放|放大 + 1/(1-p)"]),
)


@pytest.fixture
def dropout_topic(transactional_db):
    topic = make_topic()
    question = make_question(topic=topic, prompt="How does dropout work?", key_points=POINTS)
    KeyPoint.objects.filter(question=question, position=1).update(
        misconceptions=[
            {
                "en": "Dropout stays on at inference",
                "zh": "推理时 Dropout 仍然开启",
                "keywords_en": ["keep|still|remain + dropout|it + inference|test time"],
                "keywords_zh": ["推理|测试 + 仍然|继续|保持 + dropout|丢弃"],
            }
        ]
    )
    return topic


def sign_in(page):
    User.objects.create_user(username="mei", password="evidence-2026")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill("evidence-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def start_session(page, topic_name, *, new="Learn new", questions="Questions", start="Start practising"):
    page.goto("/practice/")
    page.get_by_label(topic_name).check()
    page.get_by_label(new).check()
    page.get_by_role("button", name=start).click()


def test_evidence_and_misconceptions_in_english_on_a_desktop(page, live_server, dropout_topic, axe):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page)
    start_session(page, dropout_topic.name_en)

    expect(page.get_by_label("Your answer (optional)")).to_be_focused()
    page.keyboard.type("Each unit is zeroed with probability p. At test time we still keep dropout running.")
    page.keyboard.press("Control+Enter")

    expect(page.locator("mark.evidence").first).to_be_visible()
    expect(page.locator("mark.contradiction").first).to_be_visible()
    expect(page.locator(".badge-contradicted")).to_have_count(1)
    expect(page.get_by_text("Your answer says: Dropout stays on at inference")).to_be_visible()
    expect(page.locator(".badge-detected")).to_have_count(1)
    expect(page.get_by_text(re.compile(r"from your answer: “.*probability p"))).to_be_visible()
    expect(page.locator(".rating.suggested")).to_have_text(re.compile("Again"))
    axe(page)
    # The user can still correct every tick; the suggestion follows the ticks (a misconception keeps Again).
    page.locator('input[name="points"]').nth(2).check()
    expect(page.locator(".rating.suggested")).to_have_text(re.compile("Again"))


def test_evidence_in_chinese_on_a_phone(page, live_server, dropout_topic, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    page.get_by_role("button", name="中文").click()
    start_session(page, dropout_topic.name_en, new="学习新题", start="开始练习")

    expect(page.locator("textarea[name=answer]")).to_be_focused()
    page.keyboard.type("推理时关闭 dropout；训练时按概率 p 随机丢弃神经元。")
    page.keyboard.press("Control+Enter")

    expect(page.locator(".badge-detected")).to_have_count(2)
    expect(page.locator("mark.evidence").first).to_be_visible()
    expect(page.locator('input[name="points"]:checked')).to_have_count(2)
    expect(page.locator(".rating.suggested")).to_have_count(1)
    axe(page)
