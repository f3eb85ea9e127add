// Names of artifact kinds, as a producer reads them.

import type {
  ArtifactKind,
  Evaluation,
  EvaluationPanel,
  EpisodePlan,
  GateReport,
  ResearchPackage,
  Script,
  ShowNotes,
} from './backend/bindings';

const LABELS: Record<ArtifactKind, string> = {
  research_brief: 'research brief',
  research_notes: 'research notes',
  research_package: 'research package',
  gate_report: 'gate report',
  plan: 'plan',
  script: 'script',
  evaluation: 'evaluation',
  evaluation_panel: 'evaluations',
  speech_script: 'speech text',
  speech_takes: 'speech takes',
  master: 'master',
  show_notes: 'show notes',
  decision: 'decision',
};

export function artifactLabel(kind: ArtifactKind): string {
  return LABELS[kind] ?? kind.replace(/_/g, ' ');
}

/** "research package" → "Research package". */
export function artifactTitle(kind: ArtifactKind): string {
  const label = artifactLabel(kind);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** An artifact's content with the type its kind promises, or `json` when it does not have that shape. */
export type TypedArtifact =
  | { view: 'research_package'; value: ResearchPackage }
  | { view: 'plan'; value: EpisodePlan }
  | { view: 'script'; value: Script }
  | { view: 'evaluation'; value: Evaluation }
  | { view: 'evaluation_panel'; value: EvaluationPanel }
  | { view: 'gate_report'; value: GateReport }
  | { view: 'show_notes'; value: ShowNotes }
  | { view: 'json'; value: unknown };

function has(content: unknown, ...arrays: string[]): content is Record<string, unknown> {
  if (typeof content !== 'object' || content === null) return false;
  const record = content as Record<string, unknown>;
  return arrays.every((key) => Array.isArray(record[key]));
}

function hasObject(content: unknown, key: string): boolean {
  return typeof content === 'object' && content !== null && typeof (content as Record<string, unknown>)[key] === 'object';
}

export function typedArtifact(kind: ArtifactKind, content: unknown): TypedArtifact {
  switch (kind) {
    case 'research_package':
      if (has(content, 'facts')) return { view: kind, value: content as unknown as ResearchPackage };
      break;
    case 'plan':
      if (has(content, 'segments')) return { view: kind, value: content as unknown as EpisodePlan };
      break;
    case 'script':
      if (has(content, 'segments')) return { view: kind, value: content as unknown as Script };
      break;
    case 'evaluation':
      if (has(content, 'comments') && hasObject(content, 'scores'))
        return { view: kind, value: content as unknown as Evaluation };
      break;
    case 'evaluation_panel':
      if (has(content, 'evaluations')) return { view: kind, value: content as unknown as EvaluationPanel };
      break;
    case 'gate_report':
      if (has(content, 'checks')) return { view: kind, value: content as unknown as GateReport };
      break;
    case 'show_notes':
      if (has(content, 'chapters', 'citations')) return { view: kind, value: content as unknown as ShowNotes };
      break;
    default:
      break;
  }
  return { view: 'json', value: content };
}
