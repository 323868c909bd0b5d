# teamhub — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app teamhub
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
BENCH_STAMP := $(VENV)/.bench-installed
MUTATE_STAMP := $(VENV)/.mutate-installed
TEAMHUB_BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CATALOGS := $(wildcard teamhub/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.DEFAULT_GOAL := help
.PHONY: help install run serve test test-sqlite test-postgres lint format translations messages bench bench-test mutate

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(APP_STAMP)
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

$(BENCH_STAMP): pyproject.toml $(APP_STAMP)
	$(BIN)/pip install -q -e '.[bench]'
	@touch $@

$(MUTATE_STAMP): pyproject.toml $(TEST_STAMP)
	$(BIN)/pip install -q -e '.[test,mutate]'
	@touch $@

%.mo: %.po $(APP_STAMP)
	$(BIN)/pybabel compile -i $< -o $@

translations: $(COMPILED) ## Compile the message catalogs

install: $(APP_STAMP) translations ## Create .venv and install the app

run: install ## Run the app with demo data on http://127.0.0.1:5000, and the scheduler beside it
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(TEST_STAMP) translations ## Run the whole suite (SQLite; PostgreSQL too when TEAMHUB_TEST_DATABASE_URL is set)
	TEAMHUB_TEST_DATABASE_URL= $(BIN)/pytest
	@if [ -n "$$TEAMHUB_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on $$TEAMHUB_TEST_DATABASE_URL =="; \
		$(BIN)/pytest -m "not browser" -p no:cacheprovider; \
	fi

lint: $(TEST_STAMP) ## ruff lint and format check, and the import layers (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(TEST_STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(APP_STAMP) ## Extract new strings into the catalogs (then translate them)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o teamhub/translations/messages.pot .
	$(BIN)/pybabel update -i teamhub/translations/messages.pot -d teamhub/translations --no-fuzzy-matching

bench: $(BENCH_STAMP) translations ## Seed national-scale data, drive the pages, write bench/results.md
	@command -v wrk >/dev/null || { echo "== installing wrk (Debian package) =="; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; }
	TEAMHUB_BENCH_DATABASE_URL=$(TEAMHUB_BENCH_DATABASE_URL) $(BIN)/python -m bench.run

bench-test: $(BENCH_STAMP) $(TEST_STAMP) translations ## The benchmark's own tests (seeding, driving, reporting), apart from make test
	TEAMHUB_TEST_DATABASE_URL= $(BIN)/pytest bench/tests

# Which rule modules and tables `make mutate` runs (all by default), and for how long at most each.
MODULES ?=
TABLES ?= transitions scam
MUTATE_MINUTES ?= 45

mutate: $(MUTATE_STAMP) translations ## Mutation testing of the rule modules (long; MODULES="money lifecycle"), not in CI
	-TEAMHUB_TEST_DATABASE_URL= $(BIN)/python -m mutation.tables $(TABLES)
	TEAMHUB_TEST_DATABASE_URL= $(BIN)/python -m mutation.run --minutes $(MUTATE_MINUTES) $(MODULES)
