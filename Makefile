# Roster: `make run` sets everything up and starts the app; `make test` sets
# everything up and runs every test. Both install what is missing first.
SHELL := bash
.DEFAULT_GOAL := run

.PHONY: run test build dev-binary e2e e2e-server desktop-test bench deps deps-test fmt clean

run: deps ## Build and start Roster on the default database
	scripts/build.sh frontend app
	./build/bin/roster $(ARGS)

test: deps-test ## Run every test (what CI runs)
	scripts/test.sh

build: deps ## Build the production binary build/bin/roster
	scripts/build.sh frontend app

e2e: deps-test ## Only the end-to-end tests (E2E_ARGS="-g name" to pick)
	scripts/build.sh frontend
	scripts/e2e.sh $(E2E_ARGS)

e2e-server: deps-test ## Only the directory server's end-to-end test
	scripts/e2e-server.sh

desktop-test: deps-test build ## Only the desktop window tests under Xvfb
	scripts/desktop-smoke.sh
	scripts/desktop-drop.sh

bench: deps ## Go benchmarks, with the raw-library baselines beside them
	go test -tags "$$(. scripts/lib.sh; go_tags)" -run '^$$' -bench . -benchmem ./...

deps:
	scripts/deps.sh run

deps-test:
	scripts/deps.sh test

fmt: ## Format Go and frontend code
	gofmt -w $$(git ls-files '*.go')
	cd frontend && npx biome check --write .

clean:
	rm -rf build/bin frontend/dist test-results
