import { describe, expect, it } from "vitest";
import { brokerConfigFrom, DEFAULT_RETENTION_MS } from "./broker-config.js";

describe("broker configuration", () => {
  it("[#18] takes --broker, else CHATSTREAM_BROKER, and says how to give one when neither is set", () => {
    expect(brokerConfigFrom({ broker: "nats://127.0.0.1:4222", env: { CHATSTREAM_BROKER: "nats://other:1" } }).servers).toEqual(["nats://127.0.0.1:4222"]);
    expect(brokerConfigFrom({ env: { CHATSTREAM_BROKER: "a:4222, tls://b:4223" } }).servers).toEqual(["nats://a:4222", "tls://b:4223"]);
    expect(() => brokerConfigFrom({ env: {} })).toThrow(/--broker URL or CHATSTREAM_BROKER/);
    expect(() => brokerConfigFrom({ broker: "http://x:1", env: {} })).toThrow(/unsupported scheme http:/);
    expect(() => brokerConfigFrom({ broker: "nats://[bad", env: {} })).toThrow(/is not a URL/);
  });

  it("[#18] credentials in the URL are taken out of it, so a printed server list never carries them", () => {
    const c = brokerConfigFrom({ broker: "nats://me:s%40cret@h:4222", env: {} });
    expect(c.servers).toEqual(["nats://h:4222"]);
    expect(c.auth).toEqual({ kind: "user", user: "me", pass: "s@cret" });
    expect(brokerConfigFrom({ broker: "nats://tok@h:4222", env: {} }).auth).toEqual({ kind: "token", token: "tok" });
  });

  it("[#18] credentials from a .creds file, or from the environment", () => {
    const creds = new TextEncoder().encode("-----BEGIN NATS USER JWT-----");
    expect(brokerConfigFrom({ broker: "h:1", credsFile: "/x.creds", env: {}, readFile: () => creds }).auth).toEqual({ kind: "creds", creds });
    expect(brokerConfigFrom({ broker: "h:1", env: { CHATSTREAM_BROKER_CREDS: "/y", CHATSTREAM_BROKER_TOKEN: "t" }, readFile: () => creds }).auth.kind).toBe("creds");
    expect(() => brokerConfigFrom({ broker: "h:1", credsFile: "/missing.creds", env: {} })).toThrow(/--broker-creds: cannot read \/missing.creds/);
    expect(brokerConfigFrom({ broker: "h:1", env: { CHATSTREAM_BROKER_TOKEN: "t" } }).auth).toEqual({ kind: "token", token: "t" });
    expect(brokerConfigFrom({ broker: "h:1", env: { CHATSTREAM_BROKER_USER: "u", CHATSTREAM_BROKER_PASSWORD: "p" } }).auth).toEqual({ kind: "user", user: "u", pass: "p" });
    expect(brokerConfigFrom({ broker: "h:1", env: {} }).auth).toEqual({ kind: "none" });
  });

  it("[#18] retention covers two 10 min periods and a margin by default; a setting below a second is refused", () => {
    expect(brokerConfigFrom({ broker: "h:1", env: {} }).retentionMs).toBe(DEFAULT_RETENTION_MS);
    expect(DEFAULT_RETENTION_MS).toBeGreaterThanOrEqual(20 * 60_000 + 120_000);
    expect(brokerConfigFrom({ broker: "h:1", env: { CHATSTREAM_BROKER_RETENTION_MS: "3600000" } }).retentionMs).toBe(3_600_000);
    expect(() => brokerConfigFrom({ broker: "h:1", env: { CHATSTREAM_BROKER_RETENTION_MS: "10" } })).toThrow(/CHATSTREAM_BROKER_RETENTION_MS/);
  });
});

describe("broker settings in the one settings table", () => {
  it("[#18] every variable the broker roles read is a row of docs/configuration.md's table, and every broker row is read", async () => {
    const { readFileSync } = await import("node:fs");
    const { SETTINGS } = await import("../config/settings.js");
    const source = readFileSync(new URL("./broker-config.ts", import.meta.url), "utf8");
    const read = new Set(source.match(/CHATSTREAM_BROKER\w*/g));
    const documented = new Set(Object.values(SETTINGS).filter((d) => d.scopes.includes("worker")).flatMap((d) => d.env));
    expect([...read].sort()).toEqual([...documented].sort());
    expect(documented.size).toBeGreaterThanOrEqual(7);
  });
});
