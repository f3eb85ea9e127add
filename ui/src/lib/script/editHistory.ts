// Undo and redo within a session of the script room. Every saved change is a script version, so undo is
// "restore the version before" and redo "restore the version undone" — each itself a new version, so nothing
// is ever lost and the backend's base-version check still guards every step. This module only keeps the
// stack: which version each state is, and where the cursor stands.

export interface HistoryState {
  /** The version whose content is this state. */
  version: number;
  /** What made it ("edited S1-L2"), shown in the Undo/Redo titles. */
  label: string;
}

export class EditHistory {
  private states: HistoryState[];
  private cursor = 0;

  constructor(initialVersion: number) {
    this.states = [{ version: initialVersion, label: 'Opened' }];
  }

  /** A new change landed: it becomes the present and anything undone before it can no longer be redone. */
  record(version: number, label: string): void {
    this.states = this.states.slice(0, this.cursor + 1);
    this.states.push({ version, label });
    this.cursor = this.states.length - 1;
  }

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.states.length - 1;
  }

  /** The version to restore for an undo, and what the undo takes back. */
  undoTarget(): { version: number; undoes: string } | null {
    const before = this.states[this.cursor - 1];
    const present = this.states[this.cursor];
    if (!before || !present) return null;
    return { version: before.version, undoes: present.label };
  }

  redoTarget(): { version: number; redoes: string } | null {
    const next = this.states[this.cursor + 1];
    if (!next) return null;
    return { version: next.version, redoes: next.label };
  }

  /** The undo's restore was saved. */
  undone(): void {
    if (this.canUndo) this.cursor -= 1;
  }

  /** The redo's restore was saved. */
  redone(): void {
    if (this.canRedo) this.cursor += 1;
  }

  /** Someone else changed the script (a conflict): the session's stack no longer describes it. */
  reset(version: number): void {
    this.states = [{ version, label: 'Reloaded' }];
    this.cursor = 0;
  }
}
