"""The Chinese UI: complete, compiled, and chosen by the user."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of our catalogue; for plurals the first form."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            joined = ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', part.group(1))) for part in (msgid, msgstr)]
            if joined[0]:
                entries.append((joined[0], joined[1]))
    return entries


def test_every_ui_string_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr in po_entries() if not msgstr]

    assert len(po_entries()) > 100
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    unescape = lambda s: s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")  # noqa: E731

    stale = [msgid for msgid, msgstr in po_entries() if catalogue.gettext(unescape(msgid)) != unescape(msgstr)]

    assert stale == [], "run `make messages` to recompile django.mo"


@pytest.mark.django_db
def test_choosing_chinese_sticks_in_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/questions/"})

    assert response.status_code == 302
    page = client.get("/questions/")
    assert '<html lang="zh-hans">' in page.text
    assert "题库" in page.text
    assert client.cookies["django_language"]["max-age"] >= 365 * 24 * 60 * 60


@pytest.mark.django_db
def test_an_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/questions/"})

    assert '<html lang="en">' in client.get("/questions/").text
