"""Generated requests against every endpoint, as an anonymous visitor, the owner and another user.

For each request: never a 5xx; another user's objects are a 404 (or 405 for a wrong method) and never
show the owner's words; a rejected request (4xx, or the login redirect) changes no row of anyone's
history; and nothing but the owner's own requests changes the owner's history. Hypothesis draws the
endpoint, method, path ids (the owner's, junk, too large for any column) and form values (valid
choices, digits in other scripts, NUL, 5,000-digit numbers, markup). Derandomised, so CI is repeatable.
"""

import hashlib
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.models import (
    Attempt,
    AttemptKeyPoint,
    Card,
    MockInterview,
    MockItem,
    PracticeSession,
    ProblemReport,
    Profile,
    Question,
    ReviewLog,
    SessionItem,
    Topic,
)
from tests.factories import make_mock, make_user

pytestmark = pytest.mark.django_db

# Three tests (one per actor) share the budget of >= 10,000 requests per database.
EXAMPLES = int(__import__("os").environ.get("FUZZ_EXAMPLES", "3400"))
SECRET = "owner-secret-5f2c"
PASSWORD = "correct horse battery"


@dataclass
class World:
    owner: User
    intruder: User
    session: PracticeSession
    open_mock: MockInterview
    finished_mock: MockInterview
    question: Question
    topic: Topic


@pytest.fixture
def world(db):
    owner = make_user(username="owner", password=PASSWORD)
    intruder = make_user(username="intruder", password=PASSWORD)
    client = Client()
    client.force_login(owner)
    topic = Topic.objects.get(slug="activation-functions")
    questions = list(topic.questions.active().order_by("position")[:3])
    session = PracticeSession.objects.create(user=owner, mode="recall")
    SessionItem.objects.create(session=session, position=1, question=questions[0])
    SessionItem.objects.create(session=session, position=2, question=questions[1], drill=questions[1].drills.first())
    first = session.items.get(position=1)
    client.get(session.get_absolute_url())
    client.post(reverse("quiz:reveal_answer", args=[session.pk]), {"item": first.pk, "answer": SECRET})
    client.post(reverse("quiz:submit_answer", args=[session.pk]), {"item": first.pk, "rating": 3})
    finished = make_mock(user=owner, questions=questions)
    client.post(reverse("quiz:save_mock_answer", args=[finished.pk, 1]), {"answer": SECRET, "confidence": 2})
    client.post(reverse("quiz:finish_mock", args=[finished.pk]))
    open_mock = make_mock(user=owner, questions=questions, minutes=600, drill_positions=(2,))
    client.post(reverse("quiz:save_mock_answer", args=[open_mock.pk, 1]), {"answer": SECRET})
    finished.refresh_from_db()
    assert Attempt.objects.filter(user=owner, answer_text=SECRET).exists()
    assert finished.finished_at is not None
    return World(owner, intruder, session, open_mock, finished, questions[0], topic)


# --- what a request can be -------------------------------------------------------------------

JUNK_TEXT = ["", " ", "²", "①", "١٢", "9" * 5000, "\x00", "a\x00b", "<script>x</script>", "' OR 1=1 --", "../../"]
BIG = [0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]


def junk():
    return st.one_of(
        st.sampled_from(JUNK_TEXT),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


def valid_or_junk(*valid):
    return st.one_of(st.sampled_from([str(v) for v in valid]), junk())


def fields(world):
    """Form fields the endpoints read, each with valid values and junk."""
    item_ids = list(world.session.items.values_list("pk", flat=True))
    return {
        "topics": valid_or_junk(world.topic.pk, 1, 2**63),
        "difficulty": valid_or_junk("easy", "medium", "hard"),
        "mode": valid_or_junk("new", "due", "recall", "drill", "mistakes", "weak", "flagged"),
        "size": valid_or_junk(5, 10, 20),
        "item": valid_or_junk(*item_ids),
        "answer": st.one_of(st.text(max_size=200), st.sampled_from(JUNK_TEXT)),
        "rating": valid_or_junk(1, 2, 3, 4),
        "points": valid_or_junk(1, 2, 3),
        "choice": valid_or_junk(1, 2, 3),
        "confidence": valid_or_junk(1, 2, 3),
        "flagged": valid_or_junk("on", "true"),
        "go": valid_or_junk(1, 2, 3, "next", "prev"),
        "next": valid_or_junk("/", "/history/", "https://evil.example/", "//evil.example", "abc"),
        "length": valid_or_junk(5, 10, 15),
        "minutes": valid_or_junk(0.5, 15, 30, 45),
        "mix": valid_or_junk("balanced", "easy", "hard"),
        "kind": valid_or_junk("wrong", "unclear", "other"),
        "details": junk(),
        "interview_date": valid_or_junk("2027-01-15", "2026-02-30", "0000-00-00"),
        "time_zone": valid_or_junk("Asia/Shanghai", "UTC", "Mars/Olympus"),
        "desired_retention": valid_or_junk(0.9, 0.5, "nan", "inf"),
        "email": valid_or_junk("a@example.com", "owner@example.com"),
        "password": valid_or_junk("wrong password"),
        "confirm": valid_or_junk("on"),
        "username": valid_or_junk("owner", "newbie"),
        "password1": valid_or_junk("tensor-flow-42-graph"),
        "password2": valid_or_junk("tensor-flow-42-graph"),
        "old_password": valid_or_junk("nope"),
        "new_password1": valid_or_junk("tensor-flow-42-graph"),
        "new_password2": valid_or_junk("tensor-flow-42-graph"),
        "language": valid_or_junk("en", "zh-hans", "xx"),
        "q": junk(),
        "page": valid_or_junk(1, 2, 10**30),
        "position": valid_or_junk(1, 2),
    }


@dataclass(frozen=True)
class Endpoint:
    name: str
    args: tuple = ()  # kinds: session, mock, finished, position, slug, topic, token
    fields: tuple = ()
    owned: bool = False  # the path names an object of the owner


ENDPOINTS = [
    Endpoint("quiz:home"),
    Endpoint("quiz:dashboard"),
    Endpoint("quiz:practice", fields=("topics", "difficulty", "mode")),
    Endpoint("quiz:start_practice", fields=("topics", "difficulty", "mode", "size")),
    Endpoint("quiz:practice_session", ("session",), owned=True),
    Endpoint("quiz:reveal_answer", ("session",), ("item", "answer"), owned=True),
    Endpoint("quiz:submit_answer", ("session",), ("item", "rating", "points", "choice"), owned=True),
    Endpoint("quiz:practice_feedback", ("session", "position"), owned=True),
    Endpoint("quiz:flag_question", ("slug",), ("next",)),
    Endpoint("quiz:mock"),
    Endpoint("quiz:start_mock", fields=("topics", "length", "minutes", "mix")),
    Endpoint("quiz:mock_history"),
    Endpoint("quiz:mock_interview", ("mock",), owned=True),
    Endpoint("quiz:mock_question", ("mock", "position"), owned=True),
    Endpoint(
        "quiz:save_mock_answer", ("mock", "position"), ("answer", "choice", "confidence", "flagged", "go"), owned=True
    ),
    Endpoint("quiz:finish_mock", ("mock",), owned=True),
    Endpoint("quiz:mock_report", ("finished",), owned=True),
    Endpoint("quiz:correct_mock_answer", ("finished", "position"), ("points",), owned=True),
    Endpoint("quiz:review"),
    Endpoint("quiz:topics"),
    Endpoint("quiz:topic", ("topic",)),
    Endpoint("quiz:question", ("slug",)),
    Endpoint("quiz:report_problem", ("slug",), ("kind", "details")),
    Endpoint("quiz:glossary", fields=("q",)),
    Endpoint("quiz:history", fields=("page", "q")),
    Endpoint("quiz:settings", fields=("interview_date", "time_zone", "desired_retention")),
    Endpoint("quiz:export_history", ("format",)),
    Endpoint("quiz:change_email", fields=("email",)),
    Endpoint("quiz:delete_account", fields=("password", "confirm")),
    Endpoint("signup", fields=("username", "email", "password1", "password2")),
    Endpoint("confirm_email", ("token",)),
    Endpoint("login", fields=("username", "password")),
    Endpoint("password_reset", fields=("email",)),
    Endpoint("password_change", fields=("old_password", "new_password1", "new_password2")),
    Endpoint("set_language", fields=("language", "next")),
]


def path_args(world, endpoint):
    kinds = {
        "session": st.one_of(st.just(world.session.pk), st.sampled_from(BIG[:4])),
        "mock": st.one_of(st.just(world.open_mock.pk), st.just(world.finished_mock.pk), st.sampled_from(BIG[:4])),
        "finished": st.one_of(st.just(world.finished_mock.pk), st.just(world.open_mock.pk), st.sampled_from(BIG[:4])),
        "position": st.one_of(st.sampled_from([1, 2, 3, 4]), st.sampled_from(BIG[:4])),
        "slug": st.one_of(st.just(world.question.slug), st.sampled_from(["no-such-question", "a" * 50])),
        "topic": st.one_of(st.just(world.topic.slug), st.just("no-such-topic")),
        "format": st.sampled_from(["csv", "json"]),
        "token": st.one_of(st.sampled_from(["x", "eyJ1c2VyIjoxfQ:abc:def"]), st.text(alphabet="abc:-_", max_size=30)),
    }
    return st.tuples(*(kinds[kind] for kind in endpoint.args)) if endpoint.args else st.just(())


@st.composite
def requests(draw, world, field_values):
    endpoint = draw(st.sampled_from(ENDPOINTS))
    args = draw(path_args(world, endpoint))
    try:
        url = reverse(endpoint.name, args=args)
    except Exception:  # a junk argument the URL pattern cannot hold (e.g. -1): the router would 404 it
        url = reverse(endpoint.name, args=[1] * len(args)) if args else reverse(endpoint.name)
    method = draw(st.sampled_from(["get", "post", "post", "head", "put"]))
    chosen = draw(st.lists(st.sampled_from(endpoint.fields), unique=True)) if endpoint.fields else []
    data = {name: draw(field_values[name]) for name in chosen}
    htmx = draw(st.booleans())
    return endpoint, url, method, data, htmx


# --- what must hold --------------------------------------------------------------------------

HISTORY = {
    Attempt: "user",
    AttemptKeyPoint: "attempt__user",
    Card: "user",
    ReviewLog: "card__user",
    PracticeSession: "user",
    SessionItem: "session__user",
    MockInterview: "user",
    MockItem: "mock__user",
    ProblemReport: "user",
    Profile: "user",
}
# When a card was first put on screen: any page that shows it stamps it, an error page included
# (a rejected answer re-renders the session at its current card). It is display state, not history.
SHOWN_STAMPS = {"shown_at"}


def snapshot(users) -> dict[int, str]:
    """Per user, a digest of every history row (answers, marks, cards, sessions, mocks, account)."""
    ids = [user.pk for user in users]
    rows = {pk: [] for pk in ids}
    for row in User.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "password", "email", "is_active"):
        rows[row[0]].append(row)
    for model, owner in HISTORY.items():
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in SHOWN_STAMPS]
        for row in model.objects.filter(**{f"{owner}__in": ids}).order_by("pk").values_list(owner, *columns):
            rows[row[0]].append((model.__name__, *row[1:]))
    return {pk: hashlib.sha256(repr(user_rows).encode()).hexdigest() for pk, user_rows in rows.items()}


def send(client, method, url, data, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "get":
        return client.get(url, data, headers=headers)
    if method == "head":
        return client.head(url, data, headers=headers)
    if method == "put":
        return client.put(url, data, headers=headers)
    return client.post(url, data, headers=headers)


def rejected(response) -> bool:
    login_redirect = response.status_code == 302 and response.get("Location", "").startswith(reverse("login"))
    return 400 <= response.status_code < 500 or login_redirect


def fuzz(world, actor):
    field_values = fields(world)
    users = [world.owner, world.intruder]
    client = Client()
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    state = {"now": snapshot(users), "sent": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(requests(world, field_values))
    def one(request):
        endpoint, url, method, data, htmx = request
        before = state["now"]

        response = send(client, method, url, data, htmx)
        state["sent"] += 1
        after = state["now"] = snapshot(users)

        where = f"{method.upper()} {url} {data!r:.300} as {actor}"
        assert response.status_code < 500, where
        if actor != "owner":
            assert SECRET.encode() not in response.content, where
            assert after[world.owner.pk] == before[world.owner.pk], where
        if actor == "intruder" and endpoint.owned:
            assert response.status_code in (404, 405), where
        if rejected(response):
            assert after == before, where

    one()
    return state["sent"]


def test_anonymous_requests(world):
    assert fuzz(world, "anonymous") == EXAMPLES


def test_another_users_requests(world):
    assert fuzz(world, "intruder") == EXAMPLES


def test_the_owners_own_requests(world):
    assert fuzz(world, "owner") == EXAMPLES
