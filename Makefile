# The two commands: `make run` (the whole system locally) and `make test` (the whole suite, offline).
# Everything is installed into .venv from this repo's own requirement files; nothing by hand.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
USER ?= alice
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test sweep pre-approve image-test console-screenshots app-screenshots demo token lint typecheck template-check openapi asl package model score-batch bench contract-preview verify-contract fresh-check clean

help:
	@echo "make run | test | demo | token USER=alice | lint | typecheck | openapi | asl | package | bench | contract-preview | verify-contract PDF=… | fresh-check"

$(STAMP): requirements.txt requirements-dev.txt requirements-ocr.txt requirements-ocr-engine.txt requirements-ml.txt system-packages.txt
	bash scripts/system-packages.sh  # Debian packages from system-packages.txt (apt, only what is missing)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<26.3"  # chalice 1.34 needs pip<26.3
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@# the OCR engine without its declared desktop OpenCV (requirements-ocr.txt says why); an older venv may hold it
	if $(BIN)/python -m pip show --quiet opencv-python 2>/dev/null; then \
	  $(BIN)/python -m pip uninstall --quiet --yes opencv-python && \
	  grep '^opencv-python-headless==' requirements-ocr.txt | \
	  $(BIN)/python -m pip install --quiet --no-deps --force-reinstall -r /dev/stdin; fi
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-ocr-engine.txt
	$(BIN)/python -m local.ocr_check
	@touch $(STAMP)

run: $(STAMP)  ## the whole system: moto, resources from infra/, workflows, API on :8000
	$(BIN)/python -m local.stack run

CHECKOV := .venv-checkov/bin/checkov
$(CHECKOV): requirements-checkov.txt
	@test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet --upgrade "pip<26.3"
	.venv-checkov/bin/python -m pip install --quiet -r requirements-checkov.txt
	@touch $(CHECKOV)

template-check: $(STAMP) $(CHECKOV)  ## the deploy template (no zip needed): cfn-lint clean, checkov with every skip explained
	$(BIN)/python infra/template.py build/template
	$(BIN)/cfn-lint build/template/sam.json && echo "cfn-lint: no findings"
	$(CHECKOV) -f build/template/sam.json --framework cloudformation --quiet --compact --skip-download

TEST_WORKERS ?= 2
test: lint $(CHECKOV)  ## the whole test suite, offline: lint, types, the template, then every test
	@# the type check and the deploy template's checks run beside the tests (processes of their own); each module of
	@# tests runs whole on one of TEST_WORKERS workers, each with its own local stack (docs/decisions/0010)
	@mkdir -p build; ( $(MAKE) --no-print-directory typecheck && $(MAKE) --no-print-directory template-check ) \
	  > build/static-checks.log 2>&1 & checks=$$!; \
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder; tests=$$?; \
	wait $$checks; static=$$?; cat build/static-checks.log; \
	if [ $$static -ne 0 ]; then echo "make test: the type check or the deploy template's checks failed (above)"; fi; \
	exit $$(( tests || static ))

image-test: $(STAMP)  ## the document function's image built (no registry) and run through a Lambda Runtime API
	$(BIN)/python -m pytest -q -m image tests/image

demo: $(STAMP)  ## the scripted journey over HTTP against `make run`
	$(BIN)/python -m local.demo

sweep: $(STAMP)  ## the daily sweep of every line against `make run`, on its state machine (DAY=YYYY-MM-DD; today)
	$(BIN)/python -m local.stack sweep $(DAY)

pre-approve: $(STAMP)  ## the pre-approval batch (bank data only) against `make run`, on its state machine
	$(BIN)/python -m local.stack pre-approve

token: $(STAMP)  ## a real Cognito access token from the local pool: make token USER=alice
	@$(BIN)/python -m local.stack token $(USER)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy


openapi: $(STAMP)  ## regenerate the committed OpenAPI document from the models and routes
	STAGE=prod $(BIN)/python -c "import app; from chalicelib.api.meta import openapi_json, OPENAPI_FILE; \
	OPENAPI_FILE.write_text(openapi_json(app.app), encoding='utf-8')"

asl: $(STAMP)  ## regenerate infra/*.asl.json
	$(BIN)/python infra/build_asl.py

package: $(STAMP) $(CHECKOV)  ## the deploy artefacts: template + zip in build/sam, the document function's image
	bash infra/package.sh

model: $(STAMP)  ## train the risk model, export it, and regenerate docs/model-card.md
	$(BIN)/python -m ml train
	$(BIN)/python -m ml card

score-batch: $(STAMP)  ## make score-batch IN=applicants.csv OUT=scores.csv
	$(BIN)/python -m ml score-batch $(IN) $(OUT)

contract-preview: $(STAMP)  ## a sample contract, signed, and its page 1 as PNG in build/contract-preview/
	$(BIN)/python -m local.contract_preview build/contract-preview

verify-contract: $(STAMP)  ## make verify-contract PDF=file.pdf [ROOT=.local/pki/root.pem]: validate any contract
	$(BIN)/python -m local.verify_contract $(PDF) $(if $(ROOT),--root $(ROOT),)

fresh-check:  ## the two commands on a brand-new Debian 12 container (root; Docker engine started if needed)
	bash scripts/fresh-check.sh

console-screenshots: $(STAMP)  ## pictures of each console page (and a tablet) -> build/screenshots/ and docs/
	$(BIN)/python -m pytest -q -p no:cacheprovider -m screenshots tests/browser/test_screenshots.py
	cp build/screenshots/console-[0-9]*.png docs/screenshots/

app-screenshots: $(STAMP)  ## each step of the customer's journey on a phone -> build/screenshots/app/ and docs/
	$(BIN)/python -m pytest -q -p no:cacheprovider -m screenshots tests/browser/test_app_screenshots.py
	cp build/screenshots/app/*.png docs/screenshots/app/

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-package .venv-checkov build .local .pytest_cache .mypy_cache .ruff_cache
