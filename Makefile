# Two commands set everything up: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INTEROP := tests/interop
NPM := $(shell command -v npm)
TEMPLATES := $(wildcard */templates)

.PHONY: run test lint format migrate demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# ical.js for the interop tests, installed when npm is here (CI requires it).
$(INTEROP)/node_modules/.installed: $(INTEROP)/package.json $(INTEROP)/package-lock.json
	npm ci --prefix $(INTEROP) --no-audit --no-fund
	touch $@

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# One pytest-xdist worker per core (CI has two).
test: $(STAMP) $(if $(NPM),$(INTEROP)/node_modules/.installed)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

# The load generator and the static server the benchmark measures against: Debian's wrk and
# nginx, installed here when missing (the benchmark falls back to Python load, and no nginx).
BENCH_TOOLS := $(if $(shell command -v wrk),,wrk) $(if $(shell command -v nginx),,nginx)
bench: $(STAMP)
ifneq ($(strip $(BENCH_TOOLS)),)
	-apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_TOOLS)
endif
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/djhtml --check -t 2 $(TEMPLATES)
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml -t 2 $(TEMPLATES)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(INTEROP)/node_modules
