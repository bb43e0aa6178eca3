"""Bank edits never change what a past answer meant (probe D4, D14): the reproduction of the probe's
re-import with swapped key points, a reworded point, reversed options and swapped drills."""

import copy

import pytest
from django.urls import reverse

from quiz.models import Attempt, Mode, Question
from tests.factories import make_user
from tests.test_bank import bilingual, key_point, run_import, topic_document, valid_question, write

pytestmark = pytest.mark.django_db


def two_drill_question():
    question = valid_question("edited-question")
    question["drills"].append(
        {
            "prompt": bilingual("Which two?"),
            "options": [bilingual("w"), bilingual("x"), {**bilingual("y"), "correct": True}, bilingual("z")],
            "explanation": bilingual("Because y."),
        }
    )
    return question


def test_a_reordered_and_reworded_bank_leaves_past_answers_as_they_were(tmp_path, client):
    folder = tmp_path / "questions"
    original = two_drill_question()
    write(folder, "test-topic.yaml", topic_document(original))
    run_import(folder)
    question = Question.objects.get(slug="edited-question")
    user = make_user()
    recall = Attempt.objects.create(user=user, question=question, mode=Mode.RECALL, answer_text="alpha", rating=3)
    for point in question.key_points.all():
        recall.key_point_marks.create(
            key_point=point, detected=point.text_en == "alpha", ticked=point.text_en == "alpha"
        )
    first_drill = question.drills.get(position=1)
    right = first_drill.choices.get(text_en="b")
    drill = Attempt.objects.create(
        user=user, question=question, mode=Mode.DRILL, drill=first_drill, choice=right, score=1.0, rating=3
    )

    edited = copy.deepcopy(original)
    alpha, beta, _gamma = edited["key_points"]
    edited["key_points"] = [beta, alpha, key_point("gamma, reworded")]
    edited["drills"][0]["options"].reverse()
    edited["drills"].reverse()
    write(folder, "test-topic.yaml", topic_document(edited))
    run_import(folder)

    recall.refresh_from_db()
    drill.refresh_from_db()
    assert [m.key_point.text_en for m in recall.key_point_marks.filter(ticked=True)] == ["alpha"]
    assert sorted(m.key_point.text_en for m in recall.key_point_marks.all()) == ["alpha", "beta", "gamma"]
    assert drill.choice.text_en == "b"
    assert drill.choice.is_correct
    assert drill.drill.prompt_en == "Which one?"
    assert [k.text_en for k in question.key_points.filter(archived=False)] == ["beta", "alpha", "gamma, reworded"]
    assert [d.prompt_en for d in question.drills.filter(archived=False)] == ["Which two?", "Which one?"]

    client.force_login(user)
    export = client.get(reverse("quiz:export_history", args=["csv"])).content.decode()
    drill_row = next(line for line in export.splitlines() if ",drill," in line)
    assert ",b,True," in drill_row
    recall_row = next(line for line in export.splitlines() if ",recall," in line)
    assert ",alpha," in recall_row


def test_reimporting_an_unchanged_bank_changes_nothing(tmp_path):
    folder = tmp_path / "questions"
    write(folder, "test-topic.yaml", topic_document(two_drill_question(), valid_question("other")))
    run_import(folder)

    assert "0 rows created, 0 updated, 0 archived" in run_import(folder)


def test_a_retired_question_stays_readable_and_says_so(client):
    question = Question.objects.active().first()
    Question.objects.filter(pk=question.pk).update(archived=True)

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert "This question was retired from the bank" in response.text
