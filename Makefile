# Relais Mobilité — the two commands of the README, and a few more.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run setup chat test test-sqlite test-postgres worker clean

run: setup  ## set everything up, then run the web app and the worker
	@scripts/run-local $(PORT)

setup: $(VENV)/.installed  ## virtual environment, dependencies, database, demo data
	@$(BIN)/python -m storage upgrade
	@$(BIN)/python -m storage seed-demo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

chat: setup  ## play a resident in the terminal (make chat AS=telegram)
	@$(BIN)/python -m bot chat --as $(or $(AS),sms)

worker: setup
	@$(BIN)/python -m bot worker

test: $(VENV)/.installed  ## the whole suite: SQLite, then PostgreSQL when TEST_DATABASE_URL is set
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite: $(VENV)/.installed
	@echo "== tests on SQLite"
	@env -u TEST_DATABASE_URL $(BIN)/python -m pytest -q

test-postgres: $(VENV)/.installed
	@echo "== tests on PostgreSQL ($$TEST_DATABASE_URL)"
	@$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) instance .pytest_cache
