# Traject: the front door. `make help` lists the targets.
GO       ?= go
BIN      := bin/traject
DB       ?= data/traject.db
ADDR     ?= :8080
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.Version=$(VERSION)

.PHONY: help build run test lint bench bench-go bench-e2e load clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## build bin/traject
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/traject

run: build ## migrate data/traject.db, load the demo data and accounts on first run, serve on :8080
	$(BIN) migrate --db $(DB)
	$(BIN) demo --if-empty --db $(DB)
	$(BIN) stats --db $(DB)
	$(BIN) serve --db $(DB) --addr $(ADDR)

test: ## run every test (race detector on)
	$(GO) test -race -count=1 ./...

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
