# Two commands do all set-up on a fresh machine (Python 3.11): `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make

FRONTEND_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/package.json frontend/package-lock.json \
	frontend/index.html frontend/vite.config.js

.PHONY: run test install install-dev bytecode demo bench clean-lake frontend chromium redis nginx fonts mlflow

HOST ?= 127.0.0.1
PORT ?= 5000
AA_PORT ?= 7070
MLFLOW_PORT ?= 5001
LAKE_DIR ?= data_lake

run: install frontend nginx fonts demo
	@echo ""
	@echo "Demo customers are in ./data_lake (raw/, clean/, quarantine/, analytics/, logs/)."
	@echo "  $(PY) -m pipeline list              # customers, profiles, last run"
	@echo "  cat data_lake/analytics/CUST_MSM_00006/overall_summary.json   # the fraud customer, declined"
	@echo ""
	@$(PY) -m api_panel demo-tokens
	@echo ""
	@echo "Serving the API and dashboard on http://$(HOST):$(PORT)/ and the local Account Aggregator on"
	@echo "http://127.0.0.1:$(AA_PORT)/ (its approval pages; the demo customers were fetched through it)  (Ctrl-C to stop)"
	$(PY) -m generators.aa_server --port $(AA_PORT) --state-dir .aa/local_aa \
		--fiu-key FIU-MSME-LAKE=.aa/fiu_signing_key.pub.pem --fiu-url FIU-MSME-LAKE=http://$(HOST):$(PORT) \
		> .aa/local_aa.log 2>&1 & AA=$$!; trap 'kill $$AA 2>/dev/null' EXIT INT TERM; \
	AA_BASE_URL=http://127.0.0.1:$(AA_PORT) $(PY) -m api_panel serve --host $(HOST) --port $(PORT)

test: install-dev frontend chromium redis nginx fonts
	cd frontend && npm test
	$(PY) -m pytest

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP)/runtime: requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || $(PY) -m pip install --quiet --no-deps -e .
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/dev: requirements-dev.txt $(STAMP)/runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/node: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@mkdir -p $(STAMP) && touch $@

frontend/dist/index.html: $(STAMP)/node $(FRONTEND_SRC)
	cd frontend && npm run build

frontend: frontend/dist/index.html

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver)

redis:
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

# nginx fronts the API: a pool of REST worker processes behind it, one control process for live state
# (api_panel/front.py). Without it, `serve` falls back to one process.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx-light)

# DejaVu Sans prints the rupee sign in the credit memo (api_panel/casefile/memo/fonts.py; without it, "Rs.")
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core) || echo "fonts-dejavu-core unavailable: the memo writes Rs. for the rupee sign"

install: $(STAMP)/runtime bytecode
install-dev: $(STAMP)/dev bytecode

# Our own modules' bytecode, compiled ahead (pip does this for the libraries): each `python -m pipeline` command
# then skips compiling ~160 modules (~0.3 s), also where PYTHONDONTWRITEBYTECODE stops Python writing it. Only
# changed files are recompiled; a stale file is simply compiled again in memory.
bytecode: | $(PY)
	@$(PY) -m compileall -q -j 0 pipeline analytics generators monitoring api_panel bench > /dev/null

demo: install
	$(PY) -m pipeline prepare-demo

# The MLflow UI on the lake's own tracking store and registry (runs, metrics, artefacts, versions, aliases)
mlflow: install
	@mkdir -p $(LAKE_DIR)/mlflow/artifacts
	$(VENV)/bin/mlflow ui --backend-store-uri sqlite:///$(abspath $(LAKE_DIR))/mlflow/mlflow.db \
		--default-artifact-root $(abspath $(LAKE_DIR))/mlflow/artifacts --host $(HOST) --port $(MLFLOW_PORT) --workers 1

bench: install-dev nginx
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk) || echo "wrk unavailable: the API load figure is skipped"
	$(PY) -m bench

clean-lake:
	rm -rf data_lake/raw data_lake/clean data_lake/quarantine data_lake/analytics data_lake/logs data_lake/audit data_lake/models data_lake/mlflow
