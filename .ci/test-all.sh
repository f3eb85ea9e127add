#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: frontend checks, every Rust package one by one (never
# --workspace: feature unification would build Tauri twice), the real keyring, real playback, and the real
# app window over WebDriver. Builds once, then tests package by package.
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

step "frontend: typecheck, lint, unit tests, build"
npm --prefix ui run check
npm --prefix ui run lint
npm --prefix ui test
npm --prefix ui run build

step "rust: format"
cargo fmt --all -- --check

step "rust: build the app (embeds ui/dist)"
cargo build --locked

step "rust: clippy"
cargo clippy --locked --all-targets -p showrunner -p showrunner-domain -p showrunner-store -p showrunner-engine \
  -p showrunner-providers -p showrunner-production -p showrunner-audio -p showrunner-secrets -p showrunner-api \
  -p showrunner-cli -p showrunner-provider-fakes -p showrunner-sources -p showrunner-text -p showrunner-wav \
  -p showrunner-contracts -- -D warnings

# Every core package is tested in ONE cargo invocation: cargo unifies dependency features over the packages it is
# asked for, so testing them one by one built tokio, serde, sqlx, hyper and the rest up to nine times over
# (once per feature set). The app package stays apart: its Tauri build keeps the feature set `cargo build` used.
CORE_PACKAGES=(
  showrunner-domain showrunner-text showrunner-wav showrunner-contracts showrunner-sources showrunner-store showrunner-engine showrunner-provider-fakes
  showrunner-providers showrunner-production showrunner-audio showrunner-secrets showrunner-api showrunner-cli
  showrunner-e2e
)
core=()
for pkg in "${CORE_PACKAGES[@]}"; do core+=(-p "$pkg"); done

step "rust: build every core package's tests (one feature set)"
cargo test --locked "${core[@]}" --no-run

step "test the app package"
cargo test --locked -p showrunner

step "test every core package with a real keyring, a real sound server and a display (the real window for e2e)"
export SHOWRUNNER_E2E_SHOTS="$ROOT/target/e2e-screenshots"
xvfb-run -a -s "-screen 0 1280x800x24" bash .ci/with-audio-and-keyring.sh \
  cargo test --locked --no-fail-fast "${core[@]}"

step "test showrunner-secrets on the kernel keyring (keyutils), from the binaries built above"
# The test executables cargo built for showrunner-secrets, each run from its package folder as cargo would.
mapfile -t secrets_tests < <(cargo test --locked "${core[@]}" --no-run --message-format=json 2>/dev/null | python3 -c '
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
