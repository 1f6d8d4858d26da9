/**
 * `npm run release`: writes submissions/<version>/ (reports, SBOM, npm tarball, SHA256SUMS, SHA256SUMS.sig).
 * The signing key comes from the environment: CHATSTREAM_RELEASE_KEY=path/to/openssh_private_key.
 * Check a bundle with `npm run verify-release -- submissions/<version> path/to/key.pub`.
 */
import { fileURLToPath } from "node:url";
import { buildBundle } from "./release/bundle.js";

const key = process.env.CHATSTREAM_RELEASE_KEY;
if (key === undefined || key === "") {
  process.stderr.write("release: set CHATSTREAM_RELEASE_KEY to the OpenSSH private key that signs SHA256SUMS (ssh-keygen -t ed25519 -f release_key)\n");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
try {
  const bundle = buildBundle({ root, out: fileURLToPath(new URL("../submissions", import.meta.url)), signingKey: key });
  process.stdout.write(`release ${bundle.version}: ${bundle.files.length} files, SHA256SUMS and SHA256SUMS.sig in ${bundle.dir}\n`);
} catch (err) {
  process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
