#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: frontend checks, every Rust package one by one (never
# --workspace: feature unification would build Tauri twice), the real keyring, real playback, and the real
# app window over WebDriver. Builds once, then tests package by package.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/.ci/setup.sh"
cd "$ROOT"

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
  -p showrunner-cli -p showrunner-provider-fakes -p showrunner-sources -p showrunner-text -p showrunner-wav -p showrunner-contracts -- -D warnings

for pkg in showrunner-domain showrunner-text showrunner-wav showrunner-contracts showrunner-sources showrunner-store showrunner-engine showrunner-provider-fakes showrunner-providers showrunner-production showrunner-cli showrunner; do
  step "test $pkg"
  cargo test --locked -p "$pkg"
done

step "test showrunner-secrets on the kernel keyring (keyutils)"
SHOWRUNNER_KEYRING=keyutils keyctl session - cargo test --locked -p showrunner-secrets

step "test audio, secrets (Secret Service) and api with a real keyring and a real sound server"
bash .ci/with-audio-and-keyring.sh cargo test --locked -p showrunner-audio
bash .ci/with-audio-and-keyring.sh cargo test --locked -p showrunner-secrets
bash .ci/with-audio-and-keyring.sh cargo test --locked -p showrunner-api

step "fuzz: every light target for SHOWRUNNER_FUZZ_SECONDS (20 s) each; .ci/fuzz.sh --long for longer"
bash .ci/fuzz.sh

step "end to end: the real window under Xvfb, driven by tauri-driver"
export SHOWRUNNER_E2E_SHOTS="$ROOT/target/e2e-screenshots"
xvfb-run -a -s "-screen 0 1280x800x24" bash .ci/with-audio-and-keyring.sh cargo test --locked -p showrunner-e2e -- --nocapture

step "done"
