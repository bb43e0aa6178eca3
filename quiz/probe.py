"""`python -m quiz.probe SLUG "answer text"`: what the detector makes of an answer, for bank authors.

Reads the YAML files directly (no database, no validation of other files), so an author can try
patterns while editing. SLUG is a question slug, or `SLUG--follow-up-N` for a follow-up.
"""

import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

from quiz.matching import coverage, highlight, judge, suggested_rating


def find_key_points(slug: str, folder: Path = Path("fixtures/questions")) -> list[dict] | None:
    base, _, follow_up = slug.partition("--follow-up-")
    for path in sorted(folder.glob("*.yaml")):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        for question in document.get("questions") or []:
            if question.get("slug") != base:
                continue
            if follow_up:
                return (question.get("follow_ups") or [])[int(follow_up) - 1].get("key_points") or []
            return question.get("key_points") or []
    return None


def points_of(raw: list[dict]) -> list[SimpleNamespace]:
    points = []
    for number, item in enumerate(raw, start=1):
        keywords = item.get("keywords") or {}
        points.append(
            SimpleNamespace(
                pk=number,
                text=item.get("en", ""),
                keywords=[*(keywords.get("en") or []), *(keywords.get("zh") or [])],
                misconceptions=item.get("misconceptions") or [],
            )
        )
    return points


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    slug, answer = argv
    raw = find_key_points(slug)
    if raw is None:
        print(f"no question {slug!r} in fixtures/questions/")
        return 1
    points = points_of(raw)
    verdicts = judge(answer, points)
    for point in points:
        verdict = verdicts[point.pk]
        mark = "CONTRADICTED" if verdict.contradicted else "covered" if verdict.covered else "-"
        print(f"{point.pk}. [{mark}] {point.text}")
        if verdict.misconception:
            print(f"     misconception: {verdict.misconception.en}")
        if verdict.evidence:
            shown = "".join(f"[{text}]" if marked else text for text, marked in highlight(answer, verdict.evidence))
            print(f"     evidence: {shown}")
    covered = sum(v.covered for v in verdicts.values())
    contradicted = sum(v.contradicted for v in verdicts.values())
    rating = suggested_rating(coverage(covered, len(points)), contradicted=contradicted)
    print(f"covered {covered}/{len(points)}, contradicted {contradicted}, suggested rating: {rating.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
