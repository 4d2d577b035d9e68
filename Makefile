# Two commands: `make run` and `make test` (see README.md); `make serve` serves in production (docs/deployment.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Caches that tools would otherwise write into $HOME.
export XDG_CACHE_HOME ?= $(CURDIR)/.cache
export XDG_CONFIG_HOME ?= $(CURDIR)/.cache/config
export MPLCONFIGDIR ?= $(CURDIR)/.cache/matplotlib

.PHONY: run test install install-test migrate data devserver serve messages clean

$(VENV)/bin/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

.env:
	cp .env.example .env

migrate: install .env
	$(PY) manage.py migrate --noinput

data: migrate
	$(PY) manage.py loaddata kontum_2009_2018
	$(PY) manage.py ensure_admin

# Development server, with DEBUG on (.env from .env.example).
devserver:
	$(PY) manage.py runserver 127.0.0.1:8000

run: data devserver

# Production: gunicorn with the production settings (DEBUG off, SECRET_KEY, ALLOWED_HOSTS … from the
# environment or .env), its options in gunicorn.conf.py (workers, timeouts, max requests). Run
# `manage.py migrate` once per release before starting the servers (docs/deployment.md).
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m gunicorn --config gunicorn.conf.py kontum_cp.wsgi:application

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit --ini .bandit --severity-level medium --confidence-level medium -q
	$(PY) -m pytest $(PYTEST_ARGS)

messages: install
	cd $(CURDIR) && $(PY) manage.py makemessages -l vi --ignore=.venv --ignore=.cache --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .cache .pytest_cache staticfiles
