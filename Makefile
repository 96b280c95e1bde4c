# Two entry points for humans and CI: `make run` (demo) and `make test` (everything).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint venv clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/casustafel --demo

lint: $(STAMP)
	$(BIN)/ruff check app ui tests bench
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/ruff check app ui tests bench
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf $(VENV) build *.egg-info
