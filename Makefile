# Thin wrapper for the two commands of README.md.
#   make demo   install what is missing, build, load the Almere fixtures into
#               handen.db, run a matching round on it, then serve it over HTTP on
#               127.0.0.1:$(PORT) with a fresh coordinator token (Ctrl-C stops)
#   make test   install what is missing, build, run every test, then again under
#               AddressSanitizer and UndefinedBehaviorSanitizer
BUILD ?= build
ASAN_BUILD ?= build-asan
DB ?= handen.db
PORT ?= 8080
# The fixtures are spring 2020: the demo server takes this day as today, so the
# fixtures' dates can still be asked for.
TODAY ?= 2020-05-04
MESON_OPTS ?= -Dwerror=true
HANDEN = $(BUILD)/api/handen

.PHONY: demo test build deps test-deps check-normal check-asan clean

# The demo builds only the handen program (the tests, fuzzers and benchmarks are for
# make test) and says what each step does.  The last step replaces the shell by the
# server, so Ctrl-C stops it cleanly.  Every step may run again: the import replaces the
# store's contents (tokens stay), each run is a new round whose proposals replace the
# undecided ones, and each run makes one new coordinator token.
demo: deps $(BUILD)/build.ninja
	@echo '==> Building the handen program in $(BUILD)/'
	meson compile -C $(BUILD) api/handen
	@echo '==> Checking the Almere fixtures (fixtures/almere.json)'
	$(HANDEN) validate fixtures/almere.json
	@echo '==> Importing them into the store $(DB), replacing what was there'
	$(HANDEN) import --replace --db $(DB) fixtures/almere.json
	@echo '==> Need and offer per district'
	$(HANDEN) summary --db $(DB)
	@echo '==> A matching round on the store: proposals, and why each open staff-slot stays open'
	$(HANDEN) match --db $(DB)
	@echo '==> Creating a coordinator token and starting the server'
	@token=$$($(HANDEN) token create --role coordinator --db $(DB) 2>/dev/null) || \
	  { echo 'make demo: cannot create a token in $(DB)' >&2; exit 1; }; \
	printf '\nThe HTTP API of %s is served at http://127.0.0.1:%s/ (Ctrl-C stops it).\n' \
	  '$(DB)' '$(PORT)'; \
	printf 'A coordinator token (shown once; the store keeps only its hash):\n\n  %s\n\n' \
	  "$$token"; \
	printf 'Try, in another terminal:\n  curl -H "Authorization: Bearer %s" \\\n' "$$token"; \
	printf '    "http://127.0.0.1:%s/v1/proposals?status=proposed&limit=2"\n\n' '$(PORT)'; \
	exec $(HANDEN) serve --db $(DB) --port $(PORT) --today $(TODAY)

deps:
	@sh .ci/deps build

test-deps:
	@sh .ci/deps test
	@[ -f tests/browser/node_modules/playwright-core/package.json ] && \
	  [ -f tests/browser/node_modules/axe-core/package.json ] || \
	  (cd tests/browser && npm ci --no-audit --no-fund)

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

check-normal: build
	meson test -C $(BUILD) --print-errorlogs

# Sanitizers slow every test down several times, so their time limits are tripled.
check-asan: $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	meson test -C $(ASAN_BUILD) --print-errorlogs --no-suite fuzz-smoke --timeout-multiplier 3

test: test-deps check-normal check-asan

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
