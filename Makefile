# The two commands a new user needs: `make build` and `make test`. Both create .venv and install the
# pinned dependencies first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INPUT ?= data/raw
WAREHOUSE ?= warehouse/nav_tiltak.duckdb
EXPORTS ?= exports
# When documents print the same cell with different values: fail, or latest_document (last by file name).
OVERLAP ?= fail

# dbt's anonymous usage tracker stalls without network; keep it off everywhere.
export DO_NOT_TRACK := 1
# dbt's Python models (the disclosure audit) import nav_tiltak from here.
export PYTHONPATH := $(CURDIR)

.PHONY: build test load audit report docs bench lock clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## build: load INPUT (a document or a folder), run dbt build, publish WAREHOUSE and the EXPORTS
build: $(VENV)/installed
	$(PY) scripts/build.py $(INPUT) --warehouse $(WAREHOUSE) --exports $(EXPORTS) --overlap-policy $(OVERLAP)

## test: the pytest suite, including an end-to-end dbt build
test: $(VENV)/installed
	$(PY) -m pytest

## audit: build, then write the disclosure audit report (reports/disclosure-audit.md) and print it
audit: build
	$(PY) scripts/audit_report.py --warehouse $(WAREHOUSE)

## report: write the self-contained overview page reports/overview.html from the published warehouse
report: $(VENV)/installed
	$(PY) scripts/report.py --warehouse $(WAREHOUSE)

## docs: write dbt's documentation site as one page, reports/dbt-docs.html
docs: $(VENV)/installed
	$(PY) scripts/docs.py --warehouse $(WAREHOUSE)

## bench: measure the loader and the build for 1, 10 and 100 editions; writes docs/benchmarks.md
bench: $(VENV)/installed
	$(PY) scripts/bench.py

## load: only parse INPUT into seeds/raw
load: $(VENV)/installed
	$(PY) scripts/load.py $(INPUT)

## lock: re-resolve requirements.in into the pinned requirements.txt
lock:
	$(PYTHON) -m venv --clear .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	(echo '# Pinned from requirements.in by `make lock`; install with `make build` or `make test`.'; \
	 .lock-venv/bin/pip freeze) > requirements.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) target logs warehouse/*.duckdb seeds/raw/*.csv reports exports
