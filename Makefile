# portchain: `make demo` and `make test` set up everything they need (idempotent; quick the second time).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

.PHONY: setup demo test lint audit compile node gas clean help brownie brownie-test

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

test: setup lint  ## lint and type-check, then run the whole test suite (doctests too) against a real Anvil
	$(BIN)/python -m pytest -q

lint: setup  ## ruff (rules in pyproject.toml) on src and tests, mypy --strict on src
	$(BIN)/ruff check --quiet src tests scripts audit
	$(BIN)/mypy

# Static analysis, offline: the project's own compile (portchain.compiler, AST selected too) laid out as a foundry
# build-info in build/audit, read by slither from its own venv with forge (npm) on PATH; audit/check.py fails on any
# High/Medium finding not in the reviewed audit/baseline.json. Nothing compiles or downloads while slither runs.
AUDIT_VENV := .venv-audit
AUDIT_STAMP := $(AUDIT_VENV)/.installed
AUDIT_DIR := build/audit
SLITHER_FLAGS := --foundry-ignore-compile --compile-force-framework foundry --exclude-dependencies \
	--exclude-low --exclude-informational --exclude-optimization --fail-none

$(AUDIT_STAMP): audit/requirements.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --disable-pip-version-check -r audit/requirements.txt
	touch $@

audit: setup $(AUDIT_STAMP)  ## slither (offline); fails on a High/Medium finding not in audit/baseline.json
	$(BIN)/python audit/build_info.py $(AUDIT_DIR)
	rm -f $(AUDIT_DIR)/slither.json
	cd $(AUDIT_DIR) && PATH="$(CURDIR)/audit/guard:$(CURDIR)/node_modules/.bin:$$PATH" \
		"$(CURDIR)/$(AUDIT_VENV)/bin/slither" . $(SLITHER_FLAGS) --json slither.json >slither.log 2>&1 \
		|| { tail -n 40 slither.log; echo "audit: slither failed (log: $(AUDIT_DIR)/slither.log)"; exit 1; }
	$(AUDIT_VENV)/bin/python audit/check.py $(AUDIT_DIR)/slither.json

# Brownie in its own venv (.venv-brownie): eth-brownie pins web3, pydantic, pytest ... exactly, so it never goes into
# .venv (brownie/requirements.txt is the pip freeze of one install). brownie/install.py gives that venv the project's
# solc (solcjs behind brownie/solc.js, in the venv's py-solc-x folder) and node_modules/.bin (anvil) on its PATH:
# brownie compiles and starts its node offline. The test drives the brownie CLI and compares with the SDK's deploy.
BROWNIE_VENV := .venv-brownie
BROWNIE_STAMP := $(BROWNIE_VENV)/.installed

$(BROWNIE_STAMP): brownie/requirements.txt
	$(PYTHON) -m venv $(BROWNIE_VENV)
	$(BROWNIE_VENV)/bin/pip install --quiet --disable-pip-version-check -r brownie/requirements.txt
	touch $@

brownie: $(NPM_STAMP) $(BROWNIE_STAMP)  ## Brownie's venv .venv-brownie (project's solc, Anvil) for brownie run
	$(BROWNIE_VENV)/bin/python brownie/install.py

brownie-test: setup brownie  ## brownie run scripts/deploy.py on Anvil; its records checked against the SDK's
	$(BROWNIE_VENV)/bin/python -m pytest -q --noconftest tests/brownie

compile: setup  ## compile contracts/ and refresh the artifacts shipped in src/portchain/artifacts
	$(BIN)/portchain compile

node: setup  ## run a local Anvil until Ctrl-C
	$(BIN)/portchain node

gas: setup  ## print gas per operation as JSON
	$(BIN)/portchain gas --json

clean:  ## remove build outputs and caches (not .venv or node_modules)
	rm -rf build reports .pytest_cache
