# Smart Customs: the two commands are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
BIND ?= 127.0.0.1:8080
PROFILE ?= public
# The data directory: CUSTOMS_DATA_DIR if set, else ../shared/data when it exists, else ./data.
DATA_DIR ?= $(or $(CUSTOMS_DATA_DIR),$(if $(wildcard ../shared/data/harmonized-system),../shared/data,data))
export CUSTOMS_DATA_DIR := $(abspath $(DATA_DIR))

.PHONY: run test data model build lint bench bench-platform eval fmt

## Fetch data and model files if missing, build, train the classification head if none fits
## the corpus (minutes, once), index (when the data changed) and serve on $(BIND).
run: data model build
	./target/release/customs train --if-missing
	./target/release/customs serve --bind $(BIND) --profile $(PROFILE)

## The whole test suite: unit, storage, API over real HTTP, and the headless-browser test.
test: model
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

data:
	@if [ ! -f "$(DATA_DIR)/harmonized-system/harmonized-system.csv" ]; then \
		scripts/fetch-data --dest "$(DATA_DIR)"; \
	fi

model:
	scripts/fetch-model

build:
	$(CARGO) build --release --bin customs

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Figures for the closing note: index build, search latency, cold start, RSS, platform writes.
bench: build bench-platform
	./target/release/customs bench --queries 1000 --out reports/bench-search.json
	scripts/bench-server

## Platform writes (create + submit over HTTP) on SQLite and PostgreSQL: reports/bench-platform.json.
bench-platform: build
	scripts/bench-platform ./target/release/customs

fmt:
	$(CARGO) fmt --all

## Accuracy figures: test split and the held-out CBP rulings; JSON and HTML under reports/.
eval: build
	./target/release/customs train
	./target/release/customs eval --out reports/eval-test
	./target/release/customs eval --cases var/corpus/cases-us-cbp-cross-ny-sample.jsonl --out reports/eval-cbp
	./target/release/customs eval --guided --out reports/eval-guided
