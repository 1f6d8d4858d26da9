import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, verifyBundle, type Bundle } from "../../scripts/release/bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(join(ROOT, "dist", "cli.js"));

describe("release bundle", () => {
  let scratch: string;
  let bundle: Bundle;
  let publicKey: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "chatstream-release-test-"));
    const key = join(scratch, "release_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "throwaway", "-f", key]);
    publicKey = `${key}.pub`;
    // dist/ is built by `npm ci` (prepare); build it here only when a checkout has none.
    bundle = buildBundle({ root: ROOT, out: join(scratch, "submissions"), signingKey: key, build: !built });
  }, 180_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("holds the reports, the SBOM of the runtime dependencies and the npm tarball, each summed and signed", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(bundle.dir.endsWith(join("submissions", version))).toBe(true);
    expect(bundle.files).toContain(`chatstream-${version}.tgz`);
    expect(bundle.files).toContain("sbom.cdx.json");
    expect(bundle.files.filter((f) => f.startsWith("reports/")).length).toBeGreaterThan(5);
    const sbom = JSON.parse(readFileSync(join(bundle.dir, "sbom.cdx.json"), "utf8")) as { bomFormat: string; components: { name: string }[] };
    expect(sbom.bomFormat).toBe("CycloneDX");
    const names = new Set(sbom.components.map((c) => c.name));
    expect(names.has("fastify")).toBe(true);
    expect(names.has("vitest")).toBe(false); // runtime dependencies only
    const sums = readFileSync(join(bundle.dir, "SHA256SUMS"), "utf8");
    expect(sums.trim().split("\n")).toHaveLength(bundle.files.length);
    // The sums file is sha256sum's own format.
    expect(spawnSync("sha256sum", ["--check", "--quiet", "SHA256SUMS"], { cwd: bundle.dir }).status).toBe(0);
  });

  it("verifies, and fails once a file is tampered with, added, or signed by another key", () => {
    expect(verifyBundle(bundle.dir, publicKey)).toEqual({ ok: true, problems: [] });
    const cli = spawnSync("npx", ["tsx", "scripts/verify-release.ts", bundle.dir, publicKey], { cwd: ROOT, encoding: "utf8" });
    expect(cli.status).toBe(0);

    const report = readdirSync(join(bundle.dir, "reports"))[0] ?? "";
    appendFileSync(join(bundle.dir, "reports", report), " ");
    const tampered = verifyBundle(bundle.dir, publicKey);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([`reports/${report}: SHA-256 differs from SHA256SUMS`]);
    expect(spawnSync("npx", ["tsx", "scripts/verify-release.ts", bundle.dir, publicKey], { cwd: ROOT, encoding: "utf8" }).status).toBe(1);

    writeFileSync(join(bundle.dir, "extra.txt"), "slipped in");
    expect(verifyBundle(bundle.dir, publicKey).problems).toContain("extra.txt: not listed in SHA256SUMS");

    const other = join(scratch, "other_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    expect(verifyBundle(bundle.dir, `${other}.pub`).problems).toContain(`SHA256SUMS.sig: not a valid signature of SHA256SUMS by ${other}.pub`);
  });

  it("a rewritten SHA256SUMS no longer matches its signature", () => {
    const sums = join(bundle.dir, "SHA256SUMS");
    const lines = readFileSync(sums, "utf8");
    writeFileSync(sums, lines.replace(/^[0-9a-f]{64}/, "0".repeat(64)));
    const result = verifyBundle(bundle.dir, publicKey);
    expect(result.problems.some((p) => p.startsWith("SHA256SUMS.sig: not a valid signature"))).toBe(true);
    writeFileSync(sums, lines);
  });
});
