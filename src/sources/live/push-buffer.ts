import type { ChatMessage } from "../../core/message.js";

/**
 * Turns pushed messages into the `batches()` async iterable a MessageSource yields. The pipeline's producer
 * loop takes whatever has accumulated each time it asks, so this buffer stays small; the bounded queue behind
 * it does the shedding.
 */
export class PushBuffer {
  private pending: ChatMessage[] = [];
  private ended = false;
  private failure: unknown;
  private waiter: (() => void) | undefined;

  push(m: ChatMessage): void {
    if (this.ended) return;
    this.pending.push(m);
    this.wake();
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wake();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  async *batches(): AsyncIterable<ChatMessage[]> {
    for (;;) {
      if (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        yield batch;
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
