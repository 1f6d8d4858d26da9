/**
 * The release bundle: `submissions/<version>/` holds the version's benchmark and evaluation reports, a CycloneDX SBOM
 * of the runtime dependencies, the packed npm tarball, `SHA256SUMS` over all of them and `SHA256SUMS.sig`, a detached
 * `ssh-keygen -Y sign` signature. `verifyBundle` checks both against a public key. Used by scripts/release.ts,
 * scripts/verify-release.ts and test/release/release.test.ts.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";

/** The signature namespace: a signature made for another purpose with the same key does not verify here. */
export const SIGNATURE_NAMESPACE = "chatstream-release";
export const SUMS_FILE = "SHA256SUMS";
export const SIGNATURE_FILE = "SHA256SUMS.sig";
/** The principal written into the temporary allowed-signers file; any name works, it only has to match. */
const PRINCIPAL = "chatstream-release";

export interface BundleOptions {
  /** The project folder (package.json, benchmarks/reports, docs). */
  root: string;
  /** Where the bundle goes: `<out>/<version>/`. */
  out: string;
  /** The private key that signs SHA256SUMS (an OpenSSH key file). */
  signingKey: string;
  /** Run `npm run build` before packing (skip when dist/ is already built from this tree). */
  build?: boolean;
}

export interface Bundle {
  dir: string;
  version: string;
  files: string[];
}

/** Reports that go into a bundle: the benchmark JSON reports and the evaluation JSON reports in docs/. */
export function reportFiles(root: string): string[] {
  const found: string[] = [];
  const benchmarks = join(root, "benchmarks", "reports");
  if (existsSync(benchmarks)) for (const f of readdirSync(benchmarks).sort()) if (f.endsWith(".json")) found.push(join(benchmarks, f));
  const docs = join(root, "docs");
  if (existsSync(docs)) for (const f of readdirSync(docs).sort()) if (f.endsWith(".json")) found.push(join(docs, f));
  return found;
}

export function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Every file under `dir` (relative, `/`-separated, sorted), leaving out the sums and their signature. */
export function bundledFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.filter((f) => f !== SUMS_FILE && f !== SIGNATURE_FILE).sort();
}

/** `sha256sum`'s format: `<hex>  <path>` per line, so `sha256sum -c SHA256SUMS` checks the bundle too. */
export function formatSums(dir: string, files: readonly string[]): string {
  return files.map((f) => `${sha256(join(dir, f))}  ${f}\n`).join("");
}

export function buildBundle(o: BundleOptions): Bundle {
  const pkg = JSON.parse(readFileSync(join(o.root, "package.json"), "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string" || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version)) throw new Error(`package.json: version ${JSON.stringify(pkg.version)} is not a semantic version`);
  if (!existsSync(o.signingKey)) throw new Error(`signing key ${o.signingKey} not found`);
  const dir = join(o.out, pkg.version);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "reports"), { recursive: true });
  for (const f of reportFiles(o.root)) copyFileSync(f, join(dir, "reports", basename(f)));
  const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { cwd: o.root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  if (o.build !== false) run("npm", ["run", "build"]);
  // --ignore-scripts: `prepare` would rebuild; the build above (or the caller) already did.
  run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir]);
  run("npx", ["--no-install", "cyclonedx-npm", "--omit", "dev", "--output-format", "JSON", "--output-reproducible", "--output-file", join(dir, "sbom.cdx.json")]);
  const files = bundledFiles(dir);
  writeFileSync(join(dir, SUMS_FILE), formatSums(dir, files));
  execFileSync("ssh-keygen", ["-q", "-Y", "sign", "-f", o.signingKey, "-n", SIGNATURE_NAMESPACE, join(dir, SUMS_FILE)], { stdio: ["ignore", "ignore", "pipe"] });
  return { dir, version: pkg.version, files };
}

export interface Verification {
  ok: boolean;
  /** One line per problem: a file whose sum differs, a file missing or not listed, a bad signature. */
  problems: string[];
}

/** Checks every listed sum, that nothing unlisted sits in the bundle, and the signature of SHA256SUMS. */
export function verifyBundle(dir: string, publicKey: string): Verification {
  const problems: string[] = [];
  const sumsPath = join(dir, SUMS_FILE);
  if (!existsSync(sumsPath)) return { ok: false, problems: [`${SUMS_FILE} missing`] };
  const listed = new Set<string>();
  const lines = readFileSync(sumsPath, "utf8").split("\n").filter((l) => l !== "");
  for (const [i, line] of lines.entries()) {
    const m = /^([0-9a-f]{64}) {2}([^\n]+)$/.exec(line);
    if (m === null) {
      problems.push(`${SUMS_FILE} line ${i + 1}: not "<sha256>  <file>"`);
      continue;
    }
    const [, hex, file] = m as unknown as [string, string, string];
    if (file.split("/").some((part) => part === ".." || part === "") || file.startsWith("/")) {
      problems.push(`${SUMS_FILE} line ${i + 1}: ${JSON.stringify(file)} is outside the bundle`);
      continue;
    }
    listed.add(file);
    const path = join(dir, file);
    if (!existsSync(path) || !statSync(path).isFile()) problems.push(`${file}: missing`);
    else if (sha256(path) !== hex) problems.push(`${file}: SHA-256 differs from ${SUMS_FILE}`);
  }
  for (const f of bundledFiles(dir)) if (!listed.has(f)) problems.push(`${f}: not listed in ${SUMS_FILE}`);
  const signature = join(dir, SIGNATURE_FILE);
  if (!existsSync(signature)) problems.push(`${SIGNATURE_FILE} missing`);
  else {
    const key = readFileSync(publicKey, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    const scratch = mkdtempSync(join(tmpdir(), "chatstream-verify-"));
    try {
      const allowed = join(scratch, "allowed_signers");
      writeFileSync(allowed, `${PRINCIPAL} namespaces="${SIGNATURE_NAMESPACE}" ${key}\n`);
      execFileSync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", PRINCIPAL, "-n", SIGNATURE_NAMESPACE, "-s", signature], { input: readFileSync(sumsPath), stdio: ["pipe", "ignore", "pipe"] });
    } catch {
      problems.push(`${SIGNATURE_FILE}: not a valid signature of ${SUMS_FILE} by ${publicKey}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { ok: problems.length === 0, problems };
}
