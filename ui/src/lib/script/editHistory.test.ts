import { describe, expect, it } from 'vitest';
import { EditHistory } from './editHistory';

describe('EditHistory', () => {
  it('undoes to the version before each change and redoes in order', () => {
    const h = new EditHistory(3);
    expect(h.canUndo).toBe(false);
    h.record(4, 'edited S1-L1');
    h.record(5, 'locked S1-L2');
    expect(h.undoTarget()).toEqual({ version: 4, undoes: 'locked S1-L2' });
    h.undone();
    expect(h.undoTarget()).toEqual({ version: 3, undoes: 'edited S1-L1' });
    h.undone();
    expect(h.canUndo).toBe(false);
    expect(h.redoTarget()).toEqual({ version: 4, redoes: 'edited S1-L1' });
    h.redone();
    expect(h.redoTarget()).toEqual({ version: 5, redoes: 'locked S1-L2' });
    h.redone();
    expect(h.canRedo).toBe(false);
  });

  it('a new change after an undo drops what could have been redone', () => {
    const h = new EditHistory(1);
    h.record(2, 'a');
    h.record(3, 'b');
    h.undone();
    h.record(5, 'c');
    expect(h.canRedo).toBe(false);
    expect(h.undoTarget()).toEqual({ version: 2, undoes: 'c' });
  });

  it('forgets the session after a reset (someone else changed the script)', () => {
    const h = new EditHistory(1);
    h.record(2, 'a');
    h.reset(7);
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
    expect(h.undone()).toBeUndefined();
    expect(h.undoTarget()).toBeNull();
  });
});
