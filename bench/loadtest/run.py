"""`make loadtest`: real HTTP load against gunicorn on 127.0.0.1, on SQLite and on PostgreSQL.

Usage: python -m bench.loadtest.run [--database sqlite|postgresql|both] [--users N] [--seconds S]

Per database: a fresh database (SQLite: a temp file; PostgreSQL: `loadtest`, dropped after), the
migrations, the real question bank, N users; gunicorn (`dlprep.wsgi`, 2 workers) with production
settings (dlprep/settings_loadtest.py); then two locust phases of S seconds each with N users and
no think time: 1. the bare view (signed in), 2. the journey (bench/loadtest/locustfile.py). Then the
answers the load sent are compared with the rows in the database.

Prints a table per database and, last, one JSON object per database, one per line. Exit status:
0 all well; 1 an answer or mock save lost or duplicated (or no answer sent at all); 2 HTTP errors
(4xx/5xx, connection errors); 3 (only with --strict) answer submission below half the bare view's
requests/s.
"""

import argparse
import csv
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PG_SERVER = "postgres://app:app@127.0.0.1:5432"
PG_DATABASE = "loadtest"
PASSWORD = "loadtest-only-password"  # noqa: S105 - throwaway accounts in a throwaway database
BAR = 0.5  # answer submission should reach half the bare view's requests/s
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"  # method, path, status, microseconds
EXPECTED_STATUSES: set[int] = set()  # 4xx replies the journey provokes on purpose: none


# --- run inside Django (subprocesses with the database's environment) -----------------------------
def setup_users(count: int, out: str) -> None:
    """N users with one known password, each with a signed-in session for the bare phase."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    hashed = make_password(PASSWORD)  # hashed once: the full-strength hasher takes ~0.3 s a call
    accounts = []
    for number in range(1, count + 1):
        user = User.objects.create(username=f"load-{number}", password=hashed)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        accounts.append({"username": user.username, "password": PASSWORD, "sessionid": session.session_key})
    Path(out).write_text(json.dumps(accounts), encoding="utf-8")


def _read_journal(path: str) -> dict[str, dict[str, set]]:
    """{kind: {"sent": keys, "accepted": keys}}, a key being a tuple without event and reply."""
    seen: dict[str, dict[str, set]] = defaultdict(lambda: {"sent": set(), "accepted": set(), "replied": set()})
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        kind = entry["kind"]
        fields = ("user", "session", "item") if kind == "answer" else ("user", "mock", "position")
        if kind == "mock_finish":
            fields = ("user", "mock")
        key = tuple(entry[f] for f in fields)
        if entry["event"] == "sent":
            seen[kind]["sent"].add(key)
        else:
            seen[kind]["replied"].add(key)
            if entry["accepted"]:
                seen[kind]["accepted"].add(key)
    return seen


def count_rows(journal: str, users_file: str) -> dict:
    """Compare the journal with the database: practice answers, mock saves, finished mocks."""
    import django

    django.setup()
    from quiz.models import Attempt, MockInterview, MockItem

    usernames = [a["username"] for a in json.loads(Path(users_file).read_text(encoding="utf-8"))]
    seen = _read_journal(journal)
    answers, saves, finishes = seen["answer"], seen["mock_save"], seen["mock_finish"]

    rows = Counter(
        Attempt.objects.filter(user__username__in=usernames, session_item__isnull=False).values_list(
            "user__username", "session_item__session_id", "session_item_id"
        )
    )
    in_db = set(rows)
    saved = set(
        MockItem.objects.filter(mock__user__username__in=usernames, saved_at__isnull=False).values_list(
            "mock__user__username", "mock_id", "position"
        )
    )
    # A finished mock has one answer row per question that had an answer, no more, no less.
    finished_wrong = []
    for user, mock_pk in sorted(finishes["accepted"]):
        mock = MockInterview.objects.get(pk=mock_pk, user__username=user)
        answered = sum(item.is_answered for item in mock.items.all())
        scored = Attempt.objects.filter(mock_item__mock=mock).count()
        if mock.finished_at is None or answered != scored:
            finished_wrong.append({"mock": mock_pk, "answered": answered, "answer_rows": scored})

    per_user = []
    for username in usernames:
        per_user.append(
            {
                "user": username,
                "answers_sent": sum(1 for k in answers["sent"] if k[0] == username),
                "answers_accepted": sum(1 for k in answers["accepted"] if k[0] == username),
                "attempts_practice": sum(c for k, c in rows.items() if k[0] == username),
                "mock_saves_accepted": sum(1 for k in saves["accepted"] if k[0] == username),
                "mock_items_saved": sum(1 for k in saved if k[0] == username),
                "attempts_all": Attempt.objects.filter(user__username=username).count(),
            }
        )
    return {
        "answers_sent": len(answers["sent"]),
        "answers_accepted": len(answers["accepted"]),
        "answers_unconfirmed": len(answers["sent"] - answers["accepted"]),
        "answers_in_db": sum(rows.values()),
        "lost": len(answers["accepted"] - in_db),
        # the same answer stored twice, or a row the load never sent
        "duplicated": sum(c - 1 for c in rows.values()) + len(in_db - answers["sent"]),
        "mock_saves_sent": len(saves["sent"]),
        "mock_saves_accepted": len(saves["accepted"]),
        "mock_items_saved_in_db": len(saved),
        "mock_saves_lost": len(saves["accepted"] - saved),
        "mock_saves_unexpected": len(saved - saves["sent"]),
        "mocks_finished": len(finishes["accepted"]),
        "mocks_finished_wrong": finished_wrong,
        "per_user": per_user,
    }


# --- the orchestrator -----------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[loadtest] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_env(database: str, tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dlprep.settings_loadtest",
        "DEBUG": "0",
        "SECRET_KEY": "loadtest-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(tmp / "static"),
        "LOG_LEVEL": "WARNING",  # django.request: 4xx as warnings, 5xx as errors with the traceback
        "PYTHONUNBUFFERED": "1",
    }
    if database == "sqlite":
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(tmp / "loadtest.sqlite3")
    else:
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    return env


def run(command: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=True, **kwargs)  # noqa: S603


def psql(sql: str) -> None:
    run(["psql", f"{PG_SERVER}/app", "-qXc", sql], os.environ)


def prepare(database: str, users: int, tmp: Path, env: dict) -> Path:
    started = time.perf_counter()
    if database == "postgresql":
        psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_DATABASE}")
    python = [sys.executable]
    run([*python, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([*python, "manage.py", "import_questions", "-v0"], env, stdout=subprocess.DEVNULL)
    run([*python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    accounts = tmp / "users.json"
    run([*python, "-m", "bench.loadtest.run", "--setup-users", users, "--out", accounts], env)
    log(f"{database}: database, bank, static files and {users} users ready in {time.perf_counter() - started:.0f} s")
    return accounts


def start_gunicorn(env: dict, tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "dlprep.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--no-control-socket",
            f"--access-logfile={tmp / 'access.log'}",
            f"--access-logformat={ACCESS_FORMAT}",
            f"--error-logfile={tmp / 'gunicorn.log'}",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        booted = (tmp / "gunicorn.log").read_text().count("Booting worker") if (tmp / "gunicorn.log").exists() else 0
        try:
            with urllib.request.urlopen(f"{url}/bench/bare/", timeout=2) as reply:  # noqa: S310 - our server
                if reply.status == 200 and booted >= 2:
                    time.sleep(2)  # both workers warm up the Chinese segmenter at start (~1 s)
                    return server, url
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.3)
    stop(server)
    raise RuntimeError(f"gunicorn did not start; see {tmp / 'gunicorn.log'}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def foreign_cpu(server: subprocess.Popen, phase) -> tuple[dict, float, list[str]]:
    """Run `phase()`; return its result, the share of the machine's busy CPU time that other
    processes took meanwhile (another test run on a shared machine skews every figure), and the
    busiest of them."""
    import resource

    import psutil  # installed with locust

    def snapshot() -> dict[int, tuple[float, str]]:
        seconds = {}
        for process in psutil.process_iter(["cmdline", "cpu_times"]):
            times = process.info["cpu_times"]
            if times is not None:
                seconds[process.pid] = (times.user + times.system, " ".join(process.info["cmdline"] or [])[:100])
        return seconds

    def ours(pid: int, cmdline: str) -> bool:
        # gunicorn and its workers, and this database's PostgreSQL backends
        return pid in tree or f" {PG_DATABASE} " in f"{cmdline} "

    def finished() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust, once it has exited
        return usage.ru_utime + usage.ru_stime

    def busy() -> float:
        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    master = psutil.Process(server.pid)
    tree = {server.pid, *(child.pid for child in master.children(recursive=True)), os.getpid()}
    before, finished_before, busy_before = snapshot(), finished(), busy()
    result = phase()
    after, total = snapshot(), busy() - busy_before
    deltas = {pid: (cpu - before.get(pid, (0.0, ""))[0], cmdline) for pid, (cpu, cmdline) in after.items()}
    used = sum(d for pid, (d, cmdline) in deltas.items() if ours(pid, cmdline)) + finished() - finished_before
    others = sorted(((d, cmdline) for pid, (d, cmdline) in deltas.items() if not ours(pid, cmdline)), reverse=True)
    busiest = [f"{cmdline} ({d:.1f} s)" for d, cmdline in others[:3] if d >= 0.5]
    return result, (max(0.0, 1 - used / total) if total else 0.0), busiest


def locust(user_class: str, *, url: str, users: int, seconds: int, tmp: Path, accounts: Path) -> dict:
    prefix = tmp / user_class
    env = {**os.environ, "LOADTEST_USERS": str(accounts), "LOADTEST_JOURNAL": str(tmp / "journal.jsonl")}
    with open(tmp / f"{user_class}.log", "w", encoding="utf-8") as output:
        run(
            [
                BIN / "locust",
                f"--locustfile={LOCUSTFILE}",
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                "--stop-timeout=20",  # let each user finish its step, so no answer is cut off mid-request
                f"--host={url}",
                f"--csv={prefix}",
                "--only-summary",
                "--exit-code-on-error=0",
                user_class,
            ],
            env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        stats = {row["Name"]: row for row in csv.DictReader(stats_file)}
    with open(f"{prefix}_failures.csv", encoding="utf-8") as failures_file:
        failures = list(csv.DictReader(failures_file))
    return {"stats": stats, "failures": failures}


def server_times(access_log: Path, start: int = 0, end: int | None = None) -> tuple[dict, Counter, int]:
    """Milliseconds of server time per route (ids replaced by <n>) from lines start:end of
    gunicorn's access log; also the count of replies per status, and the log's line count."""
    times: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    lines = access_log.read_text(encoding="utf-8").splitlines()
    for line in lines[start:end]:
        method, path, status, micros = line.split()
        times[f"{method} {re.sub(r'/[0-9]+', '/<n>', path)}"].append(int(micros) / 1000)
        statuses[int(status)] += 1
    return times, statuses, len(lines)


def start_profilers(server: subprocess.Popen, tmp: Path, seconds: int) -> list[subprocess.Popen]:
    """py-spy on each gunicorn worker for the journey phase (--profile)."""
    import psutil  # installed with locust

    workers = [child.pid for child in psutil.Process(server.pid).children()]
    return [
        subprocess.Popen(  # noqa: S603
            [
                str(BIN / "py-spy"),
                "record",
                f"--pid={pid}",
                f"--duration={seconds}",
                "--format=raw",
                "--nonblocking",
                f"--output={tmp / f'profile-{pid}.txt'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers
    ]


# Where a sample's time is spent: the first of these met walking up from the innermost frame.
LAYERS = [
    ("database driver", r"sqlite3|psycopg|django/db/backends"),
    ("ORM (queries built, rows turned into objects)", r"django/db/models|django/db/transaction"),
    ("templates", r"django/template|template_partials|templatetags"),
    ("key-point matching", r"quiz/matching|jieba|Stemmer"),
    ("Markdown and maths", r"quiz/rendering|markdown_it|mdit_py_plugins|latex2mathml|nh3"),
    ("FSRS scheduling", r"fsrs/|quiz/scheduling"),
    ("forms", r"django/forms"),
    ("sessions, auth, axes, csp, middleware", r"django/contrib|axes/|csp/|middleware|django/core/handlers"),
    ("app code", r"quiz/"),
]


def profile_summary(tmp: Path, focus: str = "submit_answer (") -> list[str]:
    """The answer view's samples by layer, and the functions that hold the most of them."""
    by_layer: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for path in tmp.glob("profile-*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stack, _, samples = line.rpartition(" ")
            frames = stack.split(";")
            start = next((i for i, frame in enumerate(frames) if frame.startswith(focus)), None)
            if start is None:
                continue
            count = int(samples)
            total += count
            inner = frames[start:]
            layer = next(
                (name for frame in reversed(inner) for name, pattern in LAYERS if re.search(pattern, frame)), "other"
            )
            by_layer[layer] += count
            for name in {re.sub(r":\d+\)$", ")", frame) for frame in inner[1:]}:
                inclusive[name] += count
    if not total:
        return ["no samples of the answer view (py-spy needs ptrace)"]
    lines = [f"answer view, {total} samples: time by layer (innermost frame)"]
    lines += [f"  {share / total:>6.1%}  {layer}" for layer, share in by_layer.most_common()]
    lines.append("functions holding the most of it (inclusive):")
    lines += [f"  {share / total:>6.1%}  {name}" for name, share in inclusive.most_common(25)]
    return lines


def rps(phase: dict, name: str) -> float:
    row = phase["stats"].get(name)
    return float(row["Requests/s"]) if row else 0.0


def load_one(database: str, users: int, seconds: int, keep: bool, profile: bool) -> tuple[dict, int]:
    tmp = Path(tempfile.mkdtemp(prefix=f"loadtest-{database}-"))
    env = django_env(database, tmp)
    try:
        accounts = prepare(database, users, tmp, env)
        server, url = start_gunicorn(env, tmp)
        try:
            log(f"{database}: phase 1, bare view: {users} users for {seconds} s against {url}")
            bare, bare_foreign, bare_busiest = foreign_cpu(
                server, lambda: locust("BareUser", url=url, users=users, seconds=seconds, tmp=tmp, accounts=accounts)
            )
            _, _, phase1_lines = server_times(tmp / "access.log")
            log(f"{database}: phase 2, the journey: {users} users for {seconds} s")
            profilers = start_profilers(server, tmp, seconds) if profile else []
            journey, journey_foreign, journey_busiest = foreign_cpu(
                server,
                lambda: locust("JourneyUser", url=url, users=users, seconds=seconds, tmp=tmp, accounts=accounts),
            )
        finally:
            stop(server)
        for profiler in profilers:
            profiler.wait()
        bare_times, bare_statuses, _ = server_times(tmp / "access.log", 0, phase1_lines)
        journey_times, journey_statuses, _ = server_times(tmp / "access.log", phase1_lines)
        counted = run(
            [sys.executable, "-m", "bench.loadtest.run", "--count", tmp / "journal.jsonl", "--out", accounts],
            env,
            stdout=subprocess.PIPE,
            text=True,
        )
        rows = json.loads(counted.stdout.strip().splitlines()[-1])
    finally:
        if database == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")

    server_log = (tmp / "gunicorn.log").read_text(encoding="utf-8")
    tracebacks = server_log.count("Traceback (most recent call last)")
    statuses = bare_statuses + journey_statuses
    http_errors = sum(n for status, n in statuses.items() if status >= 400 and status not in EXPECTED_STATUSES)
    locust_failures = sum(int(f["Occurrences"]) for phase in (bare, journey) for f in phase["failures"])
    bare_rps, answer_rps = rps(bare, "bare"), rps(journey, "answer")
    bare_server = statistics.median(bare_times["GET /bench/bare/"])
    answer_server = statistics.median(journey_times.get("POST /practice/session/<n>/answer/", [0]))
    result = {
        "database": database,
        "users": users,
        "seconds": seconds,
        "bare_rps": round(bare_rps, 1),
        "answer_rps": round(answer_rps, 1),
        "answer_vs_bare": round(answer_rps / bare_rps, 3) if bare_rps else 0.0,
        "errors": max(http_errors, locust_failures),
        "answers_sent": rows["answers_sent"],
        "answers_in_db": rows["answers_in_db"],
        "lost": rows["lost"],
        "duplicated": rows["duplicated"],
        "journey_rps": round(rps(journey, "Aggregated"), 1),
        "bare_server_ms": round(bare_server, 2),
        "answer_server_ms": round(answer_server, 2),
        "answer_vs_bare_server_time": round(bare_server / answer_server, 3) if answer_server else 0.0,
        "mock_saves_sent": rows["mock_saves_sent"],
        "mock_saves_in_db": rows["mock_items_saved_in_db"],
        "mock_saves_lost": rows["mock_saves_lost"],
        "mocks_finished": rows["mocks_finished"],
        "server_tracebacks": tracebacks,
        "other_cpu_share": round(max(bare_foreign, journey_foreign), 3),
    }
    report(result, rows, bare, journey, journey_times, statuses, server_log)
    if result["other_cpu_share"] > 0.05:
        print(
            f"WARNING: other processes took up to {result['other_cpu_share']:.0%} of the busy CPU time during a "
            "phase, so these figures are skewed; run again on a quiet machine. The busiest: "
            + ("; ".join(bare_busiest + journey_busiest) or "(processes that came and went)")
        )
    if profile:
        print("\n".join(["py-spy on both workers during the journey:", *profile_summary(tmp)]))
    mismatch = (
        rows["lost"]
        or rows["duplicated"]
        or rows["mock_saves_lost"]
        or rows["mock_saves_unexpected"]
        or rows["mocks_finished_wrong"]
        or not rows["answers_sent"]  # nothing reached the check: it proves nothing
    )
    if not rows["answers_sent"]:
        print(f"{database}: the journey sent no answer, so nothing was checked: run longer (--seconds)")
    status = 1 if mismatch else 2 if result["errors"] or tracebacks else 0
    if keep or status:
        log(f"{database}: logs, journal and locust CSV kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return result, status


def report(result, rows, bare, journey, journey_times, statuses, server_log) -> None:
    db = result["database"]
    print(f"\n=== {db}: {result['users']} users, {result['seconds']} s per phase, gunicorn 2 workers ===")
    print(f"{'phase':<9}{'request':<24}{'count':>8}{'fail':>6}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}")
    for label, phase in (("bare", bare), ("journey", journey)):
        for name, row in phase["stats"].items():
            print(
                f"{label:<9}{name or '':<24}{row['Request Count']:>8}{row['Failure Count']:>6}"
                f"{float(row['Requests/s']):>9.1f}{float(row['Median Response Time']):>11.0f}{row['95%']:>9}"
            )
    verdict = "meets" if result["answer_vs_bare"] >= BAR else "BELOW"
    print(
        f"\nanswer submission {result['answer_rps']} req/s vs bare view {result['bare_rps']} req/s: "
        f"{result['answer_vs_bare']:.1%} ({verdict} the {BAR:.0%} bar)"
    )
    print(
        f"server time (gunicorn access log, median): bare {result['bare_server_ms']} ms, answer "
        f"{result['answer_server_ms']} ms, so a worker serves {result['answer_vs_bare_server_time']:.1%} as many "
        "answers as bare views"
    )
    print(f"replies by status: {dict(sorted(statuses.items()))}; errors: {result['errors']}")
    for phase in (bare, journey):
        for failure in phase["failures"]:
            print(f"  failure: {failure['Method']} {failure['Name']}: {failure['Error']} × {failure['Occurrences']}")
    if result["server_tracebacks"]:
        print(f"  {result['server_tracebacks']} traceback(s) in the server log; the first:")
        first = server_log.index("Traceback (most recent call last)")
        print("  " + server_log[first : first + 3000].replace("\n", "\n  "))
    print(
        f"answers: sent {rows['answers_sent']}, accepted {rows['answers_accepted']}, rows in the database "
        f"{rows['answers_in_db']}, lost {rows['lost']}, duplicated {rows['duplicated']}, "
        f"unconfirmed {rows['answers_unconfirmed']}"
    )
    print(
        f"mock saves: sent {rows['mock_saves_sent']}, accepted {rows['mock_saves_accepted']}, saved in the "
        f"database {rows['mock_items_saved_in_db']}, lost {rows['mock_saves_lost']}, unexpected "
        f"{rows['mock_saves_unexpected']}; mocks finished {rows['mocks_finished']}, scored wrongly "
        f"{rows['mocks_finished_wrong'] or 0}"
    )
    print(f"{'user':<10}{'sent':>6}{'accepted':>10}{'rows':>6}{'mock saves':>12}{'saved':>7}{'all rows':>10}")
    for user in rows["per_user"]:
        print(
            f"{user['user']:<10}{user['answers_sent']:>6}{user['answers_accepted']:>10}"
            f"{user['attempts_practice']:>6}{user['mock_saves_accepted']:>12}{user['mock_items_saved']:>7}"
            f"{user['attempts_all']:>10}"
        )
    total = sum(sum(t) for t in journey_times.values())
    print("where the server's time goes in the journey (gunicorn access log):")
    print(f"  {'route':<44}{'count':>7}{'median ms':>11}{'mean ms':>9}{'share':>8}")
    for route, times in sorted(journey_times.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {route:<44}{len(times):>7}{statistics.median(times):>11.1f}{statistics.fmean(times):>9.1f}"
            f"{sum(times) / total:>8.1%}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users (default 8)")
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase (default 30)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, journal, CSV)")
    parser.add_argument("--profile", action="store_true", help="py-spy the workers in the journey phase")
    parser.add_argument("--strict", action="store_true", help="also fail (exit 3) below the 50 %% bar")
    parser.add_argument("--setup-users", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup_users:
        setup_users(args.setup_users, args.out)
        return 0
    if args.count:
        print(json.dumps(count_rows(args.count, args.out)))
        return 0

    # Stopped from outside (kill, CI timeout): unwind, so gunicorn (in its own session, out of
    # reach of the terminal's Ctrl-C and of a group kill) is stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results, statuses = [], []
    for database in databases:
        result, status = load_one(database, args.users, args.seconds, args.keep, args.profile)
        results.append(result)
        statuses.append(status)
    if args.strict and any(r["answer_vs_bare"] < BAR for r in results):
        statuses.append(3)
    print()
    for result in results:
        print(json.dumps(result))
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
