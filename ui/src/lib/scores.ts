// The six script-evaluation dimensions, in the order and words the Rust `Dimension` uses.

import type { Dimension, DimensionScores } from './backend/bindings';

/** Every dimension must reach this for the script to pass. */
export const PASS_SCORE = 7.0;

export const DIMENSIONS: readonly { key: Dimension; label: string }[] = [
  { key: 'factual_support', label: 'Factual support' },
  { key: 'narrative_coherence', label: 'Narrative coherence' },
  { key: 'brand_voice', label: 'Brand voice' },
  { key: 'engagement', label: 'Engagement' },
  { key: 'speech_readiness', label: 'Speech readiness' },
  { key: 'format_compliance', label: 'Format compliance' },
];

export function scoreRows(scores: DimensionScores): { key: Dimension; label: string; score: number }[] {
  return DIMENSIONS.map(({ key, label }) => ({ key, label, score: scores[key] }));
}
