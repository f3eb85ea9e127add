import { describe, expect, it } from 'vitest';
import { artifactTitle, typedArtifact } from './artifacts';

describe('typedArtifact', () => {
  it('recognises the kinds it has a viewer for', () => {
    expect(typedArtifact('research_package', { topic: 't', facts: [], open_questions: [], uncertainties: [] }).view).toBe(
      'research_package',
    );
    expect(typedArtifact('gate_report', { verdict: 'pass', score: 1, threshold: 0.8, checks: [], feedback: '' }).view).toBe(
      'gate_report',
    );
    expect(typedArtifact('evaluation', { evaluator: 'x', scores: {}, comments: [] }).view).toBe('evaluation');
  });

  it('falls back to JSON for other kinds and for content without the expected shape', () => {
    expect(typedArtifact('master', { cues: [] }).view).toBe('json');
    expect(typedArtifact('plan', { title: 'no segments' }).view).toBe('json');
    expect(typedArtifact('script', null).view).toBe('json');
  });

  it('names kinds in words', () => {
    expect(artifactTitle('research_package')).toBe('Research package');
    expect(artifactTitle('evaluation_panel')).toBe('Evaluations');
  });
});
