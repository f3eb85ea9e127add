import { describe, expect, it } from 'vitest';
import { cueIndexAt, parkNotice, stageTestId } from './run';
import { stage } from '../test-utils/fixtures';
import type { Cue } from './backend/bindings';

describe('stageTestId', () => {
  it('replaces dots with dashes, keeping underscores', () => {
    expect(stageTestId('research.discover')).toBe('stage-row-research-discover');
    expect(stageTestId('research.deep_dive')).toBe('stage-row-research-deep_dive');
    expect(stageTestId('plan')).toBe('stage-row-plan');
  });
});

describe('parkNotice', () => {
  const stages = [stage('script.signoff', { label: 'Script sign-off' }), stage('script.evaluate', { label: 'Dual evaluation' })];

  it('opens the sign-off and release screens for the human gates', () => {
    expect(parkNotice({ kind: 'human_gate', stage: 'script.signoff' }, stages).opens).toBe('script');
    expect(parkNotice({ kind: 'human_gate', stage: 'release' }, stages).opens).toBe('release');
  });

  it('says which gate escalated and why, and when the budget ran out', () => {
    const escalated = parkNotice({ kind: 'gate_escalated', stage: 'script.evaluate', summary: 'Scores stayed low.' }, stages);
    expect(escalated.title).toContain('Dual evaluation');
    expect(escalated.detail).toBe('Scores stayed low.');
    expect(escalated.opens).toBeNull();
    expect(parkNotice({ kind: 'budget_exhausted', stage: 'plan' }, stages).detail).toContain('plan');
  });
});

describe('cueIndexAt', () => {
  const cues: Cue[] = [
    { line_id: 'S1-L1', speaker: 'Alex', text: 'a', start_ms: 0, end_ms: 1000 },
    { line_id: 'S1-L2', speaker: 'Sam', text: 'b', start_ms: 1300, end_ms: 2000 },
  ];

  it('finds the line being spoken, holding it through the gap after it', () => {
    expect(cueIndexAt(cues, 0)).toBe(0);
    expect(cueIndexAt(cues, 999)).toBe(0);
    expect(cueIndexAt(cues, 1100)).toBe(0);
    expect(cueIndexAt(cues, 1300)).toBe(1);
  });

  it('highlights nothing after the last line ends or with no cues', () => {
    expect(cueIndexAt(cues, 2000)).toBe(-1);
    expect(cueIndexAt([], 10)).toBe(-1);
  });
});
