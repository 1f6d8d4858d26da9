import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseListen } from "../../src/server/start-server.js";
import { parseDuration } from "../../src/sources/time-guard.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));

interface Service {
  image?: string;
  build?: string;
  profiles?: string[];
  command?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[] };
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(`${ROOT}compose.yaml`, "utf8"), { merge: true }) as { services: Record<string, Service> };
const services = new Map(Object.entries(compose.services));
const chatstreamServices = [...services].filter(([, s]) => s.build === ".");

/** `chatstream ROLE --help`, once per role: the flags the CLI's parser really has. */
const helps = new Map<string, string>();
function helpOf(role: string): string {
  let help = helps.get(role);
  if (help === undefined) {
    help = execFileSync(process.execPath, ["--import", "tsx", CLI, role, "--help"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    helps.set(role, help);
  }
  return help;
}

describe("compose.yaml", () => {
  it("[#18][#19] gives the single-process topology and the NATS one (nats -js, ingest, several workers, serve) from the Dockerfile's image", () => {
    const inProfile = (p: string): string[] => [...services].filter(([, s]) => s.profiles?.includes(p)).map(([n]) => n);
    expect(inProfile("single")).toEqual(["chatstream"]);
    expect(inProfile("scale-out").sort()).toEqual(["ingest", "nats", "serve", "worker"]);
    expect(services.get("nats")?.command).toContain("-js");
    expect(services.get("worker")?.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(chatstreamServices.map(([n]) => n).sort()).toEqual(["chatstream", "ingest", "serve", "worker"]);
    for (const [name, s] of chatstreamServices) {
      expect(s.image, name).toBe("chatstream:latest");
      // Beyond loopback the server refuses to start without a token.
      expect(s.environment?.CHATSTREAM_TOKEN, name).toMatch(/^\$\{CHATSTREAM_TOKEN:\?/);
    }
    expect(readFileSync(`${ROOT}Dockerfile`, "utf8")).toMatch(/ENTRYPOINT \["node", "dist\/cli\.js"\]/);
  });

  it("[#18][#19] runs every chatstream service as a real role with real flags and values, its health check on /healthz or /readyz at the port it listens on", () => {
    for (const [name, s] of chatstreamServices) {
      const [role, ...rest] = s.command ?? [];
      expect(["run", "ingest", "worker", "serve"], name).toContain(role);
      const help = helpOf(role as string);
      let listen: number | undefined;
      for (let i = 0; i < rest.length; i++) {
        const arg = rest[i] as string;
        if (!arg.startsWith("--")) continue;
        expect(help, `${name}: ${role} ${arg}`).toMatch(new RegExp(`\\s${arg}[ ,\\n]`));
        const value = rest[i + 1];
        if (arg === "--serve" || arg === "--metrics") listen ??= parseListen(value as string).port;
        if (arg === "--watermark-every" || arg === "--stats-every") expect(parseDuration(value as string)).toBeGreaterThan(0);
      }
      const check = (s.healthcheck?.test ?? []).join(" ");
      expect(check, name).toMatch(/\/(healthz|readyz)'/);
      expect(check, name).toContain(`127.0.0.1:${listen}/`);
    }
  }, 120_000);
});
