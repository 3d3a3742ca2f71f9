# The two commands of the README: `make up` runs the platform, `make test` passes the tests.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
NODE_MODULES := node_modules/.package-lock.json

.PHONY: help deps install build typecheck lint format up down status logs test test-unit test-integration test-races demo chart-test k8s-render
.PHONY: k8s-build k8s-up k8s-down k8s-status test-operator bench chaos

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

deps: ## Install the system prerequisites (Debian): PostgreSQL, Redis, Prometheus; check Java, Maven, Go, Node
	scripts/deps.sh

$(NODE_MODULES): package.json package-lock.json
	npm ci

install: $(NODE_MODULES) ## Install the npm workspace

build: install ## Compile every package and service (also the type-check)
	npx tsc -b
	npx tsc -p tests
	npx tsc -p scripts
	npx tsc -p observability/tests
	npx tsc -p tools/smtp-sink
	for project in benchmarks/*/tsconfig.json; do npx tsc -p "$$project"; done

typecheck: build ## Type-check everything

lint: install ## ESLint and Prettier over the whole repository
	npx eslint .
	npx prettier --check .

format: install ## Rewrite files with Prettier
	npx prettier --write .

up: build ## Start the backing servers and every service locally
	STACK_SKIP_BUILD=1 scripts/stack/up.sh all

down: ## Stop everything `make up` started
	scripts/stack/down.sh

status: ## What runs where, and whether it is healthy
	scripts/stack/status.sh

logs: ## Follow the logs (make logs NAME=messaging)
	scripts/stack/logs.sh $(NAME)

test-unit: build ## Unit tests only (no servers)
	node scripts/test.mjs unit

test-integration: build ## Integration tests against the local stack (started and stopped if not running)
	scripts/with-stack.sh node scripts/test.mjs integration

test-races: build ## The race suite in full (RACE_ROUNDS=200) against the local stack (started and stopped if not running)
	RACE_ROUNDS=200 scripts/with-stack.sh node scripts/test.mjs races

test: build lint ## Lint, type-check, then every test in one run against the real servers
	scripts/with-stack.sh node scripts/test.mjs all

bench: build ## The platform side by side with a bare Socket.IO relay and Centrifugo (benchmarks/README.md); BENCH_ARGS='--seconds=5 ...' for a shorter run
	scripts/bench/centrifugo.sh build
	scripts/with-stack.sh node --conditions=source --import tsx benchmarks/compare/main.ts $(BENCH_ARGS)

chaos: build ## The full chaos run (docs/operations.md): kills, stops and pauses the stack's own processes; STACK_PORT_OFFSET=1000 for a second stack of a clone
	scripts/with-stack.sh node --conditions=source --import tsx tests/chaos/main.ts

demo: ## Two users meet and chat through the gateway (needs `make up`)
	node --conditions=source --import tsx scripts/demo.ts

chart-test: install ## Offline chart checks: helm lint/template, Kubernetes schemas, policies
	node scripts/test.mjs chart

k8s-render: install ## Regenerate the chart's copies (CRD, dashboards, rules), its values table and k8s/rendered
	node scripts/helm/generate.mjs

k8s-build: ## Build the test control plane (etcd, kube-apiserver, kube-controller-manager) into ~/.cache once
	scripts/k8s/control-plane.sh build

k8s-up: ## Start the test control plane on 127.0.0.1:56543 (+ STACK_PORT_OFFSET; builds it first if needed); prints KUBECONFIG
	scripts/k8s/control-plane.sh start

k8s-down: ## Stop the test control plane
	scripts/k8s/control-plane.sh stop

k8s-status: ## Whether the test control plane runs and is ready
	scripts/k8s/control-plane.sh status

test-operator: build ## The operator against the real control plane (started and stopped if not running) and the stack's Kafka
	scripts/with-stack.sh node scripts/test.mjs operator
