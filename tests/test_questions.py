"""The public bank pages and problem reports (checklist from shared/STYLE.md)."""

import pytest
from django.urls import reverse

from quiz.models import ProblemReport, Question, Term, Topic

pytestmark = pytest.mark.django_db


def test_topic_list_shows_every_topic_with_counts(client):
    response = client.get(reverse("quiz:topics"))

    assert response.status_code == 200
    for topic in Topic.objects.with_question_counts():
        assert topic.name_en in response.text
        assert f"{topic.question_count} question" in response.text


def test_topic_page_lists_its_active_questions(client):
    topic = Topic.objects.get(slug="activation-functions")
    archived = topic.questions.active().last()
    archived.archived = True
    archived.save()

    response = client.get(reverse("quiz:topic", args=[topic.slug]))

    assert response.status_code == 200
    for question in topic.questions.active():
        assert question.get_absolute_url() in response.text
    assert archived.get_absolute_url() not in response.text


def test_unknown_topic_and_question_are_404(client):
    assert client.get(reverse("quiz:topic", args=["no-such-topic"])).status_code == 404
    assert client.get(reverse("quiz:question", args=["no-such-question"])).status_code == 404


def test_question_page_shows_prompt_answer_math_key_points_and_drill(client):
    question = Question.objects.get(seed=27)  # softmax

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert question.prompt_en in response.text
    assert "<math" in response.text
    for point in question.key_points.filter(archived=False):
        assert point.text_en.split("$")[0].strip()[:20] in response.text
    drill = question.drills.first()
    assert drill.choices.get(is_correct=True).text_en.split("$")[0][:15] in response.text


def test_question_page_follows_the_language(client):
    question = Question.objects.get(seed=1)
    client.cookies["django_language"] = "zh-hans"

    response = client.get(question.get_absolute_url())

    assert question.prompt_zh in response.text
    assert "参考答案" in response.text


def test_an_archived_question_is_not_listed_in_its_topic(client):
    question = Question.objects.get(seed=2)
    question.archived = True
    question.save()

    assert question.get_absolute_url() not in client.get(question.topic.get_absolute_url()).text


def test_question_pages_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    question = Question.objects.get(seed=27)
    with django_assert_max_num_queries(12):
        client.get(question.get_absolute_url())


# --- report a problem ------------------------------------------------------------------------


def report_url(question):
    return reverse("quiz:report_problem", args=[question.slug])


def test_report_is_stored_and_thanked(client_logged_in, user):
    question = Question.objects.get(seed=8)

    response = client_logged_in.post(report_url(question), {"kind": "wrong", "details": "FFT is wrong"}, follow=True)

    report = ProblemReport.objects.get()
    assert (report.user, report.question, report.kind, report.details) == (user, question, "wrong", "FFT is wrong")
    assert "Thank you" in response.text


def test_report_htmx_twin_returns_only_the_fragment(client_logged_in):
    question = Question.objects.get(seed=8)

    response = client_logged_in.post(report_url(question), {"kind": "unclear"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.strip().startswith('<section id="report-problem"')
    assert "<html" not in response.text
    assert ProblemReport.objects.count() == 1


def test_report_requires_login(client):
    question = Question.objects.get(seed=8)

    response = client.post(report_url(question), {"kind": "wrong"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ProblemReport.objects.exists()


def test_report_rejects_get(client_logged_in):
    assert client_logged_in.get(report_url(Question.objects.get(seed=8))).status_code == 405


def test_report_without_a_kind_is_a_clear_400_and_writes_nothing(client_logged_in):
    response = client_logged_in.post(report_url(Question.objects.get(seed=8)), {"kind": "", "details": "x"})

    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not ProblemReport.objects.exists()


def test_report_for_an_unknown_question_is_404(client_logged_in):
    assert client_logged_in.post(reverse("quiz:report_problem", args=["nope"]), {"kind": "wrong"}).status_code == 404


def test_reports_are_rate_limited_per_user(client_logged_in, other_user, client, settings):
    settings.REPORTS_PER_HOUR = 2
    question = Question.objects.get(seed=8)
    for _ in range(2):
        client_logged_in.post(report_url(question), {"kind": "other"})

    response = client_logged_in.post(report_url(question), {"kind": "other"})

    assert response.status_code == 429
    assert "many reports in the last hour" in response.text
    assert ProblemReport.objects.count() == 2
    client.force_login(other_user)
    assert client.post(report_url(question), {"kind": "other"}).status_code == 302


def test_glossary_lists_terms_in_both_languages(client):
    Term.objects.create(
        slug="test-term", term_en="test term", term_zh="测试术语", definition_en="Defined.", definition_zh="定义。"
    )

    response = client.get(reverse("quiz:glossary"))

    assert response.status_code == 200
    assert 'id="term-test-term"' in response.text
    assert "测试术语" in response.text
    assert "Defined." in response.text
