# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate seed messages lint check security worker beat clean bench bench-zip bench-reminders bench-portal bench-hostile bench-report

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

## Serve the portal with the demo call and accounts on http://$(HOST)/, with a Celery worker
## and beat when REDIS_URL is set (environment or .env), else with tasks run in-process.
## Links in e-mails and the allowed host follow HOST unless SITE_URL / ALLOWED_HOSTS are set.
run: seed
	DEBUG=on PYTHONUNBUFFERED=1 HOST=$(HOST) PATH="$(CURDIR)/$(BIN):$$PATH" \
		SITE_URL="$${SITE_URL:-http://$(HOST)}" \
		ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(firstword $(subst :, ,$(HOST)))}" \
		$(BIN)/honcho \
		-f $$($(BIN)/python -c 'import environ; e = environ.Env(); e.read_env(".env"); \
		print("Procfile.redis" if e.str("REDIS_URL", default="") else "Procfile")') start

## The whole suite (SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set)
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	SECURE=on DEBUG=off SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=portal.example.org SITE_URL=https://portal.example.org \
		DATABASE_URL=$${DATABASE_URL:-postgres://portal@127.0.0.1/portal} \
		REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} EMAIL_URL=smtp://127.0.0.1:25 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

## Static analysis of our code (bandit) and known vulnerabilities in the installed packages
## (pip-audit; where its database cannot be reached it says which packages it could not check).
security: install
	$(BIN)/bandit --quiet --recursive portal intents
	$(BIN)/pip-audit --local --progress-spinner off

## Recompile translations after editing locale/*/LC_MESSAGES/django.po
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

worker: install
	$(BIN)/celery -A portal worker --loglevel=info --concurrency=2

beat: install
	$(BIN)/celery -A portal beat --loglevel=info

## Benchmarks: figures into bench/results.json and docs/PERFORMANCE.md
bench: bench-zip bench-reminders bench-portal

bench-zip: install
	$(BIN)/python bench/zip_memory.py

## 10,000 reminders written and sent by one worker: PostgreSQL and Redis (from DATABASE_URL and
## REDIS_URL, else the local ones; the script creates and drops test_<name> itself).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/0
bench-reminders: install
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(BENCH_REDIS_URL)} \
		$(BIN)/python bench/reminder_fanout.py

## The portal under load as production runs it: gunicorn (workers = cores) on PostgreSQL, Celery
## on Redis, seeded with manage.py seed_bench; every scenario's table in docs/PERFORMANCE.md.
bench-portal: install
	$(BIN)/python bench/run.py

bench-hostile: install
	$(BIN)/python bench/run.py --only hostile

bench-report: install
	$(BIN)/python bench/report.py

clean:
	rm -rf $(VENV) var staticfiles
