# The two commands: `make run` (a running portal with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format test-fast messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(VENV)/.installed
	bash scripts/run-portal.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/lint-compose.py

# The whole suite, in parallel on the machine's cores. The tests start their own
# Redis, Celery workers, server and LibreOffice; CI=true makes a missing one fail.
test: $(VENV)/.installed lint
	$(VENV)/bin/pytest -n auto --dist loadgroup

test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -n auto -m "not integration"

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After changing user-visible text: refresh the French and Spanish catalogs (needs
# gettext), translate what is new or fuzzy, then compile. tests/test_translations.py
# fails while anything is untranslated or not compiled.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l fr -l es --no-obsolete --ignore=.venv --ignore=var \
		--ignore=tests --ignore=test-output --ignore=bench --ignore=static --ignore=staticfiles
	$(PY) manage.py compilemessages -l fr -l es --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache test-output
