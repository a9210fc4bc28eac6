# The two commands a newcomer needs: `make mock` and `make test`. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install mock test benchmark fixtures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

mock: $(STAMP)  ## serve the stand-in with the default dataset on 127.0.0.1:8000
	$(BIN)/campfire-mock serve --host 127.0.0.1 --port $(or $(PORT),8000)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fixtures: $(STAMP)  ## regenerate the committed default dataset
	$(BIN)/python -m fixtures.generate

benchmark: $(STAMP)
	$(BIN)/python benchmarks/void_throughput.py

clean:
	rm -rf $(VENV) *.egg-info reports
