"""Staff edit the bank and read problem reports in the admin."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from quiz.models import Drill, ProblemReport, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "editor-password-1"))
    return client


def test_question_change_page_has_key_point_drill_and_follow_up_inlines(staff_client):
    question = Question.objects.get(seed=27)

    page = staff_client.get(reverse("admin:quiz_question_change", args=[question.pk]))

    assert page.status_code == 200
    for inline in ("key_points", "drills", "follow_ups"):
        assert f'id="{inline}-group"' in page.text


def test_drill_choices_need_exactly_one_correct_option(staff_client):
    drill = Drill.objects.filter(question__seed=27).first()
    choices = list(drill.choices.all())
    data = {
        "question": drill.question_id,
        "position": drill.position,
        "prompt_en": drill.prompt_en,
        "prompt_zh": drill.prompt_zh,
        "explanation_en": drill.explanation_en,
        "explanation_zh": drill.explanation_zh,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(choices):
        data |= {
            f"choices-{index}-id": choice.pk,
            f"choices-{index}-drill": drill.pk,
            f"choices-{index}-position": choice.position,
            f"choices-{index}-text_en": choice.text_en,
            f"choices-{index}-text_zh": choice.text_zh,
        }  # no option ticked as correct

    response = staff_client.post(reverse("admin:quiz_drill_change", args=[drill.pk]), data)

    assert response.status_code == 200
    assert "Mark exactly one option as correct." in response.text
    assert drill.choices.filter(is_correct=True).count() == 1


def test_problem_reports_are_listed_for_staff(staff_client, user):
    ProblemReport.objects.create(user=user, question=Question.objects.get(seed=8), kind="wrong", details="FFT")

    page = staff_client.get(reverse("admin:quiz_problemreport_changelist"))

    assert page.status_code == 200
    assert "The answer is wrong" in page.text


def test_the_admin_is_for_staff_only(client_logged_in):
    response = client_logged_in.get(reverse("admin:quiz_problemreport_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
