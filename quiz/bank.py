"""Read, validate and write the YAML question bank (`fixtures/questions/*.yaml`).

The format is documented in docs/question-bank.md. Reading never stops at the first problem:
every problem is collected as `file:question: what is wrong`, so an author fixes a file in one
pass. This module has no Django imports, so `python -m quiz.bank FILE...` validates files
without a database; quiz/management/commands/import_questions.py writes the result.
"""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quiz.matching import pattern_problems
from quiz.rendering import math_problems

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DIFFICULTIES = ("easy", "medium", "hard")
SEED_RANGE = range(1, 50)
KEY_POINTS = (3, 6)
FOLLOW_UP_KEY_POINTS = (1, 3)
OPTIONS_PER_DRILL = 4
MAX_FOLLOW_UPS = 2
LANGUAGES = ("en", "zh")


@dataclass(frozen=True)
class Text:
    en: str
    zh: str


@dataclass(frozen=True)
class MisconceptionSpec:
    """A wrong claim candidates make about a key point, and the patterns that find it."""

    text: Text
    keywords_en: tuple[str, ...]
    keywords_zh: tuple[str, ...]

    def as_json(self) -> dict:
        """The form stored on KeyPoint.misconceptions (and read by quiz.matching)."""
        return {
            "en": self.text.en,
            "zh": self.text.zh,
            "keywords_en": list(self.keywords_en),
            "keywords_zh": list(self.keywords_zh),
        }


@dataclass(frozen=True)
class KeyPointSpec:
    text: Text
    keywords_en: tuple[str, ...]
    keywords_zh: tuple[str, ...]
    misconceptions: tuple[MisconceptionSpec, ...] = ()


@dataclass(frozen=True)
class OptionSpec:
    text: Text
    correct: bool


@dataclass(frozen=True)
class DrillSpec:
    prompt: Text
    options: tuple[OptionSpec, ...]
    explanation: Text


@dataclass(frozen=True)
class FollowUpSpec:
    prompt: Text
    answer: Text
    key_points: tuple[KeyPointSpec, ...]


@dataclass(frozen=True)
class QuestionSpec:
    slug: str
    seed: int | None
    difficulty: str
    prompt: Text
    answer: Text
    key_points: tuple[KeyPointSpec, ...]
    drills: tuple[DrillSpec, ...]
    follow_ups: tuple[FollowUpSpec, ...]


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    order: int
    name: Text
    description: Text
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class TermSpec:
    slug: str
    term: Text
    definition: Text


@dataclass
class Bank:
    topics: list[TopicSpec] = field(default_factory=list)
    glossary: list[TermSpec] = field(default_factory=list)

    @property
    def questions(self) -> list[QuestionSpec]:
        return [question for topic in self.topics for question in topic.questions]


class BankError(Exception):
    """The bank has problems; `problems` lists every one as `file:question: what is wrong`."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the question bank")
        self.problems = problems


class _Reader:
    """Turns parsed YAML into specs, recording problems instead of raising."""

    def __init__(self):
        self.problems: list[str] = []
        self.where = ""

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def mapping(self, node, name: str) -> dict:
        if not isinstance(node, dict):
            self.problem(f"{name} must be a mapping")
            return {}
        return node

    def items(self, node, name: str) -> list:
        if node is None:
            return []
        if not isinstance(node, list):
            self.problem(f"{name} must be a list")
            return []
        return node

    def string(self, node, name: str) -> str:
        if isinstance(node, bool) or not isinstance(node, (str, int, float)) or not str(node).strip():
            self.problem(f"{name} is missing or empty")
            return ""
        return str(node).strip()

    def text(self, node, name: str, *, markdown: bool = False) -> Text:
        node = self.mapping(node, name)
        unknown = set(node) - set(LANGUAGES) - {"keywords", "correct"}
        if unknown:
            fields = ", ".join(repr(str(key)) for key in sorted(map(str, unknown)))
            self.problem(f"{name} has unknown field(s) {fields} (quote text that contains ': ')")
        text = Text(**{lang: self.string(node.get(lang), f"{name}.{lang}") for lang in LANGUAGES})
        for lang in LANGUAGES:
            for message in math_problems(getattr(text, lang)):
                self.problem(f"{name}.{lang}: {message}")
        return text

    def patterns(self, node, name: str) -> dict[str, tuple[str, ...]]:
        """Keyword patterns per language (grammar in docs/question-bank.md), at least one each."""
        keywords = self.mapping(node, f"{name}.keywords")
        found = {}
        for lang in LANGUAGES:
            patterns = []
            for item in self.items(keywords.get(lang), f"{name}.keywords.{lang}"):
                if isinstance(item, (dict, list, bool)) or item is None or not str(item).strip():
                    self.problem(f"{name}.keywords.{lang}: {item!r} is not a pattern string")
                    continue
                pattern = str(item).strip()
                for message in pattern_problems(pattern):
                    self.problem(f"{name}.keywords.{lang}: {message}")
                patterns.append(pattern)
            if not patterns:
                self.problem(f"{name} needs at least one {lang} keyword")
            found[lang] = tuple(patterns)
        return found

    def key_points(self, node, name: str, limits: tuple[int, int]) -> tuple[KeyPointSpec, ...]:
        points = []
        for index, item in enumerate(self.items(node, name), start=1):
            where = f"{name}[{index}]"
            item = self.mapping(item, where)
            unknown = set(item) - {*LANGUAGES, "keywords", "misconceptions"}
            if unknown:
                self.problem(f"{where} has unknown field(s) {', '.join(sorted(map(repr, map(str, unknown))))}")
            text = self.text({k: v for k, v in item.items() if k in LANGUAGES}, where)
            keywords = self.patterns(item.get("keywords"), where)
            misconceptions = []
            for number, wrong in enumerate(self.items(item.get("misconceptions"), f"{where}.misconceptions"), 1):
                wrong_where = f"{where}.misconceptions[{number}]"
                wrong = self.mapping(wrong, wrong_where)
                patterns = self.patterns(wrong.get("keywords"), wrong_where)
                misconceptions.append(
                    MisconceptionSpec(
                        text=self.text({k: v for k, v in wrong.items() if k in LANGUAGES}, wrong_where),
                        keywords_en=patterns["en"],
                        keywords_zh=patterns["zh"],
                    )
                )
            points.append(
                KeyPointSpec(
                    text=text,
                    keywords_en=keywords["en"],
                    keywords_zh=keywords["zh"],
                    misconceptions=tuple(misconceptions),
                )
            )
        low, high = limits
        if not low <= len(points) <= high:
            self.problem(f"{name}: has {len(points)} key points, needs {low}–{high}")
        return tuple(points)

    def drill(self, node, name: str) -> DrillSpec:
        node = self.mapping(node, name)
        prompt = self.text(node.get("prompt"), f"{name}.prompt")
        options = []
        for index, item in enumerate(self.items(node.get("options"), f"{name}.options"), start=1):
            item = self.mapping(item, f"{name}.options[{index}]")
            correct = item.get("correct", False)
            if not isinstance(correct, bool):
                self.problem(f"{name}.options[{index}].correct must be true or false")
            options.append(OptionSpec(text=self.text(item, f"{name}.options[{index}]"), correct=correct is True))
        if len(options) != OPTIONS_PER_DRILL:
            self.problem(f"{name}: has {len(options)} options, needs exactly {OPTIONS_PER_DRILL}")
        correct_count = sum(option.correct for option in options)
        if correct_count != 1:
            self.problem(f"{name}: has {correct_count} correct options, needs exactly one")
        for lang in LANGUAGES:
            texts = [getattr(option.text, lang) for option in options]
            if len(set(texts)) != len(texts):
                self.problem(f"{name}: two options have the same {lang} text")
        explanation = self.text(node.get("explanation"), f"{name}.explanation")
        return DrillSpec(prompt=prompt, options=tuple(options), explanation=explanation)

    def follow_up(self, node, name: str) -> FollowUpSpec:
        node = self.mapping(node, name)
        return FollowUpSpec(
            prompt=self.text(node.get("prompt"), f"{name}.prompt"),
            answer=self.text(node.get("answer"), f"{name}.answer"),
            key_points=self.key_points(node.get("key_points"), f"{name}.key_points", FOLLOW_UP_KEY_POINTS),
        )

    def question(self, node, file: str, index: int) -> QuestionSpec | None:
        node = node if isinstance(node, dict) else {}
        slug = str(node.get("slug") or "").strip()
        self.where = f"{file}:{slug or f'question #{index}'}"
        if not node:
            self.problem("question must be a mapping")
            return None
        if not SLUG.match(slug):
            self.problem(f"slug {slug!r} must be lower-case words joined by hyphens")
        seed = node.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed not in SEED_RANGE):
            self.problem(f"seed {seed!r} must be a number from 1 to 49")
            seed = None
        difficulty = node.get("difficulty")
        if difficulty not in DIFFICULTIES:
            self.problem(f"difficulty {difficulty!r} must be one of {', '.join(DIFFICULTIES)}")
        drills = tuple(
            self.drill(item, f"drills[{number}]")
            for number, item in enumerate(self.items(node.get("drills"), "drills"), start=1)
        )
        if not drills:
            self.problem("needs at least one drill")
        follow_ups = tuple(
            self.follow_up(item, f"follow_ups[{number}]")
            for number, item in enumerate(self.items(node.get("follow_ups"), "follow_ups"), start=1)
        )
        if len(follow_ups) > MAX_FOLLOW_UPS:
            self.problem(f"has {len(follow_ups)} follow-ups, at most {MAX_FOLLOW_UPS} allowed")
        return QuestionSpec(
            slug=slug,
            seed=seed,
            difficulty=difficulty,
            prompt=self.text(node.get("prompt"), "prompt"),
            answer=self.text(node.get("answer"), "answer", markdown=True),
            key_points=self.key_points(node.get("key_points"), "key_points", KEY_POINTS),
            drills=drills,
            follow_ups=follow_ups,
        )

    def topic_file(self, path: Path) -> TopicSpec | None:
        file = path.name
        self.where = file
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(f"cannot be read: {exc}")
            return None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (line {mark.line + 1})" if mark else ""
            self.problem(f"is not valid YAML{line}: {getattr(exc, 'problem', exc)}")
            return None
        document = self.mapping(document, "the file")
        topic = self.mapping(document.get("topic"), "topic")
        self.where = f"{file}:topic"
        slug = str(topic.get("slug") or "").strip()
        if not SLUG.match(slug):
            self.problem(f"slug {slug!r} must be lower-case words joined by hyphens")
        order = topic.get("order", 0)
        if isinstance(order, bool) or not isinstance(order, int):
            self.problem("order must be a whole number")
            order = 0
        name = self.text(topic.get("name"), "name")
        description = self.text(topic.get("description"), "description")
        questions = [
            self.question(item, file, index)
            for index, item in enumerate(self.items(document.get("questions"), "questions"), start=1)
        ]
        return TopicSpec(
            slug=slug,
            order=order,
            name=name,
            description=description,
            questions=tuple(q for q in questions if q is not None),
        )

    def glossary_file(self, path: Path) -> list[TermSpec]:
        self.where = path.name
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            self.problem(f"cannot be read: {exc}")
            return []
        terms = []
        for index, item in enumerate(self.items(document, "the glossary"), start=1):
            item = item if isinstance(item, dict) else {}
            slug = str(item.get("slug") or "").strip()
            self.where = f"{path.name}:{slug or f'term #{index}'}"
            if not SLUG.match(slug):
                self.problem(f"slug {slug!r} must be lower-case words joined by hyphens")
            term = self.text({lang: item.get(lang) for lang in LANGUAGES}, "term")
            terms.append(TermSpec(slug=slug, term=term, definition=self.text(item.get("definition"), "definition")))
        return terms


def _check_across(bank: Bank, reader: _Reader, files: list[str]) -> None:
    """Rules that span files: unique slugs, seeds and prompts."""
    seen_topics: dict[str, str] = {}
    seen_questions: dict[str, str] = {}
    seen_seeds: dict[int, str] = {}
    seen_prompts: dict[str, str] = {}
    for topic, file in zip(bank.topics, files, strict=True):
        if topic.slug in seen_topics:
            reader.problems.append(f"{file}:topic: slug {topic.slug!r} is also used in {seen_topics[topic.slug]}")
        seen_topics.setdefault(topic.slug, file)
        for question in topic.questions:
            where = f"{file}:{question.slug}"
            if question.slug in seen_questions:
                reader.problems.append(f"{where}: slug is also used in {seen_questions[question.slug]}")
            seen_questions.setdefault(question.slug, file)
            if question.seed is not None:
                if question.seed in seen_seeds:
                    reader.problems.append(f"{where}: seed {question.seed} is also used by {seen_seeds[question.seed]}")
                seen_seeds.setdefault(question.seed, question.slug)
            asked = [(question.slug, question.prompt)] + [
                (f"{question.slug} follow-up {n}", f.prompt) for n, f in enumerate(question.follow_ups, start=1)
            ]
            for name, text in asked:
                for lang in LANGUAGES:
                    prompt = _fold(getattr(text, lang))
                    if prompt and prompt in seen_prompts:
                        reader.problems.append(f"{where}: the {lang} prompt of {name} repeats {seen_prompts[prompt]}")
                    seen_prompts.setdefault(prompt, name)
    seen_terms: set[str] = set()
    for term in bank.glossary:
        if term.slug in seen_terms:
            reader.problems.append(f"glossary.yaml:{term.slug}: slug is used twice")
        seen_terms.add(term.slug)


def _fold(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def bank_files(path: Path) -> tuple[list[Path], Path | None]:
    """The topic files and the glossary file under `path` (a folder, or one topic file)."""
    if path.is_file():
        return [path], None
    folder = path / "questions" if (path / "questions").is_dir() else path
    glossary = folder.parent / "glossary.yaml"
    return sorted(folder.glob("*.yaml")), glossary if glossary.is_file() else None


def load_bank(paths: list[Path], glossary: Path | None = None) -> Bank:
    """Read and validate every file; raise BankError listing all problems, or return the bank."""
    reader = _Reader()
    bank = Bank()
    files: list[str] = []  # the file of each topic in bank.topics
    if not paths:
        raise BankError(["no topic files (*.yaml) found"])
    for path in paths:
        topic = reader.topic_file(path)
        if topic is not None:
            bank.topics.append(topic)
            files.append(path.name)
    if glossary is not None:
        bank.glossary = reader.glossary_file(glossary)
    _check_across(bank, reader, files)
    if reader.problems:
        raise BankError(reader.problems)
    return bank


def dump_topic(topic: TopicSpec) -> str:
    """The YAML text of one topic file, in the documented format (used by export_questions)."""

    def text(value: Text) -> dict:
        return {"en": value.en, "zh": value.zh}

    def keywords(item) -> dict:
        return {"keywords": {"en": list(item.keywords_en), "zh": list(item.keywords_zh)}}

    def key_points(points) -> list:
        return [
            {
                **text(p.text),
                **keywords(p),
                **(
                    {"misconceptions": [{**text(m.text), **keywords(m)} for m in p.misconceptions]}
                    if p.misconceptions
                    else {}
                ),
            }
            for p in points
        ]

    def question(q: QuestionSpec) -> dict:
        data = {"slug": q.slug}
        if q.seed is not None:
            data["seed"] = q.seed
        data |= {
            "difficulty": q.difficulty,
            "prompt": text(q.prompt),
            "answer": text(q.answer),
            "key_points": key_points(q.key_points),
            "drills": [
                {
                    "prompt": text(d.prompt),
                    "options": [{**text(o.text), **({"correct": True} if o.correct else {})} for o in d.options],
                    "explanation": text(d.explanation),
                }
                for d in q.drills
            ],
        }
        if q.follow_ups:
            data["follow_ups"] = [
                {"prompt": text(f.prompt), "answer": text(f.answer), "key_points": key_points(f.key_points)}
                for f in q.follow_ups
            ]
        return data

    document = {
        "topic": {
            "slug": topic.slug,
            "order": topic.order,
            "name": text(topic.name),
            "description": text(topic.description),
        },
        "questions": [question(q) for q in topic.questions],
    }
    return yaml.dump(document, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)


def dump_glossary(terms: list[TermSpec]) -> str:
    document = [
        {"slug": t.slug, "en": t.term.en, "zh": t.term.zh, "definition": {"en": t.definition.en, "zh": t.definition.zh}}
        for t in terms
    ]
    return yaml.dump(document, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks so exported answers stay readable."""


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_str)


def main(argv: list[str]) -> int:
    """`python -m quiz.bank [PATH...]`: validate files or folders, print problems or a summary."""
    targets = [Path(arg) for arg in argv] or [Path("fixtures")]
    paths: list[Path] = []
    glossary = None
    for target in targets:
        if target.suffix == ".yaml" and target.name == "glossary.yaml":
            glossary = target
            continue
        found, found_glossary = bank_files(target)
        paths += found
        glossary = glossary or found_glossary
    try:
        bank = load_bank(paths, glossary) if paths else Bank(glossary=_only_glossary(glossary))
    except BankError as exc:
        print("\n".join(exc.problems))
        print(f"{len(exc.problems)} problem(s); nothing written.", file=sys.stderr)
        return 1
    seeds = sorted(q.seed for q in bank.questions if q.seed)
    print(f"OK: {len(bank.topics)} topic(s), {len(bank.questions)} question(s), {len(seeds)} seed(s), ")
    print(f"    {len(bank.glossary)} glossary term(s).")
    return 0


def _only_glossary(glossary: Path | None) -> list[TermSpec]:
    if glossary is None:
        return []
    reader = _Reader()
    terms = reader.glossary_file(glossary)
    if reader.problems:
        raise BankError(reader.problems)
    return terms


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
