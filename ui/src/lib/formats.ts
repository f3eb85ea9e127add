// Episode formats in the form: what each needs (the generated EPISODE_FORMATS), the same refusals the
// backend gives, and the length a brief starts from.

import { BRIEF_MINUTES, EPISODE_FORMATS, type EpisodeFormat } from './backend/bindings';

export function formatLabel(format: EpisodeFormat): string {
  return EPISODE_FORMATS.find((f) => f.id === format)?.label ?? format;
}

/** Why a show with `hosts` hosts cannot make an episode of `minutes` in `format`; null when it can. */
export function formatProblem(format: EpisodeFormat, hosts: number, minutes: number | null): string | null {
  const info = EPISODE_FORMATS.find((f) => f.id === format);
  if (info && hosts < info.hostsNeeded) {
    return `${info.label} needs ${info.hostsNeeded} hosts and the show has ${hosts}: add a host or pick another format.`;
  }
  if (format === 'brief' && minutes !== null && (minutes < BRIEF_MINUTES.min || minutes > BRIEF_MINUTES.max)) {
    return `A brief runs ${BRIEF_MINUTES.min} to ${BRIEF_MINUTES.max} minutes, not ${minutes}: change the length or pick another format.`;
  }
  return null;
}

/**
 * The length to show after the format changes from `from` to `to`: a brief starts at its default length, and
 * leaving a brief goes back to `usual`; any other change keeps what the producer typed.
 */
export function minutesAfterFormatChange(
  from: EpisodeFormat,
  to: EpisodeFormat,
  minutes: number | null,
  usual: number,
): number | null {
  if (to === 'brief' && from !== 'brief') return BRIEF_MINUTES.default;
  if (from === 'brief' && to !== 'brief') return usual;
  return minutes;
}
