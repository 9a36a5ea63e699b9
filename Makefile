# Customer 360 on dbt + DuckDB + dlt. `make run` and `make test` are all a fresh clone needs.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= config/demo.yml
export C360_DUCKDB_PATH ?= data/warehouse.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
DBT := $(BIN)/dbt
# dbt builds only the systems the configuration ingests (dbt_project.yml reads these vars). A recipe
# works them out once and exports them to its steps as C360_DBT_VARS (each working out imports dlt).
DBT_VARS = $${C360_DBT_VARS:-$$($(BIN)/python -m ingest.config $(CONFIG))}
# TARGET=spark: bronze lands as Parquet in data/lake and dbt builds on a local Spark session
# (c360/spark.py; C360_SPARK_MASTER for another master). The default is DuckDB.
TARGET ?= duckdb
ifeq ($(TARGET),spark)
export C360_BRONZE := parquet
DBT_ON_TARGET := $(BIN)/python -m c360.spark
PUBLISH_ROLES := @echo "role files: published from the DuckDB warehouse only (TARGET=duckdb)"
PUBLISH_SERVING := @echo "serving index (make serve): published from the DuckDB warehouse only (TARGET=duckdb)"
else
DBT_ON_TARGET := $(DBT)
# one read-only file per role in data/roles, PII masked per config/roles.yml (c360/roles.py)
PUBLISH_ROLES := $(BIN)/python -m c360.roles publish
# the real-time service's index: profiles, block keys, match weights, 360 rows (c360/serving.py)
PUBLISH_SERVING := $(BIN)/python -m c360.serving publish --vars "$(DBT_VARS)"
endif
# The dashboard and `make sql` read the file of ROLE (config/roles.yml; default its least privileged
# role; ROLE=warehouse reads the warehouse itself).
ifdef ROLE
export C360_ROLE := $(ROLE)
endif
# MEMORY_LIMIT=12GB, TEMP_DIR=/big/disk: DuckDB's memory limit (default 40% of the machine) and spill folder for
# dbt (c360/dbt_plugin.py).
ifdef MEMORY_LIMIT
export C360_DUCKDB_MEMORY_LIMIT := $(MEMORY_LIMIT)
endif
ifdef TEMP_DIR
export C360_DUCKDB_TEMP_DIR := $(TEMP_DIR)
endif

.PHONY: help install run ingest build docs test test-fast lint bench eval clean distclean summary dashboard sql erase orchestrate serve

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored: it is neither" || true
	$(BIN)/pip install --quiet -e ".[dev,spark]" 2>&1 | grep -v "is ignored: it is neither\|BuildBackendWarning\|^  " ; \
		$(BIN)/python -c "import dbt, dlt, duckdb, jellyfish, phonenumbers, numpy, scipy, streamlit, pyspark"
	touch $@

install: $(VENV)/.installed  ## create .venv with the pinned toolchain

# A source that fails to load (exit 1) does not stop the others from building; the run still
# ends non-zero. A configuration error (exit 2) stops at once.
run: install  ## everything: demo data, ingest, dbt build, docs, summary (TARGET=spark: on local Spark)
	@status=0; $(BIN)/python -m ingest.run --config $(CONFIG) || status=$$?; \
	if [ $$status -gt 1 ]; then exit $$status; fi; \
	export C360_DBT_VARS="$(DBT_VARS)"; $(MAKE) --no-print-directory build docs summary || exit $$?; \
	if [ $$status -ne 0 ]; then echo "make run: some sources failed to load (named above, and in" \
		"raw_ingest.source_runs); the others were built" >&2; fi; exit $$status

ingest: install  ## generate the demo (if needed) and load every source into raw_<system>
	$(BIN)/python -m ingest.run --config $(CONFIG)

# Nothing new since the last successful build (bronze, the dbt project, the configuration: c360/build_state.py,
# target/last_build.json): make build skips its steps, make docs the docs. FORCE=1 runs them anyway; so does
# TARGET=spark, and leaves no record (it rewrites target/).
BUILD_STATE := $(BIN)/python -m c360.build_state
BUILD_CHECK_ARGS = --config $(CONFIG) --vars "$(DBT_VARS)" $(if $(FORCE)$(FULL_REFRESH),--force)
build: install  ## dbt build with tests, then the role files; skipped when nothing is new (FORCE=1 builds; FULL_REFRESH=1 rebuilds the incremental event tables too; TARGET=spark: on Spark)
	@export C360_DBT_VARS="$(DBT_VARS)"; \
	if [ "$(TARGET)" = spark ] || ! $(BUILD_STATE) check $(BUILD_CHECK_ARGS); then $(MAKE) --no-print-directory build-steps; fi

# From scratch (--full-refresh) when FULL_REFRESH=1, or when the check found the project or the vars changed since
# the last build (or none is recorded); else incremental: the event tables read only what is new.
DBT_BUILD_ARGS = $(if $(FULL_REFRESH),--full-refresh,$(if $(filter spark,$(TARGET)),,$$($(BUILD_STATE) dbt-args)))
# make build's steps. The last build's record goes first (a build that fails leaves none); a new one comes last.
.PHONY: build-steps
build-steps: install
	@$(BUILD_STATE) forget
	$(DBT_ON_TARGET) build --quiet --vars "$(DBT_VARS)" $(DBT_BUILD_ARGS)
	@cp target/run_results.json target/build_results.json  # make docs overwrites run_results.json
	$(PUBLISH_ROLES)
	$(PUBLISH_SERVING)
	@$(BUILD_STATE) $(if $(filter spark,$(TARGET)),forget,record)

erase: install  ## erase one person from every layer and keep them out: EMAIL=, PHONE=, CUSTOMER= or RECORD=system:id (YES=1: no question; REQUEST=ref)
	$(BIN)/python -m c360.erase --config $(CONFIG) $(if $(EMAIL),--email "$(EMAIL)") $(if $(PHONE),--phone "$(PHONE)") \
		$(if $(CUSTOMER),--customer "$(CUSTOMER)") $(if $(RECORD),--record "$(RECORD)") \
		$(if $(REQUEST),--request "$(REQUEST)") $(if $(YES),--yes)

docs: install  ## dbt docs as one static page: target/static_index.html (skipped when nothing is new; FORCE=1)
	@export C360_DBT_VARS="$(DBT_VARS)"; \
	if [ "$(TARGET)" = spark ] || ! $(BUILD_STATE) check --docs $(BUILD_CHECK_ARGS); then \
		$(DBT_ON_TARGET) docs generate --static --quiet --vars "$(DBT_VARS)" && \
		$(BUILD_STATE) $(if $(filter spark,$(TARGET)),forget,record --docs); fi
	@echo "docs: open target/static_index.html"

dashboard: install  ## the Customer 360 dashboard on http://127.0.0.1:8501 (after make run), as ROLE
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(or $(PORT),8501) \
		--server.headless true --browser.gatherUsageStats false

sql: install  ## SQL shell (read-only) as ROLE (default analyst; ROLE=warehouse: everything); Q="select ..." runs one query
	$(BIN)/python -m c360.sql_shell $(if $(Q),-c "$(Q)")

summary: install  ## what the last run produced and where to look next
	$(if $(filter spark,$(TARGET)),$(BIN)/python -m c360.spark summary,$(BIN)/python -m c360.summary)

# Two workers (TEST_WORKERS=), each taking whole test files: a file's fixtures are built once, on one worker.
test: install $(VENV)/.orchestrate-installed  ## the whole test suite (pytest drives ingest and dbt on small demos and the FEBRL benchmarks)
	$(BIN)/pytest -q -n $(or $(TEST_WORKERS),2) --dist loadfile --durations=15 tests/python

# The unit tier: no dbt build, under a minute (the identity engine, configuration, quarantine, CLV, the CRM API,
# the privacy rules, the build skip, the benches' disk check).
FAST_TESTS := tests/python/test_identity_engine.py tests/python/test_config.py tests/python/test_quarantine.py \
	tests/python/test_clv.py tests/python/test_crm_api.py \
	tests/python/test_dates.py tests/python/test_sql_shell.py tests/python/test_privacy_rules.py \
	tests/python/test_build_state.py tests/python/test_phones.py tests/python/test_bench_disk.py
test-fast: install  ## the unit tier for a quick loop (no dbt build)
	$(BIN)/pytest -q $(FAST_TESTS)

lint: install  ## ruff on every Python file (dbt Python models included), sqlfluff on the dbt SQL
	$(BIN)/ruff check ingest c360 dashboard tests bench models
	C360_DUCKDB_PATH=:memory: $(BIN)/sqlfluff lint models tests/dbt

eval: install  ## identity resolution vs the demo's ground truth, or TRUTH=labelled.csv: one JSON line (F1, recall, ...)
	$(BIN)/python -m c360.evaluate --config $(CONFIG) $(if $(TRUTH),--truth "$(TRUTH)")

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[bench]" 2>&1 | grep -v "is ignored: it is neither\|BuildBackendWarning\|^  " ; \
		$(BIN)/python -c "import splink"
	touch $@

bench: install $(VENV)/.bench-installed  ## ingest at 1M people; identity beside Splink (FEBRL, synthetic, demo 100k and 1M records); CLV at 1M; build + dashboard at 1M people; erasure at 100k and compaction at 1M; the real-time service and a run with nothing new at 1M; Spark beside DuckDB at 400 and 100k people
	$(BIN)/python -m bench.ingest $(BENCH_ARGS)
	$(BIN)/python -m bench.identity $(IDENTITY_BENCH_ARGS)
	$(BIN)/python -m bench.clv
	$(BIN)/python -m bench.gold $(or $(GOLD_BENCH_ARGS),--people 1000000)
	$(BIN)/python -m bench.privacy $(PRIVACY_BENCH_ARGS)
	$(BIN)/python -m bench.serving $(or $(SERVING_BENCH_ARGS),--people 1000000)
	$(BIN)/python -m bench.incremental $(or $(INCREMENTAL_BENCH_ARGS),--people 1000000)
	$(BIN)/python -m bench.spark $(or $(SPARK_BENCH_ARGS),--people 400 --people 100000)

$(VENV)/.orchestrate-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[orchestrate]" 2>&1 | grep -v "is ignored: it is neither\|BuildBackendWarning\|^  " ; \
		$(BIN)/python -c "import dagster, dagster_dbt, dagster_webserver"
	touch $@

serve: install  ## real-time lookups on http://127.0.0.1:8600 (PORT=): POST /resolve a person record, GET /customers/<id>
	@if [ "$(TARGET)" = spark ]; then echo "make serve: the DuckDB warehouse only (TARGET=duckdb)" >&2; exit 2; fi
	$(BIN)/python -m c360.serve --port $(or $(PORT),8600)

# Dagster's instance (run history, the schedule's and sensors' state) lives in data/dagster; its dagster.yaml
# runs one run at a time (DuckDB has one writer). The run, schedule, sensors and alerts: c360/orchestrate.py.
DAGSTER_HOME := $(CURDIR)/data/dagster
orchestrate: install $(VENV)/.orchestrate-installed  ## Dagster on http://127.0.0.1:3000 (PORT=): the run daily at 02:00 UTC and on new exports, failure alerts to data/alerts.jsonl (C360_ALERT_WEBHOOK=)
	@if [ "$(TARGET)" = spark ]; then echo "make orchestrate: the DuckDB warehouse only (TARGET=duckdb)" >&2; exit 2; fi
	$(BIN)/python -m c360.orchestrate init-home "$(DAGSTER_HOME)"
	DAGSTER_HOME="$(DAGSTER_HOME)" CONFIG="$(CONFIG)" $(BIN)/dagster dev -m c360.orchestrate \
		--host 127.0.0.1 --port $(or $(PORT),3000)

clean:  ## remove generated data, the warehouse and dbt artefacts (keeps .venv and data/privacy: erased people stay out)
	find data -mindepth 1 -maxdepth 1 ! -name privacy -exec rm -rf {} + 2>/dev/null || true
	rm -rf target logs

distclean: clean  ## also remove .venv
	rm -rf $(VENV)
