"""Which key points a typed answer covers, which it contradicts, and what rating that suggests.

Pure logic, no Django. A key point carries keyword *patterns* (the grammar is documented in
docs/question-bank.md):

    "inference|test time + off|disable|switched off"

is two groups that must both be found in one sentence of the answer; each group lists
alternatives; an alternative is a phrase of words or Chinese characters. Before comparing, the
answer and the patterns go through the same normalisation: NFKC (full-width → ASCII), lower case,
symbols spelled one way (`≥` → `>=`, `−` → `-`), Greek letters named (`σ` → `sigma`), British
spellings folded to American, English words reduced to their Snowball stem. An English pattern
word of five or more letters (or one ending in `*`) also matches as a prefix. Chinese text is
compared character by character, so a Chinese phrase matches as a substring, and spacing next to
Chinese characters never matters.

A match does not count when a negation cue ("not", "never", "without", "no longer", "instead of";
"不", "没有", "并非", "无需", …) stands before it in the same clause, unless the cue is part of the
match itself (so a negative key point puts its negation in the pattern). A key point may list
*misconceptions* — wrong claims with their own patterns; one that matches (not negated) marks the
point as contradicted, and a contradicted point is not covered.

`judge()` returns the full verdict per key point with the matched character spans (the evidence
shown to the user); `detect()` is the public contract: the ids of the covered points.
"""

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer
from fsrs import Rating

GOOD_COVERAGE = 1.0
HARD_COVERAGE = 0.6
NEGATION_WINDOW = 6  # tokens between a cue and the match (a Chinese character counts as half)
PREFIX_LENGTH = 5  # English pattern words this long also match longer words
GROUP_SEPARATOR = " + "
ALTERNATIVE_SEPARATOR = "|"

# --- normalisation -------------------------------------------------------------------------

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi",
    "χ": "chi", "ψ": "psi", "ω": "omega", "∑": "sum", "∏": "prod",
}  # fmt: skip
_SYMBOLS = {
    "≥": ">=", "⩾": ">=", "≤": "<=", "⩽": "<=", "≠": "!=", "→": "->", "⟶": "->", "⇒": "=>", "←": "<-",
    "−": "-", "–": "-", "×": "*", "·": "*", "∗": "*", "⋅": "*", "÷": "/", "√": " sqrt ", "∞": " inf ",
    "≈": "~", "∼": "~", "∈": " in ", "∂": " partial ", "∇": " nabla ", "⊙": " hadamard ", "⊗": " outer ",
    "“": '"', "”": '"', "‘": "'", "’": "'", "—": ",", "、": ",", "。": ". ", "｡": ". ",
}  # fmt: skip


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    folded = unicodedata.normalize("NFKC", char).lower()
    if folded in _GREEK:
        return f" {_GREEK[folded]} "
    return "".join(_SYMBOLS.get(c, c) for c in folded)


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    cache = _FOLDED
    for index, char in enumerate(text):
        folded = cache.get(char)
        if folded is None:
            folded = cache[char] = _fold_char(char)
        out.append(folded)
        if len(folded) == 1:
            origin.append(index)
        else:
            origin.extend([index] * len(folded))
    return "".join(out), origin


_FOLDED: dict[str, str] = {}


def normalise(text: str) -> str:
    """Folded text with runs of spaces, hyphens and underscores as one space (for display and tests)."""
    return re.sub(r"[\s\-_]+", " ", _fold(text or "")[0]).strip()


_BRITISH = [
    (re.compile(r"(?<=\w{2})is(e|ed|es|er|ers|ing|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=\w)tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=\w)tred$"), "tered"),
    (re.compile(r"^(colo|behavio|neighbo|favo|flavo|labo|hono)ur"), r"\1r"),
    (re.compile(r"^(model|label|cancel|travel|signal)l(ed|ing|er|ers)$"), r"\1\2"),
]
_STEMMER = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> tuple[str, str]:
    """(American spelling, Snowball stem) of a lower-case English word."""
    american = word
    for pattern, replacement in _BRITISH:
        american = pattern.sub(replacement, american)
    return american, _STEMMER.stemWord(american)


# --- tokens -----------------------------------------------------------------------------------

LATIN, NUMBER, CJK, SYMBOL = "latin", "number", "cjk", "symbol"
_TOKEN = re.compile(
    r"(?P<latin>[a-z]+n't|[a-z][a-z0-9]*)(?P<star>\*)?"
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    r"|(?P<symbol>>=|<=|!=|->|=>|<-|[=<>+\-*/~%])"
    r"|(?P<sentence>[!?\n]|\.(?=\s|$|[\u3400-\u4dbf\u4e00-\u9fff]))"
    r"|(?P<clause>[,:;])"
    r"|(?P<other>[^\s\w.()\[\]{}'\"\\$^|`])"
)
_SPACING = re.compile(r"_|(?<!<)-(?!>)")  # hyphens and underscores separate words; "->" stays an arrow
_CLAUSE_WORDS = frozenset({"but", "however", "whereas", "while", "although", "though", "yet", "instead", "rather"})
_ABBREVIATIONS = frozenset(
    {"e", "g", "i", "etc", "vs", "eg", "ie", "approx", "cf", "fig", "eq", "esp", "resp", "incl", "wrt", "ca"}
)
_NEGATION_WORDS = frozenset(
    {"not", "no", "never", "none", "neither", "nor", "without", "cannot", "non", "nothing", "lack", "lacks",
     "lacking", "instead", "rather", "unlike", "false", "myth", "wrong", "incorrect", "untrue"}
)  # fmt: skip
_NOT_NEGATION_AFTER = {"not": {"only", "just", "merely", "necessarily"}, "no": {"matter"}}
_CJK_CLAUSE_WORDS = frozenset({"但", "但是", "而", "而是", "然而", "不过", "可是", "却", "反而"})
_CJK_NEGATION_WORDS = frozenset(
    {"不", "没", "没有", "并非", "不是", "无需", "无须", "未", "非", "无", "不会", "不能", "不再", "并不", "从不",
     "从未", "毫无", "无法", "不用", "不必", "别", "勿", "不要", "不应", "不该", "绝不", "而非", "而不是", "并没有",
     "误解", "不对", "不正确", "谬误"}
)  # fmt: skip
_CJK_NOT_NEGATION = frozenset(
    {"不同", "不断", "不仅", "不少", "不过", "不管", "不错", "不久", "不妨", "不但", "非常", "无论", "未来", "非得",
     "无穷", "无穷大", "无数", "非常规"}
)  # fmt: skip
_CJK_NEGATION_INITIALS = "不非无没未"


@dataclass(slots=True)
class Token:
    kind: str
    text: str  # folded; for English the American spelling
    stem: str
    original: str  # folded, before spelling changes (prefix matching tries both)
    start: int  # span in the original answer
    end: int
    sentence: int
    clause: int
    prefix: bool = False  # pattern words only: also matches longer words
    negates: bool = False  # answer tokens only: a negation cue


def _tokens(text: str, *, pattern: bool = False) -> list[Token]:
    folded, origin = _fold(text)
    folded = _SPACING.sub(" ", folded)
    tokens: list[Token] = []
    sentence = clause = 0
    previous_word = ""
    for match in _TOKEN.finditer(folded):
        kind = match.lastgroup if match.lastgroup != "star" else LATIN
        value = match.group(kind)
        if kind == "other":
            kind = SYMBOL
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if kind == "sentence":
            if value == "." and previous_word in _ABBREVIATIONS:
                continue
            sentence += 1
            clause += 1
            continue
        if kind == "clause":
            clause += 1
            continue
        if kind == LATIN:
            previous_word = value
            words = [value[:-3], "not"] if value.endswith("n't") else [value]
            for word in filter(None, words):
                if not pattern and word in _CLAUSE_WORDS:
                    clause += 1
                american, stem = _word_forms(word)
                prefix = pattern and (bool(match.group("star")) or len(word) >= PREFIX_LENGTH)
                negates = not pattern and word in _NEGATION_WORDS
                tokens.append(Token(LATIN, american, stem, word, start, end, sentence, clause, prefix, negates))
            continue
        previous_word = ""
        tokens.append(Token(kind, value, value, value, start, end, sentence, clause))
    if not pattern:
        tokens = _mark_negation_exceptions(tokens)
        if any(t.kind == CJK for t in tokens):
            tokens = _segment_chinese(tokens)
    return tokens


def _mark_negation_exceptions(tokens: list[Token]) -> list[Token]:
    """'not only', 'no matter' and 'whether or not' are not negations."""
    result = tokens
    for i, token in enumerate(tokens):
        if not token.negates:
            continue
        following = tokens[i + 1].text if i + 1 < len(tokens) else ""
        preceding = [t.text for t in tokens[max(0, i - 2) : i]]
        if following in _NOT_NEGATION_AFTER.get(token.text, ()) or preceding == ["whether", "or"]:
            token.negates = False
    return result


_jieba = None


def _segmenter():
    """jieba's tokenizer, loaded once per process (it builds its prefix dictionary, ~1 s)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        segmenter = jieba.Tokenizer()
        for word in ("无监督", "非监督", "自监督", "无偏", "非凸", "非零", "无穷", "非线性", "不平衡", "无关"):
            segmenter.add_word(word)
        _jieba = segmenter
    return _jieba


def warm_up() -> None:
    """Load the Chinese segmenter now (app servers call this at start, so no user waits for it)."""
    tokenizer = _segmenter()
    tokenizer.initialize()


def _segment_chinese(tokens: list[Token]) -> list[Token]:
    """Mark Chinese negation cues and clause words using jieba's segmentation of each run of characters.
    A word that starts with a negating character (不稳定, 非零, 无监督) negates what it overlaps."""
    result = tokens
    breaks: set[int] = set()  # a Chinese clause word (但是, 而是) opens a new clause after it
    i = 0
    while i < len(tokens):
        if tokens[i].kind != CJK:
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j].kind == CJK and tokens[j].clause == tokens[i].clause:
            j += 1
        run = "".join(t.text for t in tokens[i:j])
        for word, start, end in _segmenter().tokenize(run, HMM=False):
            if word in _CJK_CLAUSE_WORDS:
                breaks.add(i + end)
            elif word in _CJK_NEGATION_WORDS or (
                len(word) > 1 and word[0] in _CJK_NEGATION_INITIALS and word not in _CJK_NOT_NEGATION
            ):
                result[i + start].negates = True
        i = j
    if breaks:
        offset = 0
        for k, token in enumerate(result):
            offset += k in breaks
            token.clause += offset
    return result


# --- patterns -------------------------------------------------------------------------------


class PatternError(ValueError):
    pass


@dataclass(frozen=True)
class Pattern:
    source: str
    groups: tuple[tuple[tuple[Token, ...], ...], ...]  # groups → alternatives → phrase tokens


def pattern_problems(source: str) -> list[str]:
    """What is wrong with one pattern string (empty when it is valid); used by the bank validator."""
    try:
        compile_pattern(source)
    except PatternError as exc:
        return [str(exc)]
    return []


@lru_cache(maxsize=65536)
def compile_pattern(source: str) -> Pattern:
    source = str(source)
    bare = GROUP_SEPARATOR.strip()
    if source.startswith(bare + " ") or source.endswith(" " + bare) or f"{GROUP_SEPARATOR}{bare} " in source:
        raise PatternError(f"pattern {source!r} has an empty group (write a literal plus without spaces: x+y)")
    groups = []
    for group in str(source).split(GROUP_SEPARATOR):
        alternatives = []
        for alternative in group.split(ALTERNATIVE_SEPARATOR):
            if not alternative.strip():
                raise PatternError(f"pattern {source!r} has an empty alternative")
            phrase = tuple(_tokens(alternative.strip(), pattern=True))
            if not phrase:
                raise PatternError(f"pattern {source!r}: {alternative.strip()!r} has no words to match")
            alternatives.append(phrase)
        groups.append(tuple(alternatives))
    return Pattern(source=str(source), groups=tuple(groups))


# --- matching -------------------------------------------------------------------------------


class _Answer:
    """An answer's tokens with indexes for fast lookup of where a phrase can start."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        self.by_head: dict[str, list[int]] = defaultdict(list)
        for i, token in enumerate(self.tokens):
            self.by_stem[token.stem].append(i)
            if token.kind == LATIN:
                self.by_head[token.text[:3]].append(i)
                if token.original[:3] != token.text[:3]:
                    self.by_head[token.original[:3]].append(i)

    def starts(self, word: Token) -> Iterable[int]:
        if word.kind != LATIN:
            return self.by_stem.get(word.stem, ())
        if not word.prefix and len(word.text) < 3:
            return self.by_stem.get(word.stem, ())
        found = set(self.by_stem.get(word.stem, ()))
        found.update(self.by_head.get(word.text[:3], ()))
        found.update(self.by_head.get(word.original[:3], ()))
        return sorted(found)


def _word_matches(word: Token, token: Token) -> bool:
    if word.kind != token.kind:
        return False
    if word.kind != LATIN:
        return word.text == token.text
    if word.stem == token.stem:
        return True
    if word.prefix:
        return any(form.startswith(stem) for form in (token.text, token.original) for stem in _prefixes(word))
    return False


@lru_cache(maxsize=65536)
def _prefix_variants(text: str, original: str) -> tuple[str, ...]:
    return tuple({text, original, original.replace("is", "iz"), original.replace("iz", "is")})


def _prefixes(word: Token) -> tuple[str, ...]:
    return _prefix_variants(word.text, word.original)


def _phrase_at(answer: _Answer, phrase: tuple[Token, ...], start: int) -> int | None:
    """The index after the phrase if it matches at `start` (in one sentence), else None."""
    tokens = answer.tokens
    i = start
    for word in phrase:
        if i < len(tokens) and _word_matches(word, tokens[i]) and tokens[i].sentence == tokens[start].sentence:
            i += 1
            continue
        return _compound_at(answer, phrase, start)
    return i


def _compound_at(answer: _Answer, phrase: tuple[Token, ...], start: int) -> int | None:
    """'layer norm' matches 'layernorm' and 'batchnorm' matches 'batch norm'."""
    if not all(w.kind == LATIN for w in phrase):
        return None
    tokens = answer.tokens
    joined = "".join(w.text for w in phrase)
    if len(phrase) > 1 and tokens[start].kind == LATIN and tokens[start].text.startswith(joined):
        return start + 1 if len(tokens[start].text) - len(joined) <= 2 else None
    if len(phrase) == 1:
        text = ""
        for i in range(start, min(start + 3, len(tokens))):
            if tokens[i].kind != LATIN or tokens[i].sentence != tokens[start].sentence:
                return None
            text += tokens[i].text
            if i > start and (text == joined or _word_forms(text)[1] == phrase[0].stem):
                return i + 1
            if not joined.startswith(text):
                return None
    return None


def _negated(answer: _Answer, first: int, matched: set[int]) -> bool:
    """Is there a negation cue (not itself part of the match) before token `first`, in its clause,
    within the window?"""
    tokens = answer.tokens
    clause = tokens[first].clause
    distance = 0.0
    for i in range(first - 1, -1, -1):
        token = tokens[i]
        if token.clause != clause or distance > NEGATION_WINDOW:
            return False
        if i not in matched:
            if token.negates:
                return True
            distance += 0.5 if token.kind == CJK else 1.0
    return False


def _occurrences(answer: _Answer, phrase: tuple[Token, ...]) -> Iterable[tuple[int, int]]:
    for start in answer.starts(phrase[0]):
        end = _phrase_at(answer, phrase, start)
        if end is not None:
            yield start, end
    if len(phrase) == 1 and phrase[0].kind == LATIN:
        # a one-word pattern may also match a word that was typed in two parts
        for start in answer.by_head.get(phrase[0].text[:3], ()):
            end = _compound_at(answer, phrase, start)
            if end is not None and end - start > 1:
                yield start, end


def _find(answer: _Answer, pattern: Pattern) -> list[tuple[int, int]] | None:
    """Token spans of one un-negated occurrence of every group in one sentence, or None."""
    per_sentence: dict[int, list[list[tuple[int, int]]]] = defaultdict(lambda: [[] for _ in pattern.groups])
    for g, alternatives in enumerate(pattern.groups):
        for phrase in alternatives:
            for start, end in _occurrences(answer, phrase):
                per_sentence[answer.tokens[start].sentence][g].append((start, end))
    for found in per_sentence.values():
        if not all(found):
            continue
        for occurrences in found:  # the longest evidence first ("turned off" rather than "off")
            occurrences.sort(key=lambda span: (span[0] - span[1], span[0]))
        for choice in _combinations(found):
            matched = {i for start, end in choice for i in range(start, end)}
            if not any(_negated(answer, start, matched) for start, _end in choice):
                return list(choice)
    return None


def _combinations(found: list[list[tuple[int, int]]], limit: int = 64):
    """Ways to pick one occurrence per group (bounded: answers are short)."""
    choices: list[tuple[tuple[int, int], ...]] = [()]
    for occurrences in found:
        choices = [(*c, o) for c in choices for o in occurrences][:limit]
    return choices


# --- verdicts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Misconception:
    en: str
    zh: str
    patterns: tuple[str, ...]


@dataclass
class Verdict:
    """What the answer says about one key point."""

    covered: bool = False
    contradicted: bool = False
    evidence: list[tuple[int, int]] = field(default_factory=list)  # character spans in the answer
    misconception: Misconception | None = None


def misconceptions_of(point) -> list[Misconception]:
    """The misconceptions of a key point object (model instance, spec or test double)."""
    found = []
    for item in getattr(point, "misconceptions", None) or ():
        if isinstance(item, Misconception):
            found.append(item)
            continue
        get = item.get if isinstance(item, dict) else lambda name, default=None, item=item: getattr(item, name, default)
        keywords = get("keywords") or {}
        is_mapping = isinstance(keywords, dict)
        patterns = [*keywords.get("en", ()), *keywords.get("zh", ())] if is_mapping else list(keywords)
        patterns += [*(get("keywords_en") or ()), *(get("keywords_zh") or ())]
        found.append(Misconception(en=get("en", "") or "", zh=get("zh", "") or "", patterns=tuple(patterns)))
    return found


def _spans(answer: _Answer, token_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    tokens = answer.tokens
    return sorted({(tokens[start].start, tokens[end - 1].end) for start, end in token_spans})


def _first_match(answer: _Answer, patterns: Iterable[str]) -> list[tuple[int, int]] | None:
    for source in patterns:
        try:
            pattern = compile_pattern(source)
        except PatternError:
            continue
        found = _find(answer, pattern)
        if found is not None:
            return found
    return None


def judge(answer: str, key_points: Iterable) -> dict[int, Verdict]:
    """The verdict for every key point (objects with `.pk`, `.keywords` and optionally `.misconceptions`)."""
    key_points = list(key_points)
    verdicts = {point.pk: Verdict() for point in key_points}
    if not (answer or "").strip():
        return verdicts
    parsed = _Answer(answer)
    for point in key_points:
        verdict = verdicts[point.pk]
        found = _first_match(parsed, point.keywords)
        if found is not None:
            verdict.covered = True
            verdict.evidence = _spans(parsed, found)
        for misconception in misconceptions_of(point):
            wrong = _first_match(parsed, misconception.patterns)
            if wrong is not None:
                verdict.covered = False
                verdict.contradicted = True
                verdict.misconception = misconception
                verdict.evidence = _spans(parsed, wrong)
                break
    return verdicts


def detect(answer: str, key_points: Iterable) -> set[int]:
    """Ids of the key points `answer` covers (contradicted points excluded)."""
    return {pk for pk, verdict in judge(answer, key_points).items() if verdict.covered}


def coverage(covered: int, total: int) -> float:
    return covered / total if total else 0.0


def suggested_rating(score: float, *, contradicted: int = 0) -> Rating:
    """All key points → Good, at least 60 % → Hard, less → Again (Easy is the user's call).
    A stated misconception is a lapse: any contradicted point suggests Again."""
    if contradicted:
        return Rating.Again
    if score >= GOOD_COVERAGE:
        return Rating.Good
    if score >= HARD_COVERAGE:
        return Rating.Hard
    return Rating.Again


def highlight(answer: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The answer cut into (text, is_evidence) pieces, for templates to mark without building HTML."""
    pieces, position = [], 0
    for start, end in sorted(set(spans)):
        if start < position:
            start = position
        if start >= end:
            continue
        if start > position:
            pieces.append((answer[position:start], False))
        pieces.append((answer[start:end], True))
        position = end
    if position < len(answer):
        pieces.append((answer[position:], False))
    return pieces
