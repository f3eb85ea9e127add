// The script room's keyboard shortcuts: one table, shown in the app's shortcut list and used by the key
// handler, so the list can never disagree with what the keys do.

export type ScriptAction =
  | 'edit'
  | 'next'
  | 'previous'
  | 'lock'
  | 'add'
  | 'delete'
  | 'split'
  | 'merge'
  | 'move-up'
  | 'move-down'
  | 'comment'
  | 'undo'
  | 'redo'
  | 'shortcuts';

export interface Shortcut {
  action: ScriptAction;
  keys: string;
  description: string;
  /** Matches a keydown when no text field has the focus. */
  matches: (e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>) => boolean;
}

const mod = (e: { ctrlKey: boolean; metaKey: boolean }) => e.ctrlKey || e.metaKey;
const plain = (e: { ctrlKey: boolean; metaKey: boolean; altKey: boolean }) => !mod(e) && !e.altKey;

export const SHORTCUTS: Shortcut[] = [
  { action: 'next', keys: 'J or ↓', description: 'Next line', matches: (e) => plain(e) && (e.key === 'j' || e.key === 'ArrowDown') },
  { action: 'previous', keys: 'K or ↑', description: 'Previous line', matches: (e) => plain(e) && (e.key === 'k' || e.key === 'ArrowUp') },
  { action: 'edit', keys: 'Enter', description: 'Edit the line (Ctrl+Enter saves, Esc cancels)', matches: (e) => plain(e) && e.key === 'Enter' },
  { action: 'lock', keys: 'L', description: 'Lock or unlock the line', matches: (e) => plain(e) && e.key.toLowerCase() === 'l' && !e.shiftKey },
  { action: 'add', keys: 'A', description: 'Add a line after this one', matches: (e) => plain(e) && e.key === 'a' },
  { action: 'delete', keys: 'Delete', description: 'Delete the line', matches: (e) => plain(e) && e.key === 'Delete' },
  { action: 'split', keys: 'S', description: 'Split the line at its middle sentence', matches: (e) => plain(e) && e.key === 's' },
  { action: 'merge', keys: 'M', description: 'Merge the next line into this one', matches: (e) => plain(e) && e.key === 'm' },
  { action: 'move-up', keys: 'Alt+↑', description: 'Move the line up', matches: (e) => e.altKey && !mod(e) && e.key === 'ArrowUp' },
  { action: 'move-down', keys: 'Alt+↓', description: 'Move the line down', matches: (e) => e.altKey && !mod(e) && e.key === 'ArrowDown' },
  { action: 'comment', keys: 'C', description: 'Comment on the line', matches: (e) => plain(e) && e.key === 'c' },
  { action: 'undo', keys: 'Ctrl+Z', description: 'Undo the last change', matches: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z' },
  { action: 'redo', keys: 'Ctrl+Shift+Z or Ctrl+Y', description: 'Redo', matches: (e) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y') },
  { action: 'shortcuts', keys: '?', description: 'Show this list', matches: (e) => e.key === '?' },
];

export function actionFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): ScriptAction | null {
  return SHORTCUTS.find((s) => s.matches(e))?.action ?? null;
}

/** Where "split" cuts a line: after the sentence end nearest the middle, else the space nearest it. */
export function splitPoint(text: string): number | null {
  const chars = Array.from(text);
  const middle = chars.length / 2;
  let best: number | null = null;
  const consider = (i: number) => {
    if (i > 0 && i < chars.length && (best === null || Math.abs(i - middle) < Math.abs(best - middle))) best = i;
  };
  chars.forEach((c, i) => {
    if (/[.!?]/.test(c) && chars[i + 1] === ' ') consider(i + 1);
  });
  if (best === null) chars.forEach((c, i) => c === ' ' && consider(i));
  return best;
}
