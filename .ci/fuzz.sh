#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a short while each (SHOWRUNNER_FUZZ_SECONDS, 20 s by default), as
# test-all.sh does; `--long [SECONDS]` runs each for longer (default 600 s) and adds the schema target.
# `--build-only` installs cargo-fuzz and builds the targets (test-all.sh does that in the background, at the
# lowest priority, while the tests run); `--run-only` then runs them. Targets run side by side, one per core
# (SHOWRUNNER_FUZZ_JOBS), each for its full time on a core of its own.
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
jobs="${SHOWRUNNER_FUZZ_JOBS:-$(nproc)}"
build_step=1 run_step=1
case "${1:-}" in
  --long) seconds="${2:-600}"; schema=1 ;;
  --build-only) run_step=0 ;;
  --run-only) build_step=0 ;;
  "") ;;
  *) echo "fuzz: unknown option ${1} (--long [SECONDS], --build-only, --run-only)" >&2; exit 2 ;;
esac

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

if [[ "$build_step" == 1 ]]; then
  echo "=== fuzz: build"
  cargo fuzz build "${build[@]}"
fi
[[ "$run_step" == 1 ]] || exit 0

logs="$ROOT/fuzz/logs"
mkdir -p "$logs"
targets=()
for target in $(cargo fuzz list --fuzz-dir fuzz); do
  if [[ "$target" == schema && "$schema" != 1 ]]; then
    echo "=== fuzz $target: skipped (builds the JSON-schema validator; run with --long or SHOWRUNNER_FUZZ_SCHEMA=1)"
    continue
  fi
  targets+=("$target")
done

# One target per core at a time; each one's output is kept in its log and shown when it finishes.
declare -A running=()
failed=()
reap() {
  local pid rc=0
  wait -n -p pid "${!running[@]}" || rc=$?
  local target="${running[$pid]}"
  unset "running[$pid]"
  echo "=== fuzz $target (${seconds}s): $([[ $rc == 0 ]] && echo ok || echo "FAILED, exit $rc")"
  tail -n 25 "$logs/$target.log"
  [[ $rc == 0 ]] || failed+=("$target")
}
for target in "${targets[@]}"; do
  while (( ${#running[@]} >= jobs )); do reap; done
  mkdir -p "fuzz/corpus/$target"
  cargo fuzz run "${build[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- -max_total_time="$seconds" \
    >"$logs/$target.log" 2>&1 &
  running[$!]="$target"
done
while (( ${#running[@]} > 0 )); do reap; done
if (( ${#failed[@]} > 0 )); then
  echo "fuzz: ${failed[*]} found a crash (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
