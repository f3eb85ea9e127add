// Streams from the backend: per-view `Channel`s for high-rate data (a run's progress, the player's
// position) and the app-wide "episode-changed" event (src-tauri/src/events.rs) for lists and badges.

import { Channel } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { EpisodeChanged, PlaybackView, RunView } from './bindings';
import * as commands from './commands';
import { toBackendError } from './errors';

export const EPISODE_CHANGED = 'episode-changed';

/** A live subscription. `ready` settles once the backend accepted it (rejects with a `BackendError`). */
export interface Subscription {
  readonly ready: Promise<void>;
  stop(): void;
}

function subscribe<T>(onMessage: (value: T) => void, start: (channel: Channel<T>) => Promise<void>): Subscription {
  let active = true;
  const channel = new Channel<T>((value) => {
    if (active) onMessage(value);
  });
  const ready = start(channel);
  return {
    ready,
    stop() {
      // The backend stops sending when the channel's receiver is gone; until then, drop what arrives.
      active = false;
      channel.onmessage = () => {};
    },
  };
}

/** The run's view now and after every change, until `stop()`. */
export function watchRun(runId: string, onView: (view: RunView) => void): Subscription {
  return subscribe(onView, (channel) => commands.watchRun(runId, channel));
}

/** The player's state (position, playing, finished) as it changes, until `stop()`. */
export function watchPlayer(onState: (state: PlaybackView) => void): Subscription {
  return subscribe(onState, (channel) => commands.watchPlayer(channel));
}

/** Calls `handler` for every episode change anywhere in the app; resolves to the function that stops it. */
export async function onEpisodeChanged(handler: (change: EpisodeChanged) => void): Promise<() => void> {
  try {
    return await listen<EpisodeChanged>(EPISODE_CHANGED, (event) => handler(event.payload));
  } catch (error) {
    throw toBackendError(error);
  }
}
