# StoryForge: `make run` serves the app, `make test` runs the whole suite.
# Both create .venv and install the pinned requirements when needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint format check audit clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "StoryForge: http://127.0.0.1:$(PORT)/  (demo login: demo / storyforge-demo; Ctrl-C stops)"
	$(BIN)/python manage.py services run

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# First pass: everything on SQLite. Second pass: the database tests again on a
# throw-away PostgreSQL cluster. Coverage adds up both and must reach the floor.
test: lint
	$(BIN)/pytest -n 2 --cov --cov-report= $(PYTEST_ARGS)
	STORYFORGE_TEST_DATABASE=postgres $(BIN)/pytest -n 2 -m both_databases --cov --cov-append --cov-report= $(PYTEST_ARGS)
	$(BIN)/coverage report --fail-under=90

check: $(VENV)/.installed
	$(BIN)/python manage.py check

# Known vulnerabilities in the pinned runtime dependencies (docs/security.md). Needs
# network access to PyPI's advisory data, so it is not part of `make test`.
audit: $(VENV)/.installed
	$(BIN)/pip-audit -r requirements.txt

clean-venv:
	rm -rf $(VENV)
