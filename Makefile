# portchain: `make demo` and `make test` set up everything they need (idempotent; quick the second time).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: setup demo test compile node gas clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(PY_STAMP) $(NPM_STAMP)  ## create .venv (package editable, pinned deps) and install the pinned Node tools

$(PY_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,report]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: setup  ## deploy the suite to a local Anvil it starts itself and onboard one organisation per role
	$(BIN)/portchain demo

test: setup  ## run the whole test suite against a real Anvil
	$(BIN)/python -m pytest -q

compile: setup  ## compile contracts/ and refresh the artifacts shipped in src/portchain/artifacts
	$(BIN)/portchain compile

node: setup  ## run a local Anvil until Ctrl-C
	$(BIN)/portchain node

gas: setup  ## print gas per operation as JSON
	$(BIN)/portchain gas --json

clean:  ## remove build outputs and caches (not .venv or node_modules)
	rm -rf build reports .pytest_cache
