# make run  — set everything up (venv, install, migrate, demo data) and serve on 127.0.0.1:8000
# make test — lint, type-check and run every test on the database in DATABASE_URL (SQLite by default)
# make test-fast — the same without the browser tests (the inner loop)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# DEBUG is off unless turned on (pingyi/settings.py): the development targets turn it on; a deployment does not.
DEV := DEBUG=$${DEBUG:-1}

.PHONY: run test test-fast install constraints migrate demo lint typecheck pytest pytest-fast messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

# After changing requirements*.txt: install, then record what it resolved to (commit both).
constraints:
	$(PY) -m pip install -q -r requirements-dev.txt
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.txt.new && mv constraints.txt.new constraints.txt

install: $(VENV)/.installed

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py seed_demo

run: demo
	$(DEV) $(PY) manage.py runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(DEV) $(VENV)/bin/mypy pingyi

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

pytest-fast: install
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test-fast: lint typecheck pytest-fast

# make messages            — every catalogue (project and apps)
# make messages APP=talks  — only pingyi/talks/locale (safe while others edit their own catalogues)
messages: install
ifdef APP
	mkdir -p pingyi/$(APP)/locale
	cd pingyi/$(APP) && $(DEV) ../../$(PY) ../../manage.py makemessages -l en --no-location --no-obsolete
	cd pingyi/$(APP) && $(DEV) ../../$(PY) ../../manage.py compilemessages -l en
else
	$(DEV) $(PY) manage.py makemessages -l en --no-location --no-obsolete -i ".venv/*"
	$(DEV) $(PY) manage.py compilemessages -l en -i ".venv"
endif

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
