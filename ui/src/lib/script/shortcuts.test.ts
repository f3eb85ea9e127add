import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS, splitPoint } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('script shortcuts', () => {
  it('maps keys to actions, modifiers included', () => {
    expect(actionFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(actionFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(actionFor(key('y', { metaKey: true }))).toBe('redo');
    expect(actionFor(key('ArrowUp', { altKey: true }))).toBe('move-up');
    expect(actionFor(key('ArrowUp'))).toBe('previous');
    expect(actionFor(key('l'))).toBe('lock');
    expect(actionFor(key('x'))).toBeNull();
  });

  it('lists every action once', () => {
    const actions = SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('splits after the sentence nearest the middle, else at a space, never at an end', () => {
    expect(splitPoint('One two. Three four five. Six.')).toBe(8);
    expect(splitPoint('alpha beta gamma')).toBe(10);
    expect(splitPoint('word')).toBeNull();
  });
});
