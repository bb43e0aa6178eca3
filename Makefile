# DLPrep: `make run` serves the site, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := $(shell command -v chromium || command -v chromium-browser)
PG_URL := postgres://app:app@127.0.0.1:5432/app

.PHONY: run test lint validate demo bench grading-bench loadtest messages chromium postgres clean

$(VENV)/.app: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.app requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.app
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_questions
	$(PY) manage.py runserver 127.0.0.1:8000

## test: lint, vendored-file checksums, the production static build, then the whole suite
## (browser tests included) on SQLite; under CI=true once more on PostgreSQL.
test: $(VENV)/.dev chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd static/vendor && sha256sum --check --quiet SHA256SUMS
	cd tests/e2e/vendor && sha256sum --check --quiet SHA256SUMS
	DEBUG=0 SECRET_KEY=collectstatic-check STATIC_ROOT=$$(mktemp -d) $(PY) manage.py collectstatic --noinput --verbosity 0
	DATABASE_URL= $(VENV)/bin/pytest
ifeq ($(CI),true)
	$(MAKE) postgres
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest
endif

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: 200 users, 1,000,000 answers (one user with 20,000), pages timed against a bare view.
## SQLite (bench-db.sqlite3) by default; PostgreSQL with DATABASE_URL. The data is built once.
bench: $(VENV)/.app
	$(PY) -m bench.run

## grading-bench: the key-point detector against labelled candidate answers (dev and held-out parts).
grading-bench: $(VENV)/.app
	$(PY) -m bench.grading.run

## loadtest: locust over real HTTP against gunicorn (2 workers): a bare view, then USERS (8) users who
## sign in, practise and save mock answers for DURATION (30) s each; every answer must reach the database.
## SQLite and PostgreSQL by default; DATABASE=sqlite or DATABASE=postgresql for one (docs/performance.md §3).
loadtest: $(VENV)/.app
	$(PY) -m pip install --quiet -r requirements-loadtest.txt
	[ "$(DATABASE)" = sqlite ] || $(MAKE) --no-print-directory postgres
	$(PY) -m bench.loadtest.run --database $(or $(DATABASE),both) --users $(or $(USERS),8) --seconds $(or $(DURATION),30)

validate: $(VENV)/.app
	$(PY) -m quiz.bank fixtures

demo: $(VENV)/.app
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_questions
	$(PY) manage.py seed_demo

messages: $(VENV)/.app
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location --ignore '.venv/*'
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

chromium:
	@test -n "$(CHROMIUM)" || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null)

postgres:
	$(SUDO) bash scripts/postgres.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
