# The few commands people type. Each one creates and uses the project's own
# virtual environment in .venv, so it works on a fresh machine.

# One Python everywhere (pyproject.toml, the Pages workflow): 3.12 sums floats
# differently, and a lesson's printed output would change with it.
PYTHON_VERSION := 3.11
VENV   := .venv
PYTHON := $(VENV)/bin/python
READY  := $(VENV)/.installed
FETCH_RUNTIME := $(PYTHON) -m lessonkit runtime
# Test processes at once (pytest-xdist): most tests wait on a browser or a page's Python, not on a core.
TEST_WORKERS ?= 3

export NO_MKDOCS_2_WARNING := true

.PHONY: serve build test runtime accept bench publish clean

serve: $(READY)        ## live-reloading site at http://127.0.0.1:8000 (without the runtime, Run says why)
	-$(FETCH_RUNTIME)
	$(PYTHON) -m mkdocs serve

build: runtime         ## the site in site/, failing on any broken snippet or link
	$(PYTHON) -m mkdocs build --strict

test: runtime          ## every unit test, every lesson snippet, the browser tests
	sh tests/browser/ensure_chromium.sh
	$(PYTHON) -m pytest -n $(TEST_WORKERS) --dist loadgroup

runtime: $(READY)      ## Pyodide for the Run buttons: fetched once into .cache/pyodide/, its hash checked
	$(FETCH_RUNTIME)

accept: $(READY)       ## rewrite the output fences of every lesson from real runs
	$(PYTHON) -m lessonkit accept docs

bench: runtime         ## engine, build and in-page run speed, side by side with their peers
	sh tests/browser/ensure_chromium.sh
	$(PYTHON) tests/bench/engine.py
	$(PYTHON) tests/bench/lessons.py
	$(PYTHON) tests/bench/run_in_page.py
	$(PYTHON) tests/bench/training_in_page.py
	$(PYTHON) tests/bench/chapter3.py
	$(PYTHON) tests/bench/gpt_training.py
	$(PYTHON) tests/bench/pytest_pages.py

publish: test          ## build and push the site to GitHub Pages
	$(PYTHON) -m mkdocs gh-deploy --strict --force

clean:
	rm -rf $(VENV) site .cache .pytest_cache .hypothesis tests/screenshots

$(READY): pyproject.toml src/lessonkit/pyproject.toml
	python$(PYTHON_VERSION) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create a virtual environment with Python $(PYTHON_VERSION)."; \
	  echo "Install python$(PYTHON_VERSION) and its venv module (Debian 12: apt-get install python3-venv)."; exit 1; }
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e src/lessonkit -e '.[docs,test,bench]'  # lessonkit is its own distribution
	touch $@
