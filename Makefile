# The two commands a newcomer needs: `make mock` and `make test`. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install lock mock test conformance fuzz fixtures docs clean

# The repository's exact versions (requirements.lock), then the package itself without resolving again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Refresh requirements.lock after a change to pyproject.toml's dependencies (UPGRADE=1: the newest
# versions the ranges allow; otherwise the locked ones are kept where they still fit).
lock:
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet pyproject.toml --all-extras --python-version 3.11 --annotation-style line \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o requirements.lock

mock: $(STAMP)  ## serve the stand-in (ledger campfire-mock.db, the default dataset when new) on 127.0.0.1:8000
	$(BIN)/campfire-mock serve --db campfire-mock.db --host 127.0.0.1 --port $(or $(PORT),8000)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# With no BASE_URL, a local stand-in is started on a free port and checked.
conformance: $(STAMP)
	mkdir -p reports
	$(BIN)/campfire-conformance $(if $(BASE_URL),--base-url $(BASE_URL)) $(if $(TOKEN),--token $(TOKEN)) \
	  $(if $(VIEW_ONLY_TOKEN),--view-only-token $(VIEW_ONLY_TOKEN)) $(if $(ADMIN_TOKEN),--admin-token $(ADMIN_TOKEN)) \
	  $(if $(DEVIATIONS),--known-deviations $(DEVIATIONS)) --junit reports/conformance.xml --report reports/conformance.txt \
	  --html reports/conformance.html

# Schemathesis against BASE_URL (or a local stand-in); EXAMPLES and MAX_TIME bound the run, MAX_RPS
# paces it against BASE_URL (default 10 requests/s; 0: unpaced).
fuzz: $(STAMP)
	$(BIN)/campfire-conformance $(if $(BASE_URL),--base-url $(BASE_URL)) $(if $(TOKEN),--token $(TOKEN)) \
	  $(if $(ADMIN_TOKEN),--admin-token $(ADMIN_TOKEN)) $(if $(MAX_RPS),--max-rps $(MAX_RPS)) \
	  fuzz --max-examples $(or $(EXAMPLES),20) $(if $(MAX_TIME),--max-time $(MAX_TIME)) --report-dir reports/fuzz

# The documentation site (mkdocs.yml, docs/) built into the git-ignored site/ with mkdocs-material from
# requirements.lock; --strict fails on any broken link or page left out of the nav.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

fixtures: $(STAMP)  ## regenerate the committed default dataset
	$(BIN)/python -m mock_server.fixtures.generate

# The stand-in side by side with bare Starlette, a Connexion no-op, Prism (when on PATH) and the stand-in of
# BASELINE (a git ref; empty: none), in ROUNDS interleaved rounds; BENCH_ARGS e.g. "--quick" or "--payments 100000".
BASELINE ?= dc65a83
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --rounds $(or $(ROUNDS),3) $(if $(BASELINE),--baseline $(BASELINE)) $(BENCH_ARGS)
	$(BIN)/python benchmarks/sandboxes.py
	$(BIN)/python benchmarks/engines.py
	$(BIN)/python benchmarks/tenants.py

clean:
	rm -rf $(VENV) *.egg-info reports site
