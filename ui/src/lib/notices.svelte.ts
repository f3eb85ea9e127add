// App-wide notices (the toast stack). Errors stay until dismissed, so none goes unseen; info fades.

import { describeError } from './backend/errors';

export type NoticeKind = 'error' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  message: string;
}

const INFO_MS = 4000;

class Notices {
  items = $state<Notice[]>([]);
  #next = 1;

  push(kind: NoticeKind, message: string): number {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, message }];
    if (kind === 'info') setTimeout(() => this.dismiss(id), INFO_MS);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}

export const notices = new Notices();

/** Shows a failure to the producer. Every caught error that is not shown in place goes here. */
export function reportError(error: unknown): void {
  notices.push('error', describeError(error));
}

export function reportInfo(message: string): void {
  notices.push('info', message);
}
