/** Connection state of a live source, readable by the server's /readyz and metrics. */
export type SourceState = "connecting" | "connected" | "reconnecting" | "closed";

export interface SourceStatus {
  /** Source name, e.g. "twitch:foo,bar". */
  readonly name: string;
  readonly platform: string;
  readonly channels: readonly string[];
  readonly state: SourceState;
  /** Reconnects after the first connection (server-asked, drops and errors). */
  readonly reconnects: number;
  /** Clock time (ms on the source's clock) of the last message or event received, if any. */
  readonly lastMessageAt?: number;
  readonly messages: number;
  readonly events: number;
  readonly lastError?: string;
}

/** A source whose connection state can be read. */
export interface StatusReporter {
  status(): SourceStatus;
}

export function isStatusReporter(value: unknown): value is StatusReporter {
  return typeof value === "object" && value !== null && typeof (value as { status?: unknown }).status === "function";
}
