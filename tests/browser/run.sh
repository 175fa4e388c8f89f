#!/bin/sh
# Runs the browser stories with Node's test runner (TAP output), or exits 77 (skipped)
# when what they need is missing.  Usage: run.sh SOURCE_DIR (tests/browser).
dir=${1:?usage: run.sh tests/browser}
chromium=${HANDEN_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "skipped: no Chromium at $chromium (apt-get install chromium, or set HANDEN_CHROMIUM)"
  exit 77
fi
if ! command -v node >/dev/null 2>&1; then
  echo "skipped: Node.js is missing (apt-get install nodejs npm)"
  exit 77
fi
if [ ! -f "$dir/node_modules/playwright-core/package.json" ] || [ ! -f "$dir/node_modules/axe-core/package.json" ]; then
  echo "skipped: $dir/node_modules is missing (run: make test-deps, or npm ci in $dir)"
  exit 77
fi
cd "$dir" && exec node --test --test-reporter=tap --test-concurrency=1 stories.test.mjs city.test.mjs review.test.mjs school.test.mjs planner.test.mjs
