/**
 * `npm run verify-release -- DIR PUBLIC_KEY`: checks every SHA-256 in DIR/SHA256SUMS, that no unlisted file sits in
 * DIR, and the ssh-keygen signature DIR/SHA256SUMS.sig against the public key (or CHATSTREAM_RELEASE_PUBKEY).
 * Exit 0 when all hold, 1 with one line per problem otherwise, 2 on a usage error.
 */
import { verifyBundle } from "./release/bundle.js";

const [dir, keyArg] = process.argv.slice(2);
const key = keyArg ?? process.env.CHATSTREAM_RELEASE_PUBKEY;
if (dir === undefined || key === undefined || key === "") {
  process.stderr.write("usage: npm run verify-release -- submissions/<version> <public key file> (or CHATSTREAM_RELEASE_PUBKEY)\n");
  process.exit(2);
}
const result = verifyBundle(dir, key);
for (const p of result.problems) process.stderr.write(`verify-release: ${p}\n`);
process.stdout.write(result.ok ? `verify-release: ${dir} is intact and signed by ${key}\n` : `verify-release: ${dir} FAILED (${result.problems.length} problems)\n`);
process.exit(result.ok ? 0 : 1);
