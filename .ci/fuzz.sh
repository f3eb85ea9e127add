#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for a short while (SHOWRUNNER_FUZZ_SECONDS, 20 s each by default); `--long [SECONDS]`
# runs each for longer (default 600 s). Crashes land in fuzz/artifacts/<target>/ and fail the script.
#
# cargo-fuzz is installed from crates.io when missing. It passes a few nightly-only flags to rustc; on a
# stable toolchain RUSTC_BOOTSTRAP=1 lets them through, and `--sanitizer none` leaves out AddressSanitizer
# (which stable cannot build); the targets still run with libFuzzer's coverage guidance and our assertions.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds="${SHOWRUNNER_FUZZ_SECONDS:-20}"
if [[ "${1:-}" == "--long" ]]; then
  seconds="${2:-600}"
fi

if ! command -v cargo-fuzz >/dev/null; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
sanitizer=(--sanitizer none)
if rustc --version | grep -q nightly; then
  sanitizer=()
fi

for target in $(cargo fuzz list --fuzz-dir fuzz); do
  echo "=== fuzz $target (${seconds}s)"
  cargo fuzz run --fuzz-dir fuzz "${sanitizer[@]}" "$target" -- -max_total_time="$seconds"
done
