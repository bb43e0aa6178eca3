"""The bank files: validation (every rule), import (upsert, idempotent, all-or-nothing), export."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from quiz.bank import BankError, load_bank
from quiz.models import Attempt, Choice, KeyPoint, Question, Term, Topic
from tests.factories import make_user


def bilingual(en: str, zh: str | None = None) -> dict:
    return {"en": en, "zh": zh or f"{en}(中文)"}


def key_point(en: str) -> dict:
    return {**bilingual(en), "keywords": {"en": [en.lower()], "zh": [f"{en}词"]}}


def valid_question(slug: str = "first-question", **overrides) -> dict:
    question = {
        "slug": slug,
        "difficulty": "easy",
        "prompt": bilingual(f"What is {slug}?"),
        "answer": bilingual("It is $x^2$, and it costs \\$5."),
        "key_points": [key_point("alpha"), key_point("beta"), key_point("gamma")],
        "drills": [
            {
                "prompt": bilingual("Which one?"),
                "options": [bilingual("a"), {**bilingual("b"), "correct": True}, bilingual("c"), bilingual("d")],
                "explanation": bilingual("Because b."),
            }
        ],
        "follow_ups": [
            {"prompt": bilingual(f"And after {slug}?"), "answer": bilingual("More."), "key_points": [key_point("more")]}
        ],
    }
    question.update(overrides)
    return question


def topic_document(*questions, slug: str = "test-topic") -> dict:
    return {
        "topic": {"slug": slug, "order": 1, "name": bilingual("Test"), "description": bilingual("About tests")},
        "questions": list(questions) or [valid_question()],
    }


def write(folder: Path, name: str, document) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def problems_for(tmp_path, *questions) -> list[str]:
    path = write(tmp_path, "test-topic.yaml", topic_document(*questions))
    with pytest.raises(BankError) as caught:
        load_bank([path])
    return caught.value.problems


def test_a_valid_file_loads(tmp_path):
    path = write(tmp_path, "test-topic.yaml", topic_document(valid_question(seed=7)))

    bank = load_bank([path])

    assert [q.slug for q in bank.questions] == ["first-question"]
    assert bank.questions[0].seed == 7
    assert bank.questions[0].drills[0].options[1].correct


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"slug": "Not A Slug"}, "test-topic.yaml:Not A Slug: slug 'Not A Slug' must be lower-case"),
        ({"difficulty": "trivial"}, "difficulty 'trivial' must be one of easy, medium, hard"),
        ({"seed": 50}, "seed 50 must be a number from 1 to 49"),
        ({"prompt": {"en": "Only English"}}, "prompt.zh is missing or empty"),
        ({"answer": {"en": "", "zh": "中文"}}, "answer.en is missing or empty"),
        ({"key_points": [key_point("only"), key_point("two")]}, "has 2 key points, needs 3–6"),
        ({"key_points": [key_point(f"p{n}") for n in range(7)]}, "has 7 key points, needs 3–6"),
        ({"drills": []}, "needs at least one drill"),
        ({"answer": bilingual("Broken $\\frac{1}{$ formula")}, "answer.en: formula $\\frac{1}{$ does not render"),
        ({"answer": bilingual("Costs $5 only")}, "unpaired $"),
        ({"answer": bilingual("Uses $\\notacommand{x}$")}, "unknown command \\notacommand"),
        ({"follow_ups": [valid_question()["follow_ups"][0]] * 3}, "has 3 follow-ups, at most 2 allowed"),
    ],
)
def test_each_rule_names_file_question_and_problem(tmp_path, change, expected):
    problems = problems_for(tmp_path, valid_question(**change))

    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith("test-topic.yaml:") for problem in problems)


def test_keywords_are_required_in_both_languages(tmp_path):
    question = valid_question()
    question["key_points"][0]["keywords"] = {"en": ["alpha"], "zh": []}

    assert "test-topic.yaml:first-question: key_points[1] needs at least one zh keyword" in problems_for(
        tmp_path, question
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([bilingual("a"), bilingual("b"), bilingual("c"), bilingual("d")], "has 0 correct options, needs exactly one"),
        (
            [{**bilingual("a"), "correct": True}, {**bilingual("b"), "correct": True}, bilingual("c"), bilingual("d")],
            "has 2 correct options, needs exactly one",
        ),
        ([{**bilingual("a"), "correct": True}, bilingual("b"), bilingual("c")], "has 3 options, needs exactly 4"),
        (
            [{**bilingual("a"), "correct": True}, bilingual("b"), bilingual("b"), bilingual("d")],
            "two options have the same en text",
        ),
    ],
)
def test_drills_need_four_distinct_options_and_one_correct(tmp_path, options, expected):
    question = valid_question()
    question["drills"][0]["options"] = options

    assert any(expected in problem for problem in problems_for(tmp_path, question))


def test_rules_across_files(tmp_path):
    write(tmp_path, "a.yaml", topic_document(valid_question("same", seed=3), slug="topic-a"))
    write(tmp_path, "b.yaml", topic_document(valid_question("same", seed=3), slug="topic-a"))

    with pytest.raises(BankError) as caught:
        load_bank(sorted(tmp_path.glob("*.yaml")))

    problems = "\n".join(caught.value.problems)
    assert "b.yaml:topic: slug 'topic-a' is also used in a.yaml" in problems
    assert "slug is also used in a.yaml" in problems
    assert "seed 3 is also used by same" in problems
    assert "the en prompt of same repeats same" in problems


def test_invalid_yaml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("topic:\n  slug: x\n questions: [\n", encoding="utf-8")

    with pytest.raises(BankError) as caught:
        load_bank([path])

    assert caught.value.problems[0].startswith("broken.yaml: is not valid YAML (line")


def test_unquoted_colon_in_a_flow_mapping_gets_a_hint(tmp_path):
    question = valid_question()
    question["drills"][0]["options"][0] = {"en": "Masking", "zh": "掩码", "by adding minus infinity": None}

    assert any("quote text that contains ': '" in problem for problem in problems_for(tmp_path, question))


# --- import_questions ------------------------------------------------------------------------


def run_import(path: Path) -> str:
    out = StringIO()
    call_command("import_questions", str(path), stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_real_bank_is_loaded_for_every_test():
    assert Question.objects.active().count() >= 49
    assert set(Question.objects.exclude(seed=None).values_list("seed", flat=True)) == set(range(1, 50))


@pytest.mark.django_db
def test_import_creates_everything(tmp_path):
    run_import(write(tmp_path / "questions", "test-topic.yaml", topic_document(valid_question(seed=None))))

    question = Question.objects.get(slug="first-question")
    assert question.topic.slug == "test-topic"
    assert [k.text_en for k in question.key_points.all()] == ["alpha", "beta", "gamma"]
    assert question.drills.get().choices.get(is_correct=True).text_en == "b"
    follow_up = question.follow_ups.get()
    assert follow_up.slug == "first-question--follow-up-1"
    assert follow_up.key_points.get().keywords_en == ["more"]


@pytest.mark.django_db
def test_reimport_is_idempotent(tmp_path):
    folder = tmp_path / "questions"
    write(folder, "test-topic.yaml", topic_document(valid_question()))
    run_import(folder)
    rows_before = (Question.objects.count(), KeyPoint.objects.count(), Choice.objects.count())

    output = run_import(folder)

    assert "0 rows created, 0 updated" in output
    assert (Question.objects.count(), KeyPoint.objects.count(), Choice.objects.count()) == rows_before


@pytest.mark.django_db
def test_edits_never_rewrite_history_and_removed_questions_are_archived(tmp_path):
    folder = tmp_path / "questions"
    write(folder, "test-topic.yaml", topic_document(valid_question("kept"), valid_question("dropped")))
    run_import(folder)
    kept = Question.objects.get(slug="kept")
    user = make_user()
    attempt = Attempt.objects.create(user=user, question=kept, mode="recall", score=1)
    attempt.key_point_marks.create(key_point=kept.key_points.get(position=3), detected=True, ticked=True)
    Attempt.objects.create(user=user, question=Question.objects.get(slug="dropped"), mode="recall", score=0)

    edited = valid_question("kept", prompt=bilingual("What is kept, really?"))
    edited["key_points"] = [*edited["key_points"][:2], key_point("delta"), key_point("epsilon")]
    edited["drills"][0]["options"] = [
        {**bilingual("a"), "correct": True},
        bilingual("b"),
        bilingual("c"),
        bilingual("d"),
    ]
    write(folder, "test-topic.yaml", topic_document(edited))
    run_import(folder)

    kept.refresh_from_db()
    assert kept.prompt_en == "What is kept, really?"
    assert [k.text_en for k in kept.key_points.filter(archived=False)] == ["alpha", "beta", "delta", "epsilon"]
    assert kept.drills.get(archived=False).choices.get(is_correct=True).text_en == "a"
    assert kept.drills.filter(archived=True).count() == 1  # the old options, as past answers saw them
    assert Question.objects.get(slug="dropped").archived
    assert Attempt.objects.filter(user=user).count() == 2
    old_point = attempt.key_point_marks.get().key_point
    assert old_point.text_en == "gamma"  # what the answer ticked, not what position 3 says now
    assert old_point.archived


@pytest.mark.django_db
def test_a_question_back_in_the_files_is_unarchived(tmp_path):
    folder = tmp_path / "questions"
    write(folder, "test-topic.yaml", topic_document(valid_question("a"), valid_question("b")))
    run_import(folder)
    write(folder, "test-topic.yaml", topic_document(valid_question("a")))
    run_import(folder)
    write(folder, "test-topic.yaml", topic_document(valid_question("a"), valid_question("b")))

    run_import(folder)

    assert not Question.objects.get(slug="b").archived


@pytest.mark.django_db
def test_any_error_writes_nothing(tmp_path):
    folder = tmp_path / "questions"
    write(folder, "good.yaml", topic_document(valid_question("would-be-new"), slug="good-topic"))
    write(folder, "bad.yaml", topic_document(valid_question("broken", difficulty="impossible"), slug="bad-topic"))
    counts_before = (Topic.objects.count(), Question.objects.count(), KeyPoint.objects.count())
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_questions", str(folder), stdout=StringIO(), stderr=err)

    assert "bad.yaml:broken: difficulty 'impossible' must be one of easy, medium, hard" in err.getvalue()
    assert (Topic.objects.count(), Question.objects.count(), KeyPoint.objects.count()) == counts_before
    assert not Question.objects.filter(slug="would-be-new").exists()


@pytest.mark.django_db
def test_a_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import_questions", str(tmp_path / "nope"))


@pytest.mark.django_db
def test_export_writes_what_import_reads(tmp_path):
    out = tmp_path / "export"

    call_command("export_questions", str(out), stdout=StringIO())
    Question.objects.update(prompt_en="changed")
    Term.objects.all().delete()
    run_import(out)

    real = sorted((Path(__file__).parent.parent / "fixtures" / "questions").glob("*.yaml"))
    assert {p.name for p in (out / "questions").glob("*.yaml")} == {p.name for p in real}
    assert not Question.objects.filter(prompt_en="changed", archived=False).exists()
    original = load_bank(real)
    exported = load_bank(sorted((out / "questions").glob("*.yaml")))
    assert exported.topics == original.topics


def test_the_documented_example_is_valid(tmp_path):
    doc = (Path(__file__).parent.parent / "docs" / "question-bank.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")

    assert load_bank([path]).questions[0].slug == "sigmoid"
