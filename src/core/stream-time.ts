/**
 * Stream time (ms since the stream's start) as h:mm:ss: 3723000 → "1:02:03". The one formatter of the HUD, the
 * report and the web pages, whose scripts inline this function's own source (`String(formatStreamTime)`): keep
 * it self-contained, with no helper or import of its own (test: src/core/stream-time.test.ts).
 */
export function formatStreamTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return Math.floor(s / 3600) + ":" + (m < 10 ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
}
