# Two commands (README): `make run` sets up and opens the app; `make test` sets up and runs every test.
# Both install what is missing: the Debian libraries Qt needs (when run as root or with sudo),
# a virtual environment in .venv and the Python packages from pyproject.toml.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# pytest workers (pytest-xdist); PYTEST_WORKERS=0 runs in one process, e.g. to debug
PYTEST_WORKERS ?= 2
PYTEST := QT_QPA_PLATFORM=offscreen MPLBACKEND=Agg $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# Libraries the PySide6 wheels load (offscreen tests), then the extra ones a real X11 window needs.
DEBIAN_TEST := libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
DEBIAN_GUI  := $(DEBIAN_TEST) libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
               libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1 xdg-utils

.PHONY: run test test-fast lint setup bench bench-smoke screenshots clean

run: setup
	@$(MAKE) --no-print-directory debian PACKAGES="$(DEBIAN_GUI)"
	$(BIN)/negotiation-explorer

test: lint
	@$(MAKE) --no-print-directory debian PACKAGES="$(DEBIAN_TEST)"
	$(PYTEST)

# The quick loop while working: lint, then every test not marked slow (under a minute).
test-fast: lint
	@$(MAKE) --no-print-directory debian PACKAGES="$(DEBIAN_TEST)"
	$(PYTEST) -m "not slow"

# Formatting, lint rules, types and the layer contracts (pyproject.toml says which and why).
lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Negotiation Explorer needs Python >= 3.11 (found: $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  $(MAKE) --no-print-directory debian PACKAGES="python3-venv python3-pip"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $@

# Install the Debian packages in $(PACKAGES) that are missing (needs root or sudo; skipped elsewhere).
debian:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "please install:$$missing"; \
	  elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else echo "please install:$$missing"; fi; \
	fi

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

bench-smoke: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run --smoke

# The README's screenshots, from the real window on the bundled data under a virtual X server.
screenshots: setup
	@$(MAKE) --no-print-directory debian PACKAGES="$(DEBIAN_GUI) xvfb xauth"
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python docs/screenshots/take_screenshots.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis
