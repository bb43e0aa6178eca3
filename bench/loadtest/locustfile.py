"""Locust users for `make loadtest` (started by bench/loadtest/run.py, one class per phase).

BareUser: signed in (a session made by the orchestrator), requests the bare view only.
JourneyUser: signs in through the login form, practises (session page, reveal with typed text,
rate 1-4), and every MOCK_EVERY-th user also takes mock interviews (save each answer, finish).
Each answer and mock save is written to the journal (JSONL) before it is sent and again with
the server's reply, so the orchestrator can compare it with the rows in the database.

Environment: LOADTEST_USERS (JSON file: username, password, sessionid), LOADTEST_JOURNAL.
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

import gevent
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

MOCK_EVERY = 4  # users 1, 5, 9, ... also take mock interviews
DOUBLE_CLICK_EVERY = 10  # every 10th answer is sent twice at once (a double click)
HTMX = {"HX-Request": "true"}
FORM = "application/x-www-form-urlencoded"
TYPED = [
    "Gradient descent moves the weights against the gradient of the loss.",
    "Dropout randomly zeroes activations during training, which regularises the network.",
    "Batch normalisation normalises each mini-batch and then scales and shifts it.",
    "The vanishing gradient problem: gradients shrink through many layers, so early layers learn slowly.",
    "Softmax turns logits into probabilities; cross-entropy compares them with the labels.",
    "梯度下降沿着损失函数梯度的反方向更新参数。",
    "",
]

RNG = random.Random()  # noqa: S311 - choosing test data, not secrets
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r'name="item" value="(\d+)"')
POINT = re.compile(r'name="points" value="(\d+)"\s*(checked)?')
SESSION_URL = re.compile(r"/practice/session/(\d+)/$")
MOCK_URL = re.compile(r"/mock/(\d+)/(?:q/(\d+)/)?$")
CHOICE = re.compile(r'name="choice" value="(\d+)"')

with open(os.environ["LOADTEST_USERS"], encoding="utf-8") as accounts_file:
    ACCOUNTS = json.load(accounts_file)
_next_account = itertools.count()
_journal = open(os.environ["LOADTEST_JOURNAL"], "a", encoding="utf-8")  # noqa: SIM115 - whole run


def journal(**entry) -> None:
    _journal.write(json.dumps(entry) + "\n")
    _journal.flush()


def form(**fields) -> bytes:
    """Form-encode, with lists as repeated fields (points=1&points=2)."""
    pairs = []
    for name, value in fields.items():
        pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return urlencode(pairs).encode()


class BareUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.cookie = {"Cookie": f"sessionid={account['sessionid']}"}

    @task
    def bare(self):
        self.client.get("/bench/bare/", name="bare", headers=self.cookie)


class JourneyUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        number = next(_next_account)
        if number >= len(ACCOUNTS):
            raise StopUser  # never two locust users on one account: their answers would mix
        self.account = ACCOUNTS[number]
        self.username = self.account["username"]
        self.takes_mocks = number % MOCK_EVERY == 0
        self.session_pk = None
        self.mock = None  # (pk, position, visible positions)
        self.answers = 0
        self.sessions = 0
        self.steps = 0
        self.csrf = ""
        self.login()

    # --- helpers -------------------------------------------------------------------------
    def remember_csrf(self, text: str | None) -> None:
        match = CSRF.search(text or "")
        if match:
            self.csrf = match.group(1)

    def get(self, url, name, **kwargs):
        response = self.client.get(url, name=name, allow_redirects=False, **kwargs)
        self.remember_csrf(response.text)
        return response

    def post(self, url, name, htmx=False, **fields):
        headers = {"Content-Type": FORM, **(HTMX if htmx else {})}
        data = form(csrfmiddlewaretoken=self.csrf, **fields)
        response = self.client.post(url, name=name, data=data, headers=headers, allow_redirects=False)
        self.remember_csrf(response.text)
        return response

    @staticmethod
    def location(response) -> str:
        return (response.headers or {}).get("location", "") if response.status_code in (301, 302, 303) else ""

    # --- sign in -------------------------------------------------------------------------
    def login(self):
        self.get("/accounts/login/", "login page")
        response = self.post(
            "/accounts/login/", "login", username=self.username, password=self.account["password"], next=""
        )
        target = self.location(response)
        if not target or "/accounts/login/" in target:
            raise StopUser  # the failed login is already counted as an error (status or below)
        self.get(target, "dashboard")

    # --- the journey ---------------------------------------------------------------------
    @task
    def step(self):
        self.steps += 1
        if self.takes_mocks and self.steps % 2 == 0:
            self.mock_step()
        else:
            self.practice_step()

    def next_mode(self) -> str:
        # New questions first (the daily limit of new ones is 20), then recall of any question.
        self.sessions += 1
        return "new" if self.sessions == 1 else "recall"

    def practice_step(self):
        if self.session_pk is None:
            response = self.post("/practice/start/", "start practice", mode=self.next_mode(), size=10)
            match = SESSION_URL.search(self.location(response))
            if match is None:
                return
            self.session_pk = int(match.group(1))
        base = f"/practice/session/{self.session_pk}/"
        page = self.get(base, "session page")
        item = ITEM.search(page.text or "")
        if page.status_code != 200 or item is None:
            self.session_pk = None  # the summary: the session is over
            return
        item = int(item.group(1))
        points = []
        if f'action="{base}reveal/"' in page.text:
            card = self.post(f"{base}reveal/", "reveal", htmx=True, item=item, answer=RNG.choice(TYPED))
            if card.status_code != 200:
                return
            points = [int(pk) for pk, checked in POINT.findall(card.text or "") if checked]
        elif f'action="{base}answer/"' not in page.text:
            self.session_pk = None  # a drill or something this journey does not answer
            return
        self.answer(base, item, rating=RNG.choices([1, 2, 3, 4], weights=[15, 15, 55, 15])[0], points=points)

    def answer(self, base: str, item: int, *, rating: int, points: list[int]):
        self.answers += 1
        double = self.answers % DOUBLE_CLICK_EVERY == 0
        key = {"user": self.username, "session": self.session_pk, "item": item}
        journal(kind="answer", event="sent", double=double, **key)

        def send(name):
            return self.post(f"{base}answer/", name, htmx=True, item=item, rating=rating, points=points)

        if double:
            clicks = [gevent.spawn(send, "answer"), gevent.spawn(send, "answer (second click)")]
            gevent.joinall(clicks)
            statuses = [click.value.status_code if click.value is not None else 0 for click in clicks]
        else:
            statuses = [send("answer").status_code]
        journal(kind="answer", event="reply", statuses=statuses, accepted=200 in statuses, **key)

    def mock_step(self):
        if self.mock is None:
            response = self.post("/mock/start/", "start mock", length=5, minutes="", mix="balanced")
            match = MOCK_URL.search(self.location(response))
            if match is None:
                return
            resume = self.get(self.location(response), "mock resume")
            match = MOCK_URL.search(self.location(resume))
            if match is None or match.group(2) is None:
                return
            self.mock = (int(match.group(1)), int(match.group(2)))
        pk, position = self.mock
        page = self.get(f"/mock/{pk}/q/{position}/", "mock question")
        if page.status_code != 200:
            self.mock = None
            return
        visible = sorted({int(p) for p in re.findall(rf'href="/mock/{pk}/q/(\d+)/"', page.text)})
        choices = CHOICE.findall(page.text)
        fields = {"confidence": RNG.choice([1, 2, 3])}
        if choices:
            fields["choice"] = RNG.choice(choices)
        else:
            fields["answer"] = RNG.choice([t for t in TYPED if t])
        key = {"user": self.username, "mock": pk, "position": position}
        journal(kind="mock_save", event="sent", **key)
        saved = self.post(f"/mock/{pk}/q/{position}/save/", "mock save", htmx=True, **fields)
        journal(kind="mock_save", event="reply", statuses=[saved.status_code], accepted=saved.status_code == 200, **key)
        # Positions are contiguous and a hidden one is the follow-up of the question before it,
        # shown once that question has an answer: so position + 1 is next, if any comes later.
        if any(p > position for p in visible):
            self.mock = (pk, position + 1)
            return
        journal(kind="mock_finish", event="sent", user=self.username, mock=pk)
        finished = self.post(f"/mock/{pk}/finish/", "mock finish")
        report = self.location(finished)
        if report:
            self.get(report, "mock report")
        journal(kind="mock_finish", event="reply", user=self.username, mock=pk, accepted=bool(report))
        self.mock = None
