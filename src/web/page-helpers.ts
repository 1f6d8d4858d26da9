import { emojiLabel, emojiTable } from "../core/emoji-shortcodes.js";
import { formatStreamTime } from "../core/stream-time.js";

/**
 * Display helpers inlined into the pages' scripts, from the very functions the HUD and the report use:
 * `formatStreamTime(ms)` (h:mm:ss) and `chipLabel(label)` (a YouTube emoji shortcode shown as its emoji).
 */
export function pageHelpersScript(): string {
  // Emoji and letters only, but escaped anyway: nothing in it may close the <script> element.
  const emoji = JSON.stringify(Object.fromEntries(emojiTable())).replace(/</g, "\\u003c");
  return `
  var EMOJI = ${emoji};
  ${String(formatStreamTime)}
  ${String(emojiLabel)}
  function chipLabel(label) { return emojiLabel(label, function (k) { return Object.prototype.hasOwnProperty.call(EMOJI, k) ? EMOJI[k] : undefined; }); }
`;
}
