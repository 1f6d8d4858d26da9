/** Seconds (or an HTTP date) from a Retry-After header, as ms from `nowEpochMs`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowEpochMs: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - nowEpochMs) : undefined;
}

/** A failed HTTP exchange, with what the retry policy needs. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: number | undefined,
    message: string,
  ) {
    super(message);
  }
}
