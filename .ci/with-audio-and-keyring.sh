#!/usr/bin/env bash
# Runs a command with a real sound server and a real keyring on a headless machine:
#   * a private D-Bus session bus (dbus-run-session),
#   * a fresh XDG_RUNTIME_DIR,
#   * PipeWire + WirePlumber with a null sink named ci_null as the default output (ALSA's default device
#     goes to PipeWire through pipewire-alsa, so rodio plays to it in real time),
#   * an unlocked GNOME Keyring serving the Secret Service API (password "ci", in a throwaway data dir),
# then exports REQUIRE_AUDIO=1 and SHOWRUNNER_KEYRING=secret-service, runs "$@", stops the daemons and
# exits with the command's exit code.
#
#   bash .ci/with-audio-and-keyring.sh cargo test -p showrunner-audio
#
# Needs: dbus, pipewire, pipewire-bin, pipewire-alsa, wireplumber, gnome-keyring (see .ci/setup.sh).
set -euo pipefail

if [ "${1:-}" != "--inside-bus" ]; then
  [ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
  for tool in dbus-run-session pipewire wireplumber pw-cli wpctl gnome-keyring-daemon; do
    command -v "$tool" >/dev/null || { echo "with-audio-and-keyring: $tool is not installed (run .ci/setup.sh)" >&2; exit 2; }
  done
  CI_AUDIO_TMP="$(mktemp -d)"
  export CI_AUDIO_TMP
  export XDG_RUNTIME_DIR="$CI_AUDIO_TMP/runtime"
  mkdir -p "$XDG_RUNTIME_DIR" "$CI_AUDIO_TMP/state" "$CI_AUDIO_TMP/config" "$CI_AUDIO_TMP/data"
  chmod 700 "$CI_AUDIO_TMP" "$XDG_RUNTIME_DIR"
  rc=0
  dbus-run-session -- bash "${BASH_SOURCE[0]}" --inside-bus "$@" || rc=$?
  rm -rf "$CI_AUDIO_TMP"
  exit "$rc"
fi
shift

log="$CI_AUDIO_TMP"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

fail() {
  echo "with-audio-and-keyring: $1" >&2
  for f in "$log"/*.log; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  exit 1
}

# The daemons keep their state and config in the throwaway directory, never in $HOME.
daemon_env=(env XDG_STATE_HOME="$log/state" XDG_CONFIG_HOME="$log/config" XDG_DATA_HOME="$log/data")

"${daemon_env[@]}" pipewire >"$log/pipewire.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -S "$XDG_RUNTIME_DIR/pipewire-0" ] && break; sleep 0.05; done
[ -S "$XDG_RUNTIME_DIR/pipewire-0" ] || fail "pipewire did not start"

"${daemon_env[@]}" wireplumber >"$log/wireplumber.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do wpctl status >/dev/null 2>&1 && break; sleep 0.05; done

pw-cli create-node adapter '{ factory.name=support.null-audio-sink node.name=ci_null node.description="CI null sink" media.class=Audio/Sink object.linger=true audio.position=[FL FR] }' >/dev/null \
  || fail "could not create the ci_null sink"
sink_id=""
for _ in $(seq 1 100); do
  sink_id="$(pw-cli ls Node 2>/dev/null | awk '/^[[:space:]]*id [0-9]+,/ { id = $2; sub(",", "", id) } /node.name = "ci_null"/ { print id; exit }')"
  [ -n "$sink_id" ] && break
  sleep 0.05
done
[ -n "$sink_id" ] || fail "the ci_null sink did not appear"
wpctl set-default "$sink_id" || fail "could not make ci_null the default sink"
for _ in $(seq 1 100); do wpctl inspect @DEFAULT_AUDIO_SINK@ 2>/dev/null | grep -q 'node.name = "ci_null"' && break; sleep 0.05; done
wpctl inspect @DEFAULT_AUDIO_SINK@ 2>/dev/null | grep -q 'node.name = "ci_null"' || fail "ci_null is not the default sink"

# --foreground keeps the daemon our child (so it can be stopped by pid); --unlock reads the password from
# stdin and creates an unlocked login keyring in the fresh data dir.
printf '%s' ci | "${daemon_env[@]}" gnome-keyring-daemon --foreground --unlock --components=secrets >"$log/keyring.log" 2>&1 &
pids+=($!)
secrets_up() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
for _ in $(seq 1 100); do secrets_up && break; sleep 0.05; done
secrets_up || fail "gnome-keyring-daemon did not take the Secret Service name"
"${daemon_env[@]}" gnome-keyring-daemon --start --components=secrets >/dev/null 2>>"$log/keyring.log" \
  || fail "gnome-keyring-daemon --start failed"

export REQUIRE_AUDIO=1
export SHOWRUNNER_KEYRING=secret-service
echo "with-audio-and-keyring: PipeWire default sink ci_null (node $sink_id), GNOME Keyring unlocked; running: $*" >&2

rc=0
"$@" || rc=$?
exit "$rc"
