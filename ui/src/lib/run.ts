// Run screen logic: test ids, what a parked run waits for, and the transcript cue under the playhead.

import { STAGE, type Cue, type ParkReason, type StageView } from './backend/bindings';

/** `research.discover` → `stage-row-research-discover`. */
export function stageTestId(stage: string): string {
  return `stage-row-${stage.replaceAll('.', '-')}`;
}

export interface ParkNoticeText {
  title: string;
  detail: string;
  /** Which human-gate screen answers it, if any. */
  opens: 'script' | 'release' | null;
}

export function parkNotice(park: ParkReason, stages: readonly StageView[]): ParkNoticeText {
  const label = stages.find((s) => s.stage === park.stage)?.label ?? park.stage;
  switch (park.kind) {
    case 'human_gate':
      if (park.stage === STAGE.SCRIPT_SIGNOFF) {
        return {
          title: 'The script is waiting for your sign-off',
          detail: 'Read it by segment, edit any line, then approve it to start speech and mastering.',
          opens: 'script',
        };
      }
      if (park.stage === STAGE.RELEASE) {
        return {
          title: 'The episode is waiting at the release gate',
          detail: 'Listen to the master, check the transcript and show notes, then approve or send it back.',
          opens: 'release',
        };
      }
      return { title: `Waiting for you at ${label}`, detail: 'This step needs a producer decision.', opens: null };
    case 'gate_escalated':
      return {
        title: `${label} kept failing and needs your decision`,
        detail: park.summary,
        opens: null,
      };
    case 'budget_exhausted':
      return {
        title: 'The budget is spent',
        detail: `Spending reached the cap at ${label}. The run waits until the budget is raised or the run is cancelled.`,
        opens: null,
      };
  }
}

/** The cue to highlight at `positionMs`: the last one that has started, while the master has not ended. */
export function cueIndexAt(cues: readonly Cue[], positionMs: number): number {
  let found = -1;
  for (let i = 0; i < cues.length; i++) {
    const cue = cues[i];
    if (cue && cue.start_ms <= positionMs) found = i;
    else break;
  }
  const last = found >= 0 ? cues[found] : undefined;
  if (last && found === cues.length - 1 && positionMs >= last.end_ms) return -1;
  return found;
}
