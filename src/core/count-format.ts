/**
 * A whole number with thousands separators, as `n.toLocaleString("en-US")` writes it. Written out because the first
 * `toLocaleString` call of a process initialises ICU's number formatting, about 10–30 ms of every run's start-up
 * spent on one summary line (docs/performance.md#start-up).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = "";
  for (let end = digits.length; end > 0; end -= 3) out = digits.slice(Math.max(0, end - 3), end) + (out === "" ? "" : "," + out);
  return n < 0 ? "-" + out : out;
}
