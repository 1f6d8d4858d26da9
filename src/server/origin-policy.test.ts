import { describe, expect, it } from "vitest";
import { normalizeOrigin, OriginPolicy } from "./origin-policy.js";

describe("OriginPolicy", () => {
  const loopback = new OriginPolicy(["https://dash.example", "http://studio.lan:3000/"], true);
  const anyHost = new OriginPolicy([], false);
  const ok = { ok: true };

  it("lets non-browser clients in (no Origin) and the listed origins, however they were written", () => {
    expect(loopback.check(undefined, "127.0.0.1:8080")).toEqual(ok);
    expect(loopback.check("https://dash.example", "127.0.0.1:8080")).toEqual(ok);
    expect(loopback.check("http://studio.lan:3000", undefined)).toEqual(ok);
    expect(loopback.check("https://dash.example:443", "127.0.0.1:8080")).toEqual(ok);
  });

  it("takes the server's own origin from Host, with loopback aliases and default ports", () => {
    expect(loopback.check("http://127.0.0.1:8080", "127.0.0.1:8080")).toEqual(ok);
    expect(loopback.check("http://localhost:8080", "127.0.0.1:8080")).toEqual(ok);
    expect(loopback.check("http://[::1]:8080", "localhost:8080")).toEqual(ok);
    expect(loopback.check("http://localhost", "localhost:80")).toEqual(ok);
    expect(loopback.check("http://127.0.0.2:8080", "127.0.0.2:8080")).toEqual(ok);
    expect(anyHost.check("http://192.168.1.5:8080", "192.168.1.5:8080")).toEqual(ok);
  });

  it("refuses every other page: other ports, schemes and hosts, opaque origins, rebinding and missing Host", () => {
    for (const [origin, host] of [
      ["http://127.0.0.1:8081", "127.0.0.1:8080"],
      ["https://127.0.0.1:8080", "127.0.0.1:8080"],
      ["https://evil.example", "127.0.0.1:8080"],
      ["http://dash.example", "127.0.0.1:8080"],
      ["null", "127.0.0.1:8080"],
      ["file://", "127.0.0.1:8080"],
      ["not a url", "127.0.0.1:8080"],
      ["http://evil.example:8080", "evil.example:8080"],
      ["http://127.0.0.1:8080", undefined],
      ["http://127.0.0.1:8080", "[not a host"],
    ] as const) {
      const verdict = loopback.check(origin, host);
      expect(verdict.ok, `${origin} on ${host}`).toBe(false);
      if (!verdict.ok) expect(verdict.detail).toContain(JSON.stringify(origin));
    }
    // Beyond loopback the Host is whatever name clients use for the server, but it must still match the page.
    expect(anyHost.check("http://evil.example:8080", "192.168.1.5:8080").ok).toBe(false);
    expect(anyHost.check("http://localhost:8080", "192.168.1.5:8080").ok).toBe(false);
  });

  it("on a loopback bind, serves only requests naming a loopback host or the host of a listed origin", () => {
    for (const host of [undefined, "127.0.0.1:8080", "localhost", "[::1]:8080", "127.0.0.5:1", "studio.lan:3000"]) expect(loopback.hostAllowed(host), host).toBe(true);
    for (const host of ["evil.example:8080", "studio.lan:3001", "dash.example.evil", "[bad"]) expect(loopback.hostAllowed(host), host).toBe(false);
    expect(anyHost.hostAllowed("evil.example:8080")).toBe(true);
  });

  it("--cors-origin takes origins only", () => {
    expect(normalizeOrigin("https://Dash.Example:443/")).toBe("https://dash.example");
    for (const bad of ["dash.example", "ftp://dash.example", "https://dash.example/path", "https://u:p@dash.example", "https://dash.example/?q=1", "*"]) {
      expect(() => normalizeOrigin(bad), bad).toThrow(/--cors-origin takes an origin/);
    }
  });
});
