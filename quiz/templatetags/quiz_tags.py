from django import template
from django.utils.safestring import mark_safe

from quiz.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(source, glossary=None):
    """`{{ text|markdown }}` or `{{ text|markdown:glossary }}`: safe HTML with MathML."""
    return mark_safe(render_markdown(source, glossary=glossary))  # noqa: S308 - raw HTML is escaped by the renderer
