"""The question bank in the database: import validated bank files, export them back.

Import upserts by slug (questions, topics, terms) and by position (key points, drills, choices,
follow-ups), writes only what changed, and never deletes what history may point at: questions,
follow-ups, key points and drills that left the files are archived.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from quiz.bank import (
    Bank,
    DrillSpec,
    FollowUpSpec,
    KeyPointSpec,
    MisconceptionSpec,
    OptionSpec,
    QuestionSpec,
    TermSpec,
    Text,
    TopicSpec,
)
from quiz.models import Choice, Drill, KeyPoint, Question, Term, Topic


@dataclass
class ImportResult:
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['topics']} topics, {c['questions']} questions, {c['terms']} glossary terms; "
            f"{c['created']} rows created, {c['updated']} updated, {c['archived']} archived."
        )


class _Upserter:
    def __init__(self):
        self.result = ImportResult()

    def save(self, existing, model, values: dict):
        """Create the row, or update only the fields that differ; return the row."""
        if existing is None:
            self.result.counts["created"] += 1
            return model.objects.create(**values)
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.save(update_fields=changed)
            self.result.counts["updated"] += 1
        return existing

    def archive(self, queryset) -> None:
        self.result.counts["archived"] += queryset.filter(archived=False).update(archived=True)


def _bilingual(name: str, text: Text) -> dict:
    return {f"{name}_en": text.en, f"{name}_zh": text.zh}


@transaction.atomic
def import_bank(bank: Bank) -> ImportResult:
    """Write a validated bank (quiz.bank.load_bank) to the database in one transaction."""
    up = _Upserter()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    questions = {question.slug: question for question in Question.objects.all()}
    key_points = _active_by_owner(KeyPoint.objects.all(), "question_id")
    drills = _active_by_owner(Drill.objects.all(), "question_id")
    choices = defaultdict(list)
    for choice in Choice.objects.order_by("position"):
        choices[choice.drill_id].append(choice)

    # Seeds may move between questions within one import; clear the ones that move first so the
    # unique constraint never sees two questions holding the same seed mid-way.
    wanted = {spec.slug: spec.seed for topic in bank.topics for spec in topic.questions}
    moving = [q for q in questions.values() if q.seed is not None and wanted.get(q.slug) != q.seed]
    Question.objects.filter(pk__in=[q.pk for q in moving]).update(seed=None)
    for question in moving:
        question.seed = None

    kept_slugs = []
    for topic_spec in bank.topics:
        topic = up.save(topics.get(topic_spec.slug), Topic, _topic_values(topic_spec))
        up.result.counts["topics"] += 1
        for position, spec in enumerate(topic_spec.questions, start=1):
            values = {
                "slug": spec.slug,
                "topic": topic,
                "parent": None,
                "position": position,
                "difficulty": spec.difficulty,
                "seed": spec.seed,
                "archived": False,
                **_bilingual("prompt", spec.prompt),
                **_bilingual("answer", spec.answer),
            }
            question = up.save(questions.get(spec.slug), Question, values)
            up.result.counts["questions"] += 1
            kept_slugs.append(spec.slug)
            _save_key_points(up, question, spec.key_points, key_points[question.pk])
            _save_drills(up, question, spec.drills, drills[question.pk], choices)
            kept_slugs += _save_follow_ups(up, question, spec, questions, key_points)

    up.archive(Question.objects.exclude(slug__in=kept_slugs))
    _save_glossary(up, bank.glossary)
    return up.result


def _topic_values(spec: TopicSpec) -> dict:
    return {
        "slug": spec.slug,
        "order": spec.order,
        **_bilingual("name", spec.name),
        **_bilingual("description", spec.description),
    }


def _active_by_owner(queryset, owner_field: str) -> dict:
    """Active (not archived) rows by owner id, in position order."""
    rows = defaultdict(list)
    for row in queryset.filter(archived=False).order_by("position"):
        rows[getattr(row, owner_field)].append(row)
    return rows


# Past answers point at key points, drills and choices, so a row never changes what it says: an
# edited statement, prompt or option is a new row, and the old one is archived with its answers.
# Only order, keywords, misconceptions and explanations change in place.
PARKED = 1000  # positions are unique among active rows; rows that move wait above this first


def _park(model, rows) -> None:
    model.objects.filter(pk__in=[row.pk for row in rows]).update(position=F("position") + PARKED)
    for row in rows:
        row.position += PARKED


def _save_key_points(up, question, specs: tuple[KeyPointSpec, ...], existing: list) -> None:
    by_text = {(row.text_en, row.text_zh): row for row in existing}
    plan = [(n, spec, by_text.pop((spec.text.en, spec.text.zh), None)) for n, spec in enumerate(specs, start=1)]
    up.archive(KeyPoint.objects.filter(pk__in=[row.pk for row in by_text.values()]))
    _park(KeyPoint, [row for position, _, row in plan if row and row.position != position])
    for position, spec, row in plan:
        values = {
            "question": question,
            "position": position,
            "archived": False,
            **_bilingual("text", spec.text),
            "keywords_en": list(spec.keywords_en),
            "keywords_zh": list(spec.keywords_zh),
            "misconceptions": [m.as_json() for m in spec.misconceptions],
        }
        up.save(row, KeyPoint, values)


def _drill_identity(prompt: Text, options) -> tuple:
    """What a drill asks and offers: the same prompt and the same options with the same answer."""
    return (prompt.en, prompt.zh, frozenset(options))


def _save_drills(up, question, specs: tuple[DrillSpec, ...], existing: list, choices: dict) -> None:
    by_identity = {
        _drill_identity(
            Text(d.prompt_en, d.prompt_zh), {(c.text_en, c.text_zh, c.is_correct) for c in choices[d.pk]}
        ): d
        for d in existing
    }
    plan = []
    for position, spec in enumerate(specs, start=1):
        options = {(o.text.en, o.text.zh, o.correct) for o in spec.options}
        plan.append((position, spec, by_identity.pop(_drill_identity(spec.prompt, options), None)))
    up.archive(Drill.objects.filter(pk__in=[d.pk for d in by_identity.values()]))
    _park(Drill, [drill for position, _, drill in plan if drill and drill.position != position])
    for position, spec, row in plan:
        values = {
            "question": question,
            "position": position,
            "archived": False,
            **_bilingual("prompt", spec.prompt),
            **_bilingual("explanation", spec.explanation),
        }
        drill = up.save(row, Drill, values)
        _save_choices(up, drill, spec.options, choices[drill.pk] if row else [])


def _save_choices(up, drill, specs: tuple[OptionSpec, ...], existing: list) -> None:
    """A matched drill has the same options: at most their order changes."""
    by_text = {(c.text_en, c.text_zh): c for c in existing}
    plan = [(n, spec, by_text.get((spec.text.en, spec.text.zh))) for n, spec in enumerate(specs, start=1)]
    _park(Choice, [row for position, _, row in plan if row and row.position != position])
    for position, spec, row in plan:
        values = {"drill": drill, "position": position, "is_correct": spec.correct, **_bilingual("text", spec.text)}
        up.save(row, Choice, values)


def _save_follow_ups(up, parent, spec: QuestionSpec, questions: dict, key_points: dict) -> list[str]:
    slugs = []
    for position, follow_up in enumerate(spec.follow_ups, start=1):
        slug = f"{parent.slug}--follow-up-{position}"
        values = {
            "slug": slug,
            "topic": parent.topic,
            "parent": parent,
            "position": position,
            "difficulty": parent.difficulty,
            "seed": None,
            "archived": False,
            **_bilingual("prompt", follow_up.prompt),
            **_bilingual("answer", follow_up.answer),
        }
        question = up.save(questions.get(slug), Question, values)
        _save_key_points(up, question, follow_up.key_points, key_points[question.pk])
        slugs.append(slug)
    return slugs


def _save_glossary(up, terms: list[TermSpec]) -> None:
    if not terms:
        return
    existing = {term.slug: term for term in Term.objects.all()}
    for spec in terms:
        values = {"slug": spec.slug, **_bilingual("term", spec.term), **_bilingual("definition", spec.definition)}
        up.save(existing.get(spec.slug), Term, values)
        up.result.counts["terms"] += 1
    # Nothing refers to a term, so terms that left the file can go.
    Term.objects.exclude(slug__in=[spec.slug for spec in terms]).delete()


def export_bank() -> Bank:
    """The active bank as specs, ready for quiz.bank.dump_topic."""
    bank = Bank()
    key_points = _grouped(KeyPoint.objects.filter(archived=False), "question_id")
    choices = _grouped(Choice.objects.all(), "drill_id")
    drills = _grouped(Drill.objects.filter(archived=False), "question_id")
    follow_ups = _grouped(Question.objects.filter(archived=False, parent__isnull=False), "parent_id")
    by_topic = _grouped(Question.objects.active(), "topic_id")

    def points(question_id):
        return tuple(
            KeyPointSpec(
                text=_text(k, "text"),
                keywords_en=tuple(k.keywords_en),
                keywords_zh=tuple(k.keywords_zh),
                misconceptions=tuple(
                    MisconceptionSpec(
                        text=Text(en=m["en"], zh=m["zh"]),
                        keywords_en=tuple(m["keywords_en"]),
                        keywords_zh=tuple(m["keywords_zh"]),
                    )
                    for m in k.misconceptions
                ),
            )
            for k in key_points[question_id]
        )

    for topic in Topic.objects.all():
        questions = tuple(
            QuestionSpec(
                slug=q.slug,
                seed=q.seed,
                difficulty=q.difficulty,
                prompt=_text(q, "prompt"),
                answer=_text(q, "answer"),
                key_points=points(q.pk),
                drills=tuple(
                    DrillSpec(
                        prompt=_text(d, "prompt"),
                        options=tuple(OptionSpec(text=_text(c, "text"), correct=c.is_correct) for c in choices[d.pk]),
                        explanation=_text(d, "explanation"),
                    )
                    for d in drills[q.pk]
                ),
                follow_ups=tuple(
                    FollowUpSpec(prompt=_text(f, "prompt"), answer=_text(f, "answer"), key_points=points(f.pk))
                    for f in follow_ups[q.pk]
                ),
            )
            for q in by_topic[topic.pk]
        )
        if questions:
            bank.topics.append(
                TopicSpec(
                    slug=topic.slug,
                    order=topic.order,
                    name=_text(topic, "name"),
                    description=_text(topic, "description"),
                    questions=questions,
                )
            )
    bank.glossary = [
        TermSpec(slug=t.slug, term=_text(t, "term"), definition=_text(t, "definition")) for t in Term.objects.all()
    ]
    return bank


def _grouped(queryset, owner_field: str) -> dict:
    """Rows by owner id, each list in the model's default order (by position)."""
    groups = defaultdict(list)
    for row in queryset:
        groups[getattr(row, owner_field)].append(row)
    return groups


def _text(obj, name: str) -> Text:
    return Text(en=getattr(obj, f"{name}_en"), zh=getattr(obj, f"{name}_zh"))
