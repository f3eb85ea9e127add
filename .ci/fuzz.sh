#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a short while each (SHOWRUNNER_FUZZ_SECONDS, 20 s by default), as
# test-all.sh does; `--long [SECONDS]` runs each for longer (default 600 s) and adds the schema target.
# Crashes land in fuzz/artifacts/<target>/ and fail the script.
#
# The short run fuzzes the targets whose code has no heavy dependencies (showrunner-domain, -text, -wav): a cold
# build takes about two and a half minutes on two busy cores. The schema target checks answers with
# showrunner-contracts' JSON-schema validator, whose regex engines make a cold build about three times longer:
# it is behind the fuzz crate's `schema` feature, built only by --long (or SHOWRUNNER_FUZZ_SCHEMA=1).
#
# Each target starts from its committed seeds (fuzz/seeds/<target>/) and keeps what it finds in
# fuzz/corpus/<target>/ (not committed), so a later run starts where the last one stopped.
#
# cargo-fuzz is installed from crates.io when missing. It passes a few nightly-only flags to rustc; on a
# stable toolchain RUSTC_BOOTSTRAP=1 lets them through, and `--sanitizer none` leaves out AddressSanitizer
# (which stable cannot build); the targets still run with libFuzzer's coverage guidance and our assertions.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds="${SHOWRUNNER_FUZZ_SECONDS:-20}"
schema="${SHOWRUNNER_FUZZ_SCHEMA:-0}"
if [[ "${1:-}" == "--long" ]]; then
  seconds="${2:-600}"
  schema=1
fi

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
build=(--fuzz-dir fuzz)
if ! rustc --version | grep -q nightly; then
  build+=(--sanitizer none)
fi
if [[ "$schema" == 1 ]]; then
  build+=(--features schema)
fi

echo "=== fuzz: build"
cargo fuzz build "${build[@]}"

for target in $(cargo fuzz list --fuzz-dir fuzz); do
  if [[ "$target" == schema && "$schema" != 1 ]]; then
    echo "=== fuzz $target: skipped (builds the JSON-schema validator; run with --long or SHOWRUNNER_FUZZ_SCHEMA=1)"
    continue
  fi
  echo "=== fuzz $target (${seconds}s)"
  mkdir -p "fuzz/corpus/$target"
  cargo fuzz run "${build[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds"
done
