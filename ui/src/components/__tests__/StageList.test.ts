import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import StageList from '../run/StageList.svelte';
import { stage } from '../../test-utils/fixtures';

describe('StageList', () => {
  it('renders one row per stage with its test id and status', () => {
    render(StageList, {
      props: {
        now: Date.now(),
        onOpenArtifact: vi.fn(),
        stages: [
          stage('research.discover', { label: 'Discover', status: 'done', attempts: 1, duration_ms: 1200, cost: 1_200 }),
          stage('research.deep_dive', { label: 'Deep dive', status: 'running', route: 'Rehearsal (offline)' }),
          stage('script.brand_check', {
            label: 'Brand check',
            kind: 'gate',
            status: 'waiting_retry',
            verdict: 'remediate',
            feedback: 'Say "game changer" less.',
          }),
          stage('release', { label: 'Release', kind: 'human_gate' }),
        ],
      },
    });
    expect(screen.getByTestId('stage-row-research-discover')).toHaveAttribute('data-status', 'done');
    expect(screen.getByTestId('stage-row-research-deep_dive')).toHaveAttribute('data-status', 'running');
    expect(screen.getByTestId('stage-row-script-brand_check')).toHaveAttribute('data-status', 'waiting_retry');
    expect(screen.getByTestId('stage-row-release')).toHaveAttribute('data-status', 'pending');

    const discover = screen.getByTestId('stage-row-research-discover');
    expect(discover).toHaveTextContent('1 attempt');
    expect(discover).toHaveTextContent('1.2 s');
    expect(discover).toHaveTextContent('$0.0012');
    expect(screen.getByTestId('stage-row-research-deep_dive')).toHaveTextContent('Rehearsal (offline)');
    expect(screen.getByTestId('stage-row-script-brand_check')).toHaveTextContent('Feedback');
  });

  it('names the prompt template version that produced a stage', () => {
    render(StageList, {
      props: {
        now: Date.now(),
        onOpenArtifact: vi.fn(),
        stages: [
          stage('plan', { label: 'Plan', status: 'done', prompts: ['plan v2 (override)'] }),
          stage('audio.synthesize', { label: 'Speech', status: 'done' }),
        ],
      },
    });
    expect(screen.getByTestId('stage-row-plan')).toHaveTextContent('Prompt plan v2 (override)');
    expect(screen.getByTestId('stage-row-audio-synthesize')).not.toHaveTextContent('Prompt');
  });

  it('opens an artifact from its stage', async () => {
    const onOpenArtifact = vi.fn();
    const meta = { id: 'a1', kind: 'research_package' as const, stage: 'research.synthesize', version: 1, created_at_ms: 0 };
    render(StageList, {
      props: { now: 0, onOpenArtifact, stages: [stage('research.synthesize', { status: 'done', artifacts: [meta] })] },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'View research package' }));
    expect(onOpenArtifact).toHaveBeenCalledWith(meta);
  });
});
