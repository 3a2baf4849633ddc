# The two commands a newcomer types: `make run` and `make test`.
# Both set everything up on first use (a virtualenv in .venv, about 1-2 minutes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install chromium run test bench train-topics clean

install: $(STAMP)

# torch goes first and pinned: 2.13.0 is the CPU build that lies on these machines; an
# unpinned torch, asked for by any later package, would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	$(MAKE) --no-print-directory chromium
	touch $(STAMP)

# The browser test drives Debian's chromium (headless) through Playwright; installed with
# apt when missing (these machines run as root; elsewhere through sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian chromium for the browser test"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null; }; }

run: install
	$(BIN)/newsnlp serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_quotes.py
	$(BIN)/python bench/eval_topics.py

# Rebuild models/topics from corpora/topics (about a minute on 2 cores).
train-topics: install
	$(BIN)/newsnlp train-topics --examples corpora/topics --output models/topics

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
