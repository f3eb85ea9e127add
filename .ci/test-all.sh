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

if ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

# setup.sh exported ORT_DYLIB_PATH and SHOWRUNNER_TEST_PIPER_VOICE: the real Piper tests (providers'
# system_speech binary, the api's local_voices module) use them, and fail under CI=true without them.
: "${ORT_DYLIB_PATH:?setup.sh must export ORT_DYLIB_PATH}" "${SHOWRUNNER_TEST_PIPER_VOICE:?setup.sh must export SHOWRUNNER_TEST_PIPER_VOICE}"

step() { printf '\n=== %s (%ss)\n' "$1" "$SECONDS"; }

# The app embeds ui/dist when it compiles, so the frontend is built first; its checks run beside the Rust build
# (which leaves a core idle while it links) and are waited for before any test runs.
step "frontend: build; typecheck, lint and unit tests alongside the Rust build"
npm --prefix ui run build
mkdir -p target
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

step "fuzz: every light target for SHOWRUNNER_FUZZ_SECONDS (20 s) each; .ci/fuzz.sh --long for longer"
bash .ci/fuzz.sh

step "done"
