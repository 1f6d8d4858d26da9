/**
 * Channel and platform names go into NATS subjects (`chat.<partition>.<platform>.<channel>`) and KV keys, where `.`, `*`, `>`,
 * spaces and most punctuation mean something or are refused. Names are hostile input, so they are encoded into
 * one safe token, reversibly: letters, digits, `_` and `-` stand for themselves; any other UTF-16 code unit is
 * `=XX` (below 0x100) or `=uXXXX`, in upper-case hex. The empty name is `=`. The encoding is canonical (one token
 * per name), so decoding refuses anything `encodeToken` would not have written.
 */

/** Longest token accepted: NATS control lines are short (4 KB), and a subject carries two tokens and a prefix. */
export const MAX_TOKEN_LENGTH = 256;

const isSafeUnit = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
const HEX = "0123456789ABCDEF";

export function encodeToken(name: string): string {
  if (name === "") return "=";
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isSafeUnit(c)) out += name[i] as string;
    else if (c < 0x100) out += "=" + (HEX[c >> 4] as string) + (HEX[c & 15] as string);
    else out += "=u" + c.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

const hexValue = (s: string): number | undefined => (/^[0-9A-F]+$/.test(s) ? parseInt(s, 16) : undefined);

/** The name a token stands for, or undefined when the token is not one `encodeToken` writes. */
export function decodeToken(token: string): string | undefined {
  if (token === "=") return "";
  if (token === "" || token.length > MAX_TOKEN_LENGTH * 6) return undefined;
  let out = "";
  let i = 0;
  while (i < token.length) {
    const c = token.charCodeAt(i);
    if (isSafeUnit(c)) {
      out += token[i] as string;
      i++;
      continue;
    }
    if (c !== 0x3d) return undefined;
    let unit: number | undefined;
    if (token[i + 1] === "u") {
      unit = hexValue(token.slice(i + 2, i + 6));
      if (unit === undefined || token.length < i + 6 || unit < 0x100) return undefined;
      i += 6;
    } else {
      unit = hexValue(token.slice(i + 1, i + 3));
      if (unit === undefined || token.length < i + 3 || isSafeUnit(unit)) return undefined;
      i += 3;
    }
    out += String.fromCharCode(unit);
  }
  return out;
}

/** The token for a name, or undefined when it would be longer than MAX_TOKEN_LENGTH (the message is refused, counted). */
export function boundedToken(name: string): string | undefined {
  if (name.length > MAX_TOKEN_LENGTH) return undefined;
  const token = encodeToken(name);
  return token.length > MAX_TOKEN_LENGTH ? undefined : token;
}
