"""`make grading-bench`: how well the key-point detector agrees with human labels.

The dev set (bench/grading/answers.jsonl, described in bench/grading/README.md) holds realistic
candidate answers — strong paraphrases, partial, confidently wrong and terse, in English and
Chinese — each labelled by an independent reader with the key points it really covers. Questions
are split into a *dev* part (used while tuning keywords and the detector) and a *held-out* part
(never tuned against). This prints, for each part: precision, recall and F1 of detected key points
per kind and per language, rating agreement (suggested rating from detected coverage equals the one
from labelled coverage), the share of wrong answers rated Good or Hard, and the detection time.

    python -m bench.grading.run [--json] [--part dev|heldout] [--errors]
"""

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

from fsrs import Rating

from quiz.bank import bank_files, load_bank
from quiz.matching import coverage, detect, suggested_rating

HERE = Path(__file__).resolve().parent
ANSWERS = HERE / "answers.jsonl"


def key_points_by_slug(fixtures: Path) -> dict[str, list[SimpleNamespace]]:
    paths, glossary = bank_files(fixtures)
    bank = load_bank(paths, glossary)
    points = {}
    for question in bank.questions:
        points[question.slug] = [
            SimpleNamespace(
                pk=number,
                keywords=[*spec.keywords_en, *spec.keywords_zh],
                misconceptions=[m.as_json() for m in spec.misconceptions],
            )
            for number, spec in enumerate(question.key_points, start=1)
        ]
    return points


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.answers = self.rating_agree = 0
        self.wrong = self.wrong_rated_up = 0

    def add(self, *, predicted: set, gold: set, total: int, kind: str) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        self.answers += 1
        got = suggested_rating(coverage(len(predicted), total))
        deserved = suggested_rating(coverage(len(gold), total))
        self.rating_agree += got == deserved
        if kind == "wrong":
            self.wrong += 1
            self.wrong_rated_up += got in (Rating.Good, Rating.Hard)

    def figures(self) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "answers": self.answers,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "rating_agreement": round(self.rating_agree / self.answers, 3) if self.answers else None,
            "wrong_rated_good_or_hard": round(self.wrong_rated_up / self.wrong, 3) if self.wrong else None,
        }


def evaluate(rows: list[dict], points: dict, *, show_errors: bool = False) -> dict:
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    timings = []
    for row in rows:
        key_points = points[row["slug"]]
        start = time.perf_counter()
        predicted = detect(row["text"], key_points)
        timings.append((time.perf_counter() - start) * 1000)
        gold = set(row["covered"])
        for group in ("all", f"kind:{row['kind']}", f"lang:{row['lang']}"):
            tallies[row["split"]][group].add(predicted=predicted, gold=gold, total=len(key_points), kind=row["kind"])
        if show_errors and predicted != gold:
            print(
                f"{row['id']} {row['slug']} [{row['split']}/{row['kind']}/{row['lang']}] "
                f"detected {sorted(predicted)} labelled {sorted(gold)} contradicted {row.get('contradicted', [])}\n"
                f"    {row['text']}",
                file=sys.stderr,
            )
    timings.sort()
    return {
        "parts": {
            part: {group: t.figures() for group, t in sorted(groups.items())} for part, groups in tallies.items()
        },
        "detect_ms": {
            "median": round(statistics.median(timings), 3),
            "p95": round(timings[int(len(timings) * 0.95) - 1], 3),
            "max": round(timings[-1], 3),
        },
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--part", choices=["dev", "heldout"], help="only this part")
    parser.add_argument("--errors", action="store_true", help="list every disagreement on stderr")
    parser.add_argument("--fixtures", type=Path, default=Path("fixtures"))
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in ANSWERS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.part:
        rows = [row for row in rows if row["split"] == args.part]
    points = key_points_by_slug(args.fixtures)
    detect("warm-up 预热", points[rows[0]["slug"]])  # jieba loads its dictionary once per process
    result = evaluate(rows, points, show_errors=args.errors)
    for part in ("dev", "heldout"):
        if part not in result["parts"]:
            continue
        print(f"\n{part} part")
        print(f"{'group':<16}{'answers':>8}{'P':>7}{'R':>7}{'F1':>7}{'rating':>8}{'wrong→G/H':>11}")
        for group, f in result["parts"][part].items():
            wrong = "" if f["wrong_rated_good_or_hard"] is None else f"{f['wrong_rated_good_or_hard']:.0%}"
            print(
                f"{group:<16}{f['answers']:>8}{f['precision']:>7.2f}{f['recall']:>7.2f}{f['f1']:>7.2f}"
                f"{f['rating_agreement']:>8.2f}{wrong:>11}"
            )
    timing = result["detect_ms"]
    print(f"\ndetect() per answer: median {timing['median']} ms, p95 {timing['p95']} ms, max {timing['max']} ms")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
