"""The real question bank: size, seed coverage, completeness, math, and every page in both languages."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils.html import escape

from quiz.models import Choice, KeyPoint, Question, Term, Topic
from quiz.rendering import math_problems

pytestmark = pytest.mark.django_db


def test_at_least_300_active_questions_in_at_least_12_topics():
    active = Question.objects.active()

    assert active.count() >= 300
    assert Topic.objects.filter(questions__in=active).distinct().count() >= 12


def test_every_seed_question_is_in_the_bank_once():
    seeds = Counter(Question.objects.active().exclude(seed=None).values_list("seed", flat=True))

    assert sorted(seeds) == list(range(1, 50))
    assert set(seeds.values()) == {1}


def test_no_two_questions_share_a_prompt():
    for language in ("en", "zh"):
        prompts = Counter(
            p.strip().lower()
            for p in Question.objects.filter(archived=False).values_list(f"prompt_{language}", flat=True)
        )
        assert [p for p, n in prompts.items() if n > 1] == []


def test_every_question_is_complete_in_both_languages():
    points = Counter(KeyPoint.objects.filter(archived=False).values_list("question_id", flat=True))
    incomplete = []
    for question in Question.objects.active().prefetch_related("drills__choices"):
        texts = [question.prompt_en, question.prompt_zh, question.answer_en, question.answer_zh]
        drills = list(question.drills.all())
        if (
            not all(t.strip() for t in texts)
            or not 3 <= points[question.pk] <= 6
            or not drills
            or any(len(d.choices.all()) != 4 or sum(c.is_correct for c in d.choices.all()) != 1 for d in drills)
        ):
            incomplete.append(question.slug)
    assert incomplete == []


def test_every_formula_renders_to_mathml():
    problems = []
    for question in Question.objects.filter(archived=False):
        for field in ("prompt_en", "prompt_zh", "answer_en", "answer_zh"):
            problems += [f"{question.slug}.{field}: {p}" for p in math_problems(getattr(question, field))]
    for choice in Choice.objects.all():
        problems += [f"choice {choice.pk}: {p}" for p in math_problems(choice.text_en) + math_problems(choice.text_zh)]
    assert problems == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_question_page_renders(client, language):
    client.cookies["django_language"] = language
    broken = []
    for question in Question.objects.active():
        response = client.get(question.get_absolute_url())
        expected = question.prompt_zh if language == "zh-hans" else question.prompt_en
        if response.status_code != 200 or f"<h1>{escape(expected)}</h1>" not in response.text:
            broken.append(question.slug)
    assert broken == []


def test_the_glossary_has_150_bilingual_terms_and_is_browsable(client):
    terms = Term.objects.all()
    assert terms.count() >= 150
    assert all(t.term_en.strip() and t.term_zh.strip() and t.definition_en and t.definition_zh for t in terms)

    page = client.get(reverse("quiz:glossary"))
    assert page.text.count('class="glossary-entry"') == terms.count()


def test_glossary_terms_are_explained_in_answers(client):
    question = Question.objects.get(seed=6)  # overfitting

    page = client.get(question.get_absolute_url()).text

    assert 'class="term"' in page
    assert "data-tip=" in page
