# Two entry points for humans and CI: `make run` (demo) and `make test` (everything).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint venv clean i18n package

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/casustafel --demo

lint: $(STAMP)
	$(BIN)/ruff check app ui tests bench docs packaging
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/ruff check app ui tests bench docs packaging
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

# The frozen onedir build in dist/casustafel (packaging/build.py, docs/packaging.md).
package: $(STAMP)
	$(BIN)/python packaging/build.py

clean:
	rm -rf $(VENV) build dist *.egg-info

# Refresh the translation template and merge it into the nl/en catalogs.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F i18n/babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --project=casustafel -o i18n/casustafel.pot .
	for l in nl en; do \
	  if [ -f i18n/$$l/LC_MESSAGES/casustafel.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i i18n/casustafel.pot -d i18n -D casustafel -l $$l; \
	  else \
	    $(BIN)/pybabel init -i i18n/casustafel.pot -d i18n -D casustafel -l $$l; \
	  fi; \
	done
