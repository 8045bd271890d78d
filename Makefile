# Zhibu — the habits of the project, by name.
# Only Python >= 3.10 and make are needed; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: setup run test lint format check check-lint check-format check-migrations check-layers messages clean

# Virtualenv with pinned dependencies; reinstalled only when a requirements file changes.
$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Zhibu needs Python >= 3.10")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed
	$(PY) manage.py migrate --noinput

# The demo on 127.0.0.1:8000: loads the demo organisation once (kept on later runs), prints one
# login per role, serves static files itself (--insecure: DEBUG stays off, local use only).
run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py demo_logins --address http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload --insecure

# The whole suite, two workers. DATABASE_URL=postgres://... runs it on PostgreSQL (see .ci/run).
test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# What CI checks before the suites, one target per step, so that a failure names its step
# ("make: *** [Makefile:NN: check-layers] Error 1"); each step also announces itself.
check: check-lint check-format check-migrations check-layers
	@echo "==> check: all steps passed"

check-lint: $(BIN)/.installed
	@echo "==> check 1/4 lint: ruff check ."
	$(BIN)/ruff check .

check-format: $(BIN)/.installed
	@echo "==> check 2/4 format: ruff format --check ."
	$(BIN)/ruff format --check .

check-migrations: $(BIN)/.installed
	@echo "==> check 3/4 migrations: every model change has its migration"
	$(PY) manage.py makemigrations --check --dry-run

# The layer contract in pyproject.toml ([tool.importlinter]); see docs/architecture.md.
check-layers: $(BIN)/.installed
	@echo "==> check 4/4 layers: lint-imports (a lower app never imports a higher one)"
	$(BIN)/lint-imports

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Translation catalogs: extract (needs GNU gettext's xgettext: apt-get install gettext), fill
# zh_Hant from the Simplified source, compile all (pure Python, no msgfmt needed).
messages: $(BIN)/.installed
	$(PY) manage.py makemessages -l zh_Hant -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --no-obsolete
	$(PY) scripts/i18n.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .import_linter_cache
