#!/usr/bin/env bash
# Sets up a fresh machine, builds the UI and an optimised app, and starts Showrunner on the offline crew.
# Arguments go to the app (e.g. --data-dir DIR).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/.ci/setup.sh"
cd "$ROOT"
npm --prefix ui run build --silent
# A release build: mastering, speech preparation and the audio gate run at the speed a producer expects.
cargo build --locked --release --bin showrunner-app
exec ./target/release/showrunner-app "$@"
