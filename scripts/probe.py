"""A small re-run of the December probe (shared/reports/security-2026-12.md) over real HTTP.

Run it against a fresh production-like server (DEBUG=0, gunicorn, 2 workers) — see docs/security.md:
    python3 scripts/probe.py http://127.0.0.1:8002
It prints one JSON object: the status codes of each check (D1 … D12). It creates accounts, so use a
throwaway database; the sign-up limit means a second run needs a new one.
"""

import concurrent.futures as cf
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

BASE = sys.argv[1]
results = {}


class Browser:
    def __init__(self):
        class Policy(http.cookiejar.DefaultCookiePolicy):
            def return_ok_secure(self, cookie, request):
                return True  # the probe talks http to 127.0.0.1

            def set_ok(self, cookie, request):
                return True

        self.jar = http.cookiejar.CookieJar(policy=Policy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def req(self, method, path, data=None):
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        r = urllib.request.Request(BASE + path, data=body, method=method)  # noqa: S310 - http only
        r.add_header("Referer", BASE.replace("http:", "https:") + "/")
        r.add_header("X-CSRFToken", self.csrf())
        r.add_header("X-Forwarded-Proto", "https")
        try:
            with self.opener.open(r, timeout=30) as resp:
                return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return urllib.response.addinfourl(fp, headers, req.full_url, code)

    http_error_301 = http_error_303 = http_error_302


def login(name, password="probe-pass-2026x"):  # noqa: S107 - a throwaway test account
    b = Browser()
    b.req("GET", "/accounts/login/")
    s, _h, _ = b.req(
        "POST", "/accounts/login/", {"username": name, "password": password, "csrfmiddlewaretoken": b.csrf()}
    )
    return b, s


def signup(name, email=""):
    b = Browser()
    b.req("GET", "/accounts/signup/")
    s, h, body = b.req(
        "POST",
        "/accounts/signup/",
        {
            "username": name,
            "email": email,
            "password1": "probe-pass-2026x",
            "password2": "probe-pass-2026x",
            "csrfmiddlewaretoken": b.csrf(),
        },
    )
    return b, s, h, body


def burst(n, fn):
    with cf.ThreadPoolExecutor(n) as pool:
        return sorted(f.result() for f in [pool.submit(fn) for _ in range(n)])


owner, s, _, _ = signup("probeowner", "owner@example.com")
results["signup"] = s
# D1: double-clicks on answer (10 at once)
s, h, _ = owner.req("POST", "/practice/start/", {"mode": "new", "size": "3", "csrfmiddlewaretoken": owner.csrf()})
session = h["Location"]
_, _, page = owner.req("GET", session)
item = re.search(r'name="item" value="(\d+)"', page).group(1)
pk = re.search(r"/practice/session/(\d+)/", session).group(1)
owner.req(
    "POST", f"/practice/session/{pk}/reveal/", {"item": item, "answer": "probe", "csrfmiddlewaretoken": owner.csrf()}
)
results["D1 answer x10"] = burst(
    10,
    lambda: owner.req(
        "POST", f"/practice/session/{pk}/answer/", {"item": item, "rating": "3", "csrfmiddlewaretoken": owner.csrf()}
    )[0],
)
results["D1 flag x10"] = burst(
    10,
    lambda: owner.req("POST", "/question/sigmoid-function/flag/", {"next": "/", "csrfmiddlewaretoken": owner.csrf()})[
        0
    ],
)
# D2: 10 simultaneous mock starts
results["D2 start x10"] = burst(
    10,
    lambda: owner.req(
        "POST", "/mock/start/", {"length": "5", "minutes": "15", "mix": "balanced", "csrfmiddlewaretoken": owner.csrf()}
    )[0],
)
# D5-D7
results["D5 next=abc"] = owner.req(
    "POST", "/question/sigmoid-function/flag/", {"next": "abc", "csrfmiddlewaretoken": owner.csrf()}
)[0]
results["D6 topic 2^64"] = owner.req(
    "POST",
    "/practice/start/",
    {"mode": "recall", "size": "5", "topics": str(2**64), "csrfmiddlewaretoken": owner.csrf()},
)[0]
results["fuzz-found 5000-digit topic"] = owner.req("GET", "/practice/?topics=" + "9" * 5000)[0]
_, h, _ = owner.req("GET", "/mock/")
mock = re.search(r"/mock/(\d+)/", owner.req("GET", "/mock/")[2])
mpk = mock.group(1) if mock else None
if mpk:
    results["D7 go=² / ① / 5000 digits"] = [
        owner.req("POST", f"/mock/{mpk}/q/1/save/", {"answer": "x", "go": g, "csrfmiddlewaretoken": owner.csrf()})[0]
        for g in ("²", "①", "9" * 5000)
    ]
# D3: 30 wrong passwords then the right one
statuses = [login("probeowner", f"wrong-{i}")[1] for i in range(30)]
results["D3 30 wrong then right"] = (sorted(set(statuses)), login("probeowner")[1])
# D8: sign-up with a registered e-mail vs a new one
_, s1, h1, _ = signup("probenew1", "fresh@example.com")
_, s2, h2, _ = signup("probenew2", "owner@example.com")
results["D8 same response"] = (s1, s2, h1.get("Location"), h2.get("Location"))
# D9: sign-ups and resets
results["D9 sign-ups from one client"] = [signup(f"probeflood{i}")[1] for i in range(4)]
b = Browser()
b.req("GET", "/accounts/password_reset/")
results["D9 resets"] = [
    b.req("POST", "/accounts/password_reset/", {"email": "owner@example.com", "csrfmiddlewaretoken": b.csrf()})[0]
    for _ in range(12)
]
# D10 / D12
s, h, _ = owner.req("GET", "/dashboard/")
results["D10 headers"] = {k: h.get(k) for k in ("Cache-Control", "Content-Security-Policy", "Permissions-Policy")}
results["D12 HEAD"] = [
    owner.req("HEAD", p)[0] for p in ("/", "/questions/", "/glossary/", "/question/sigmoid-function/")
]
print(json.dumps(results, indent=1, ensure_ascii=False))
