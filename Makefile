# Thin wrapper for the two commands of README.md.
#   make demo   install what is missing, build, load the Almere fixtures into
#               handen.db and run the main job on it
#   make test   install what is missing, build, run every test, then again under
#               AddressSanitizer and UndefinedBehaviorSanitizer
BUILD ?= build
ASAN_BUILD ?= build-asan
DB ?= handen.db
MESON_OPTS ?= -Dwerror=true
HANDEN = $(BUILD)/api/handen

.PHONY: demo test build deps test-deps check-normal check-asan clean

demo: build
	$(HANDEN) validate fixtures/almere.json
	$(HANDEN) import --replace --db $(DB) fixtures/almere.json
	$(HANDEN) summary --db $(DB)
	$(HANDEN) match --db $(DB)

deps:
	@sh .ci/deps build

test-deps:
	@sh .ci/deps test

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) $(MESON_OPTS) -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

check-normal: build
	meson test -C $(BUILD) --print-errorlogs

check-asan: $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	meson test -C $(ASAN_BUILD) --print-errorlogs

test: test-deps check-normal check-asan

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
