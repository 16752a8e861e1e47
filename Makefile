# The two commands a new user needs: `make build` and `make test`. Both create .venv and install the
# pinned dependencies first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INPUT ?= data/raw
WAREHOUSE ?= warehouse/nav_tiltak.duckdb
# Empty: beside the warehouse, <name>_exports (warehouse/nav_tiltak_exports).
EXPORTS ?=
# When documents print the same cell with different values: fail, or latest_document (the latest period).
OVERLAP ?= fail
# `make protect`: where the protected tables go; the narrowest interval a primary `*` may keep (3: all of
# 0..3; 1: never exact); what the plan minimises (participants or cells); ZERO_SENSITIVE=yes protects a `*`
# the published tables pin at 0 too.
PROTECTED ?= protected
WIDTH ?= 3
COST ?= participants
ZERO_SENSITIVE ?= no
# How many editions `make bench` measures; and how many years of synthetic county and municipality sheets
# (with 1, `make protect` of one year too; AREAS= for none). EDITIONS= AREAS="1 10": those alone.
EDITIONS ?= 1 10 100
AREAS ?= 1 10

# What a user types is data: never exported to the commands' environment (make would expand it there, and
# run a "$(shell ...)" in it), only passed below as its value exactly as typed.
unexport INPUT WAREHOUSE EXPORTS OVERLAP PROTECTED WIDTH COST ZERO_SENSITIVE EDITIONS AREAS

# A variable's value exactly as typed (make's $(value), never expanded), in single quotes for bash: every
# path a user can type (spaces, quotes, parentheses, &, $, a line break) reaches the command as one
# argument. The commands are not echoed: a path's control characters never reach the terminal raw (the
# project's own messages escape them).
SHELL := /bin/bash
define newline


endef
quote = '$(subst $(newline),'$$'\n'',$(subst ','\'',$(value $(1))))'

# dbt's anonymous usage tracker stalls without network; keep it off everywhere.
export DO_NOT_TRACK := 1
# dbt's Python models (the disclosure audit) import nav_tiltak from here.
export PYTHONPATH := $(CURDIR)

.PHONY: build test test-fast load audit protect report docs bench lock clean

# The pinned dependencies, then the project's own package (editable: dbt run by hand, .venv/bin/dbt build,
# finds nav_tiltak for the Python models).
$(VENV)/installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## build: load INPUT (a document or a folder), run dbt build, publish WAREHOUSE and its EXPORTS
build: $(VENV)/installed
	@$(PY) scripts/nav-tiltak build --warehouse=$(call quote,WAREHOUSE) $(if $(value EXPORTS),--exports=$(call quote,EXPORTS)) \
		--overlap-policy=$(call quote,OVERLAP) -- $(call quote,INPUT)

## test: the linters (ruff for Python, sqlfluff for the dbt models), then the pytest suite on both cores,
## which builds end to end
test: $(VENV)/installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sqlfluff lint models --disable-progress-bar --nocolor
	$(PY) -m pytest

## test-fast: the inner loop: ruff and the tests that start no dbt build (pytest -m "not e2e")
test-fast: $(VENV)/installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "not e2e"

## audit: build, then write the disclosure audit report (reports/disclosure-audit.md) and print it
audit: build
	@$(PY) scripts/nav-tiltak audit --warehouse=$(call quote,WAREHOUSE)

## protect: build with a secondary suppression plan and its re-audit (same dbt build), then write the
## protected tables, their side file of added suppressions and a report to PROTECTED
protect: $(VENV)/installed
	@$(PY) scripts/nav-tiltak protect --warehouse=$(call quote,WAREHOUSE) $(if $(value EXPORTS),--exports=$(call quote,EXPORTS)) \
		--overlap-policy=$(call quote,OVERLAP) --output=$(call quote,PROTECTED) --width=$(call quote,WIDTH) \
		--cost=$(call quote,COST) $(if $(filter yes,$(value ZERO_SENSITIVE)),--zero-sensitive) -- $(call quote,INPUT)

## report: write the self-contained overview page reports/overview.html from the published warehouse
report: $(VENV)/installed
	@$(PY) scripts/nav-tiltak report --warehouse=$(call quote,WAREHOUSE)

## docs: write dbt's documentation site as one page, reports/dbt-docs.html
docs: $(VENV)/installed
	@$(PY) scripts/nav-tiltak docs --warehouse=$(call quote,WAREHOUSE)

## bench: measure the loader and the build for EDITIONS editions, and AREAS years of county and municipality
## sheets; writes docs/benchmarks.md (the 1,000-edition point: make bench EDITIONS="1 10 100 1000", about 30
## minutes here; the municipality scale alone: make bench EDITIONS=)
bench: $(VENV)/installed
	@$(PY) -m bench.measure --editions=$(call quote,EDITIONS) $(if $(value AREAS),--areas=$(call quote,AREAS))

## load: only parse INPUT into raw seeds in target/load (a check of the documents; seeds/raw holds the
## default warehouse's, put there by make build)
load: $(VENV)/installed
	@$(PY) scripts/nav-tiltak load -- $(call quote,INPUT)

## lock: re-resolve requirements.in into the pinned requirements.txt
lock:
	$(PYTHON) -m venv --clear .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	(echo '# Pinned from requirements.in by `make lock`; install with `make build` or `make test`.'; \
	 .lock-venv/bin/pip freeze) > requirements.txt
	rm -rf .lock-venv

## clean: remove what make built (the virtual environment, dbt's target/ and logs/, the seeds/raw link);
## warehouses, reports and protected tables are yours to keep or remove
clean:
	rm -rf $(VENV) target logs nav_tiltak.egg-info
	if [ -L seeds/raw ]; then rm seeds/raw; fi
