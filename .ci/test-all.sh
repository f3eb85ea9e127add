#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: frontend checks, clippy, every Rust package (one build, one
# feature set, never --workspace: the fuzz crate is not a member), the real keyring, real playback, and the
# real app window over WebDriver.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/.ci/setup.sh"
cd "$ROOT"
# A clean machine builds everything once: incremental compilation only costs time there.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

# Work only the tests need later (tauri-driver for e2e, the fuzz targets' build) runs in the background at the
# lowest CPU priority, so it takes what the Rust build leaves idle (its links, its tail) rather than adding
# minutes in front of it. Each job is its own process group, stopped if this script ends early.
background=()
trap 'for pgid in "${background[@]}"; do kill -- "-$pgid" 2>/dev/null || true; done' EXIT
in_background() { # log, command...
  local log="$1"; shift
  # A session of its own (so it can be stopped as a group). With the kernel's autogroup scheduling a session is
  # also a scheduling group, and the group's nice is what weighs against the build's, so that is lowered too.
  setsid --wait bash -c 'echo 19 >/proc/self/autogroup 2>/dev/null || true; exec nice -n 19 "$@"' background "$@" \
    >"$log" 2>&1 &
  background+=("$!")
}
await() { # pid, log, what
  local rc=0
  wait "$1" || rc=$?
  cat "$2"
  [ "$rc" -eq 0 ] || { echo "test-all: $3 failed (exit $rc)" >&2; exit 1; }
}
mkdir -p target

# setup.sh exported ORT_DYLIB_PATH and SHOWRUNNER_TEST_PIPER_VOICE: the real Piper tests (providers'
# system_speech binary, the api's local_voices module) use them, and fail under CI=true without them.
: "${ORT_DYLIB_PATH:?setup.sh must export ORT_DYLIB_PATH}" "${SHOWRUNNER_TEST_PIPER_VOICE:?setup.sh must export SHOWRUNNER_TEST_PIPER_VOICE}"

step() { printf '\n=== %s (%ss)\n' "$1" "$SECONDS"; }

# Every crate the build needs is downloaded first, at normal priority, so the build never waits on cargo's
# download lock while a low-priority job below holds it.
step "rust: fetch the workspace's crates"
cargo fetch --locked --target "$(rustc -vV | sed -n 's/^host: //p')"

# tauri-driver (for e2e) and the fuzz targets (cargo-fuzz installed first when missing) build in the background
# at the lowest CPU priority, taking only what the build and the tests leave idle; the fuzz targets run at the
# end, on cores of their own.
tauri_driver=""
if ! command -v tauri-driver >/dev/null; then
  step "setup: install tauri-driver in the background (nice 19)"
  in_background "$ROOT/target/tauri-driver-install.log" cargo install tauri-driver --version '^2' --locked --quiet
  tauri_driver=$!
fi
step "fuzz: build the targets in the background (nice 19)"
in_background "$ROOT/target/fuzz-build.log" bash .ci/fuzz.sh --build-only
fuzz_build=$!

# The app embeds ui/dist when it compiles, so the frontend is built first; its checks run beside the Rust build
# (which leaves a core idle while it links) and are waited for before any test runs.
step "frontend: build; typecheck, lint and unit tests alongside the Rust build"
npm --prefix ui run build
frontend_log="$ROOT/target/frontend-checks.log"
(npm --prefix ui run check && npm --prefix ui run lint && npm --prefix ui test) >"$frontend_log" 2>&1 &
frontend=$!

step "rust: format"
cargo fmt --all -- --check

# Every package is built and tested in ONE feature set: cargo unifies dependency features over the packages it
# is asked for, so separate invocations (the app, clippy, each core package) built tokio, serde_json, sqlx,
# hyper and all that depends on them once per feature set. The app package is in it too: its binary is what
# the e2e tests drive.
PACKAGES=(
  showrunner showrunner-domain showrunner-text showrunner-wav showrunner-contracts showrunner-sources
  showrunner-store showrunner-engine showrunner-provider-fakes showrunner-providers showrunner-production
  showrunner-audio showrunner-secrets showrunner-api showrunner-cli showrunner-e2e
)
packages=()
for pkg in "${PACKAGES[@]}"; do packages+=(-p "$pkg"); done

# Clippy lints the workspace's crates while they compile for real (what `cargo clippy` does, on a `cargo check`):
# clippy-driver as the workspace's compiler wrapper, denying warnings. Cargo keys the workspace's artifacts to
# the wrapper, so it stays set for the test run below, which then builds nothing.
command -v clippy-driver >/dev/null || { echo "test-all: clippy-driver is missing (rustup component add clippy)" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "rust: build the app and every package's tests and benches, linted by clippy (-D warnings)"
cargo build --locked --all-targets "${packages[@]}"

step "frontend: typecheck, lint, unit tests (run beside the build)"
frontend_ok=0
wait "$frontend" || frontend_ok=$?
cat "$frontend_log"
[ "$frontend_ok" -eq 0 ] || { echo "test-all: the frontend checks failed" >&2; exit 1; }

if [ -n "$tauri_driver" ]; then await "$tauri_driver" "$ROOT/target/tauri-driver-install.log" "installing tauri-driver"; fi

step "test every package with a real keyring, a real sound server and a display (the real window for e2e)"
export SHOWRUNNER_E2E_SHOTS="$ROOT/target/e2e-screenshots"
# Each test executable runs in its own D-Bus session with its own PipeWire and GNOME Keyring (cargo's target
# runner; a third of a second each), so no binary sees what an earlier one left in the keyring or the sound
# server.
host="$(rustc -vV | sed -n 's/^host: //p')"
runner_var="CARGO_TARGET_$(printf '%s' "$host" | tr 'a-z-' 'A-Z_')_RUNNER"
export "$runner_var=bash $ROOT/.ci/with-audio-and-keyring.sh"
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --locked --no-fail-fast "${packages[@]}"
unset "$runner_var"

step "test showrunner-secrets on the kernel keyring (keyutils), from the binaries built above"
# The test executables cargo built for showrunner-secrets, each run from its package folder as cargo would.
mapfile -t secrets_tests < <(cargo test --locked "${packages[@]}" --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"] \
            and "#showrunner-secrets@" in m["package_id"]:
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
')
[ "${#secrets_tests[@]}" -gt 0 ] || { echo "test-all: found no showrunner-secrets test executables" >&2; exit 1; }
for entry in "${secrets_tests[@]}"; do
  (cd "${entry%%$'\t'*}" && SHOWRUNNER_KEYRING=keyutils keyctl session - "${entry#*$'\t'}")
done

step "fuzz: every light target for SHOWRUNNER_FUZZ_SECONDS (20 s) each, one per core; .ci/fuzz.sh --long for longer"
await "$fuzz_build" "$ROOT/target/fuzz-build.log" "building the fuzz targets"
bash .ci/fuzz.sh --run-only

step "done"
