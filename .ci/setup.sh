#!/usr/bin/env bash
# Installs what Showrunner needs to build, run and test on Debian/Ubuntu. Idempotent: a second run installs
# nothing. Sourced by start-app.sh and test-all.sh.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

need_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Build: Tauri (WebKitGTK), rodio (ALSA). Run: espeak-ng (offline voice). Test: ffmpeg (the independent loudness meter), a display (Xvfb), WebDriver
# for the real window, D-Bus + GNOME Keyring + keyutils for the real keyring, PipeWire for real playback.
PACKAGES=(
  build-essential pkg-config libssl-dev curl
  libwebkit2gtk-4.1-dev libasound2-dev
  espeak-ng ffmpeg
  xvfb xauth webkit2gtk-driver
  dbus gnome-keyring keyutils
  pipewire pipewire-bin pipewire-alsa wireplumber
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  need_root apt-get update -qq
  need_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20+ and npm are required" >&2; exit 1; }

if [ ! -d "$ROOT/ui/node_modules" ] || [ "$ROOT/ui/package-lock.json" -nt "$ROOT/ui/node_modules/.package-lock.json" ]; then
  echo "setup: installing the frontend's npm packages"
  npm --prefix "$ROOT/ui" ci --no-audit --no-fund --loglevel=error
fi
