from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quiz.rendering import render_inline, render_markdown

register = template.Library()


@register.filter
def markdown(source, glossary=None):
    """`{{ text|markdown }}` or `{{ text|markdown:glossary }}`: safe HTML with MathML."""
    return mark_safe(render_markdown(source, glossary=glossary))  # noqa: S308 - raw HTML is escaped by the renderer


@register.filter
def markdown_inline(source):
    """`{{ option.text|markdown_inline }}`: one line of Markdown and math, no paragraph."""
    return mark_safe(render_inline(source))  # noqa: S308 - raw HTML is escaped by the renderer


@register.filter
def interval(delta):
    """A short, localised interval for rating buttons and due dates: 1 min, 10 min, 3 d, 2.5 mo."""
    seconds = max(0, delta.total_seconds()) if delta is not None else 0
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 60:
        return _("%(n)d min") % {"n": max(1, round(minutes))}
    if hours < 24:
        return _("%(n)d h") % {"n": round(hours)}
    if days < 30:
        return _("%(n)d d") % {"n": round(days)}
    if days < 365:
        return _("%(n)s mo") % {"n": f"{days / 30:.1f}".rstrip("0").rstrip(".")}
    return _("%(n)s y") % {"n": f"{days / 365:.1f}".rstrip("0").rstrip(".")}


@register.filter
def due_in(moment, now=None):
    """When a question comes back, as people say it: now, in 10 min, in 5 h, tomorrow, in 3 days, in 2 months."""
    if moment is None:
        return "–"
    seconds = (moment - (now or timezone.now())).total_seconds()
    hours, days = seconds / 3600, seconds / 86400
    if seconds < 60:
        return _("now")
    if hours < 1:
        return _("in %(n)d min") % {"n": round(seconds / 60)}
    if hours < 20:
        return ngettext("in %(n)d hour", "in %(n)d hours", round(hours)) % {"n": round(hours)}
    if days < 1.5:
        return _("tomorrow")
    if days < 45:
        return ngettext("in %(n)d day", "in %(n)d days", round(days)) % {"n": round(days)}
    months = round(days / 30)
    if days < 365:
        return ngettext("in %(n)d month", "in %(n)d months", months) % {"n": months}
    years = f"{days / 365:.1f}".rstrip("0").rstrip(".")
    return _("in %(n)s years") % {"n": years}


@register.filter
def duration(milliseconds):
    """Time spent: 42 s, 3 min 5 s, 1 h 2 min."""
    seconds = round((milliseconds or 0) / 1000)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": seconds}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}


@register.filter
def percent(value):
    return f"{round(value * 100)}%" if isinstance(value, int | float) else "–"


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def clock(seconds):
    """Seconds as m:ss (the countdown's own format)."""
    whole = int(seconds or 0)
    return f"{whole // 60}:{whole % 60:02d}"


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 560, 160, 24


@register.inclusion_tag("quiz/_bar_chart.html")
def bar_chart(points, *, label, maximum=None, as_percent=False):
    """A server-rendered SVG bar chart with its data table (the text alternative)."""
    values = [p.value for p in points if p.value is not None]
    top = maximum if maximum is not None else max(values or [1]) or 1
    slot = (CHART_WIDTH - CHART_PAD) / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        height = 0 if point.value is None else (point.value / top) * (CHART_HEIGHT - CHART_PAD)
        bars.append(
            {
                "x": round(CHART_PAD + index * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(CHART_HEIGHT - CHART_PAD - height, 1),
                "height": round(height, 1),
                "label": point.label,
                "label_x": round(CHART_PAD + index * slot + slot / 2, 1),
                "text": "–" if point.value is None else (percent(point.value) if as_percent else str(point.value)),
                "count": point.count,
                "show_label": len(points) <= 14 or index % 2 == 0,
            }
        )
    return {
        "bars": bars,
        "label": label,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_HEIGHT - CHART_PAD,
        "top_text": percent(top) if as_percent else top,
        "as_percent": as_percent,
    }


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (the lockout's cool-off)."""
    return int(value.total_seconds() // 60) if value else 0


@register.simple_tag
def heatmap_cells(weeks):
    """The activity calendar's cells, one <rect> per day with its date and count as a tooltip. Built
    here rather than in a template loop: 371 cells are the dashboard's largest piece of markup."""
    cells = [
        f'<rect class="heat heat-{day.level}" x="{day.x}" y="{day.y}" width="11" height="11" rx="2">'
        f"<title>{day.day.isoformat()}: {day.count}</title></rect>"
        for week in weeks
        for day in week
        if day
    ]
    return mark_safe("".join(cells))  # noqa: S308 - integers and ISO dates only


_PRECISIONS = {"day": "%Y-%m-%d", "minute": "%Y-%m-%d %H:%M"}


@register.filter
def time_tag(moment, precision="minute"):
    """`{{ when|time_tag }}`: a <time> element with the moment in ISO 8601 and, as its text, the local
    date ("day") or date and minute ("minute"), in the active time zone as the date filter would
    show it (without the date filter's cost: History lists fifty of these)."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), local.strftime(_PRECISIONS[precision]))


@register.filter
def due_tag(moment):
    """`{{ card.due|due_tag }}`: "in 3 days" in a <time> element whose tooltip is the local date and minute."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        local.strftime(_PRECISIONS["minute"]),
        due_in(moment),
    )
