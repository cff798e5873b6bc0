# Casework: `make run` serves a demo on 127.0.0.1:$PORT, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PORT ?= 8000
MANAGE := $(VENV)/bin/python manage.py
# Local runs and tests use development settings; wsgi.py defaults to production.
export CASEWORK_ENV ?= development

.PHONY: setup system run serve demo-data test fuzz lint format lock clean

setup: system $(VENV)/.installed

system:
	@./scripts/system-packages

$(VENV)/.installed: requirements-dev.lock
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	@touch $@

demo-data: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_policy
	$(MANAGE) seed_demo

# The server and, beside it, the mail worker that sends every e-mail; Ctrl-C stops both.
run: demo-data
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: setup
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

# The property-based tests, randomised, with ten times the examples: for finding new
# failures (each one found is then kept in its test as an @example).
FUZZ_TESTS := tests/test_form_fuzz.py tests/test_request_fuzz.py tests/test_stateful_lifecycle.py
fuzz: setup
	CASEWORK_HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest -n auto $(FUZZ_TESTS) $(PYTEST_ARGS)

# Style, then the import contracts in pyproject.toml (imports point down the layers).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-pins every dependency from pyproject.toml (needs uv and network access).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header -o requirements-dev.lock

clean:
	rm -rf $(VENV) var/casework.sqlite3 var/media test-artifacts
