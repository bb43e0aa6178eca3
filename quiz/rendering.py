"""Markdown with `$…$` / `$$…$$` math → safe HTML with MathML.

Raw HTML in the source is disabled (markdown-it escapes it), links are restricted to safe
schemes by markdown-it's validator, and formulas become MathML that Chromium renders natively,
so nothing is fetched at run time. Importable without Django so the bank validator can use it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import latex2mathml.converter
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

_UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")


class MathError(ValueError):
    pass


def latex_to_mathml(latex: str, *, display: bool = False) -> str:
    """Convert one formula, raising MathError for syntax errors and unknown commands."""
    try:
        mathml = latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many unrelated exception types
        raise MathError(f"formula ${latex.strip()}$ does not render: {type(exc).__name__} {exc}".strip()) from exc
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"formula ${latex.strip()}$ uses unknown command {unknown.group(1)}")
    return mathml


def _render_math(*, display: bool, block: bool = False):
    def render(self, tokens, idx, options, env):
        latex = tokens[idx].content
        try:
            mathml = latex_to_mathml(latex, display=display)
        except MathError:
            # The importer refuses such formulas; show the source rather than break the page.
            return f'<code class="math-error">{escape(latex)}</code>'
        if block:
            return f'<div class="math-block">{mathml}</div>\n'
        return mathml

    return render


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    return md


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = _parser()
    md.add_render_rule("math_inline", _render_math(display=False))
    md.add_render_rule("math_inline_double", _render_math(display=True))
    md.add_render_rule("math_block", _render_math(display=True, block=True))
    md.add_render_rule("math_block_label", _render_math(display=True, block=True))
    md.core.ruler.push("glossary_terms", _mark_glossary_terms)
    md.add_render_rule("glossary_term", _render_glossary_term)
    return md


@lru_cache(maxsize=1)
def _checker() -> MarkdownIt:
    # Without text_join an escaped "\$" stays a separate token, so a "$" left in a plain text
    # token is one that did not pair up.
    md = _parser()
    md.disable("text_join")
    return md


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    term: str
    translation: str
    definition: str


@dataclass(frozen=True)
class GlossaryIndex:
    """Glossary terms to mark in rendered answers (both languages' spellings find a term)."""

    pattern: re.Pattern | None
    entries: dict[str, GlossaryEntry]
    url: str = ""

    def entry_for(self, matched: str) -> GlossaryEntry | None:
        """The entry a matched text belongs to: by exact spelling, else by the variant (plural,
        -ise/-ize, dash) that its spelling's pattern allows."""
        exact = self.entries.get(matched.lower())
        if exact is not None:
            return exact
        variants = (
            entry
            for spelling, entry in self.entries.items()
            if spelling.isascii() and _variant(spelling).fullmatch(matched)
        )
        return next(variants, None)


def glossary_index(terms, *, url: str = "") -> GlossaryIndex:
    """Build the index from Term rows (read in the active language)."""
    entries = {}
    for term in terms:
        for spelling, other in ((term.term_en, term.term_zh), (term.term_zh, term.term_en)):
            if spelling.strip():
                entries[spelling.lower()] = GlossaryEntry(term.slug, term.term, other, term.definition)
    if not entries:
        return GlossaryIndex(None, {})
    return GlossaryIndex(_glossary_pattern(tuple(entries)), entries, url)


@lru_cache(maxsize=4)
def _glossary_pattern(spellings: tuple[str, ...]) -> re.Pattern:
    """One alternation over every spelling, longest first so "batch normalisation" wins over
    "batch". Cached: the glossary rarely changes and compiling it is the costly part. (Named
    groups would say which spelling matched, but make matching about 20 times slower.)"""
    ordered = sorted(spellings, key=len, reverse=True)
    return re.compile("|".join(_latin_pattern(s) if s.isascii() else re.escape(s) for s in ordered), re.IGNORECASE)


@lru_cache(maxsize=2048)
def _variant(spelling: str) -> re.Pattern:
    return re.compile(_latin_pattern(spelling), re.IGNORECASE)


def _latin_pattern(term: str) -> str:
    """A whole-word pattern that also accepts British/American -ise/-ize spellings, a plural
    "s", and a hyphen, en dash or space between words ("bias–variance trade-off")."""
    pattern = re.escape(term)
    pattern = re.sub(r"i[sz](?=(e|ed|es|ing|ation|ations|er|ers)\b)", "i[sz]", pattern)
    pattern = re.sub(r"(\\-|\\ |-| )", r"[-–\\s]", pattern)
    return rf"\b{pattern}(?:s|es)?\b"


def _mark_glossary_terms(state) -> None:
    index: GlossaryIndex | None = state.env.get("glossary")
    if not index or index.pattern is None:
        return
    marked = set()
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            depth += token.nesting if token.type.startswith("link_") else 0
            if token.type != "text" or depth > 0:
                children.append(token)
                continue
            children += _split_on_terms(token, index, marked, state)
        block.children = children


def _split_on_terms(token, index: GlossaryIndex, marked: set, state) -> list:
    pieces, start = [], 0
    for match in index.pattern.finditer(token.content):
        entry = index.entry_for(match.group(0))
        if entry is None or entry.slug in marked:  # mark a term once per text: enough to learn it, not noisy
            continue
        marked.add(entry.slug)
        pieces.append(_text_token(state, token.content[start : match.start()]))
        term = Token("glossary_term", "", 0)
        term.content = match.group(0)
        term.meta = {"entry": entry, "url": index.url}
        pieces.append(term)
        start = match.end()
    if not pieces:
        return [token]
    pieces.append(_text_token(state, token.content[start:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _text_token(state, content: str):
    token = Token("text", "", 0)
    token.content = content
    return token


def _render_glossary_term(self, tokens, idx, options, env):
    token = tokens[idx]
    entry: GlossaryEntry = token.meta["entry"]
    tip = f"{entry.term} · {entry.translation}: {entry.definition}"
    href = f"{token.meta['url']}#term-{entry.slug}"
    return f'<a class="term" href="{escape(href)}" data-tip="{escape(tip)}">{escape(token.content)}</a>'


def render_markdown(source: str, *, glossary: GlossaryIndex | None = None) -> str:
    """Render Markdown to HTML (raw HTML escaped), marking glossary terms when given an index."""
    return _renderer().render(source or "", {"glossary": glossary})


def render_inline(source: str) -> str:
    """Render one line of Markdown without a wrapping paragraph (for headings, options, points)."""
    return _renderer().renderInline(source or "", {})


def math_problems(source: str) -> list[str]:
    """Every reason the formulas in `source` would not render, or [] when they all do."""
    problems = []
    for token in _walk(_checker().parse(source or "")):
        if token.type.startswith("math_"):
            try:
                latex_to_mathml(token.content, display=token.type != "math_inline")
            except MathError as exc:
                problems.append(str(exc))
        elif token.type == "text" and "$" in token.content:
            problems.append(f"unpaired $ in {token.content.strip()[:60]!r} (write a literal dollar as \\$)")
    return problems


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
