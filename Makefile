# Traject: the front door. `make help` lists the targets.
GO       ?= go
BIN      := bin/traject
DB       ?= data/traject.db
ADDR     ?= 127.0.0.1:8080
# Traject listens on this machine only, as the demo accounts' passwords are
# printed; serving the network (phones in the room) is a choice:
#   make run ADDR=:8080 PUBLIC_URL=http://192.168.1.5:8080
# PUBLIC_URL is the address survey links and QR codes point at.
PUBLIC_URL ?= http://localhost:8080
# The installation's name, on the sign-in page and in every page title.
NAME     ?= Demoregio NT2
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.Version=$(VERSION)

.PHONY: help build run test test-postgres lint bench bench-go bench-e2e load clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## build bin/traject
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/traject

run: build ## migrate data/traject.db, load the demo data (taken on today) and accounts and train the early warning on first run, serve on 127.0.0.1:8080
	$(BIN) migrate --db $(DB)
	$(BIN) demo --if-empty --db $(DB)
	$(BIN) risk train --if-none --db $(DB)
	$(BIN) stats --db $(DB)
	$(BIN) serve --db $(DB) --addr $(ADDR) --public-url $(PUBLIC_URL) --name "$(NAME)"

# The suites that open a database; `make test` runs them a second time on
# PostgreSQL when TRAJECT_TEST_POSTGRES names a server (.ci/run starts one).
# A test binary that runs longer than this fails, naming the test that
# hangs, instead of running into go test's 10-minute default.
TEST_TIMEOUT ?= 5m

DB_PKGS := ./internal/store/... ./internal/importer/... ./internal/schedule/... ./internal/server/... ./cmd/...

test: ## run every test (race detector on) on SQLite, and the database suites on PostgreSQL too when TRAJECT_TEST_POSTGRES is set
	env -u TRAJECT_TEST_POSTGRES $(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...
	@if [ -n "$$TRAJECT_TEST_POSTGRES" ]; then \
		echo "== the database suites on PostgreSQL"; \
		$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(DB_PKGS); \
	else \
		echo "TRAJECT_TEST_POSTGRES is not set: the PostgreSQL pass did not run (.ci/run sets it)"; \
	fi

test-postgres: ## the database suites on PostgreSQL only (TRAJECT_TEST_POSTGRES=postgres://…)
	@test -n "$$TRAJECT_TEST_POSTGRES" || { echo "set TRAJECT_TEST_POSTGRES to a postgres:// URL of a server the tests may create databases on"; exit 2; }
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) $(DB_PKGS)

lint: ## go vet and gofmt
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench: bench-go bench-e2e ## all speed and memory figures: Go benchmarks, then the CLI end to end

bench-go: ## the Go benchmarks of each package
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

bench-e2e: build ## the CLI end to end on 10,000 and 100,000 demo learners, with the sqlite3 floors
	./.ci/bench-e2e

load: build ## load test of the web pages: 100,000 demo learners, 16 concurrent clients (slow: builds the database once)
	./.ci/load

clean: ## remove the binary (the database in data/ stays)
	rm -rf bin
