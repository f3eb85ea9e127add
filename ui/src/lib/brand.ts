// The brand voice form's pure logic: quick checks before the backend's (which stay authoritative and also
// catch duplicate names), and the starter's intro/outro following the name until the producer edits them.

import type { BrandVoice, Host, Pronunciation } from './backend/bindings';
import type { FieldErrors } from './backend/errors';
import { formatProblem } from './formats';

export const MIN_TARGET_MINUTES = 1;
export const MAX_TARGET_MINUTES = 180;
export const MAX_HOSTS = 4;
const MAX_NAME_CHARS = 80;
const NAME_SLOT = '{name}';

export const blankHost = (): Host => ({ name: '', role: 'co-host', voice: '', voices: {} });
export const blankPronunciation = (): Pronunciation => ({ word: '', say_as: '' });

/** A deep, plain copy: the form edits its own copy and nothing is lost if saving fails. */
export function copyBrand(brand: BrandVoice): BrandVoice {
  return JSON.parse(JSON.stringify(brand)) as BrandVoice;
}

export function isValidMinutes(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= MIN_TARGET_MINUTES && value <= MAX_TARGET_MINUTES
  );
}

export const MINUTES_MESSAGE = `Target length must be between ${MIN_TARGET_MINUTES} and ${MAX_TARGET_MINUTES} minutes.`;

/** The checks a producer benefits from before a round trip; field paths match the backend's. */
export function validateBrand(brand: BrandVoice): FieldErrors {
  const errors: FieldErrors = {};
  const name = brand.name.trim();
  if (name === '') errors.name = 'Give the show a name.';
  else if ([...name].length > MAX_NAME_CHARS) errors.name = `Keep the name under ${MAX_NAME_CHARS} characters.`;
  if (brand.hosts.length === 0) errors.hosts = 'Add at least one host.';
  else if (brand.hosts.length > MAX_HOSTS) errors.hosts = `A show can have at most ${MAX_HOSTS} hosts.`;
  const seen = new Set<string>();
  brand.hosts.forEach((host, i) => {
    const hostName = host.name.trim();
    if (hostName === '') errors[`hosts[${i}].name`] = 'Each host needs a name.';
    else if (seen.has(hostName.toLowerCase()))
      errors[`hosts[${i}].name`] = `Two hosts are called '${hostName}'; names must differ.`;
    seen.add(hostName.toLowerCase());
    if (host.voice.trim() === '') errors[`hosts[${i}].voice`] = 'Pick a voice for this host.';
  });
  if (brand.tone.trim() === '') errors.tone = "Describe the tone, e.g. 'warm and curious'.";
  if (brand.audience.trim() === '') errors.audience = 'Say who the show is for.';
  if (brand.intro_line.trim() === '') errors.intro_line = 'Write the line every episode opens with.';
  if (brand.outro_line.trim() === '') errors.outro_line = 'Write the line every episode closes with.';
  if (!isValidMinutes(brand.target_minutes)) errors.target_minutes = MINUTES_MESSAGE;
  else {
    const problem = formatProblem(brand.default_format, brand.hosts.length, brand.target_minutes);
    if (problem) errors.default_format = problem;
  }
  brand.pronunciations.forEach((p, i) => {
    if (p.word.trim() === '' || p.say_as.trim() === '')
      errors[`pronunciations[${i}]`] = 'Fill in both the word and how to say it.';
  });
  return errors;
}

/** "Welcome to New show." with name "New show" → "Welcome to {name}."; null when the line lacks the name. */
export function nameTemplate(line: string, name: string): string | null {
  if (name === '' || !line.includes(name)) return null;
  return line.split(name).join(NAME_SLOT);
}

/** Fills a template from `nameTemplate` with the current name (or `fallback` while the name is empty). */
export function fillNameTemplate(template: string, name: string, fallback: string): string {
  const shown = name.trim() === '' ? fallback : name.trim();
  return template.split(NAME_SLOT).join(shown);
}

/** The field paths the form shows errors beside; a backend error on any other path goes in the summary. */
export function formFieldPaths(brand: BrandVoice): Set<string> {
  const paths = new Set([
    'name',
    'hosts',
    'tone',
    'audience',
    'intro_line',
    'outro_line',
    'target_minutes',
    'default_format',
    'default_language',
  ]);
  brand.hosts.forEach((host, i) => {
    ['name', 'role', 'voice'].forEach((f) => paths.add(`hosts[${i}].${f}`));
    Object.keys(host.voices).forEach((engine) => paths.add(`hosts[${i}].voices.${engine}`));
  });
  brand.guidelines.forEach((_, i) => paths.add(`guidelines[${i}]`));
  brand.forbidden_phrases.forEach((_, i) => paths.add(`forbidden_phrases[${i}]`));
  brand.pronunciations.forEach((_, i) => paths.add(`pronunciations[${i}]`));
  ['target_lufs', 'ceiling_dbtp', 'bitrate_kbps', 'channels', 'sample_rate'].forEach((f) =>
    paths.add(`mastering.${f}`),
  );
  ['duck_depth_db', 'bed_level_lu'].forEach((f) => paths.add(`music.${f}`));
  return paths;
}

/**
 * Drops empty list entries and trims, as the backend does before validating, so the indices in its field
 * errors (`forbidden_phrases[2]`) point at the rows the producer sees.
 */
export function tidyBrand(brand: BrandVoice): BrandVoice {
  const keep = (items: string[]) => items.map((s) => s.trim()).filter((s) => s !== '');
  return {
    ...brand,
    name: brand.name.trim(),
    tone: brand.tone.trim(),
    audience: brand.audience.trim(),
    intro_line: brand.intro_line.trim(),
    outro_line: brand.outro_line.trim(),
    guidelines: keep(brand.guidelines),
    forbidden_phrases: keep(brand.forbidden_phrases),
    hosts: brand.hosts.map((h) => ({
      name: h.name.trim(),
      role: h.role.trim(),
      voice: h.voice.trim(),
      voices: tidyVoices(h.voices),
    })),
    pronunciations: brand.pronunciations.map((p) => ({ word: p.word.trim(), say_as: p.say_as.trim() })),
  };
}

/** Engine voices trimmed, without empty picks ("automatic" is no entry at all). */
function tidyVoices(voices: Host['voices']): Host['voices'] {
  const picked: Host['voices'] = {};
  for (const [engine, voice] of Object.entries(voices ?? {})) {
    const id = voice?.trim() ?? '';
    if (id !== '') picked[engine] = id;
  }
  return picked;
}
