import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { AlertDispatcher, DEFAULT_ALERT_RULES, discordBody, evaluateAlerts, INITIAL_ALERT_STATE, parseAlertRules, type Alert, type AlertRules, type AlertState } from "../../src/server/alerts.js";
import { startHarness } from "./harness.js";

function snap(t: number, net: number, rate: number, top: { text: string; count: number } = { text: "hi", count: 1 }, count = 100): Snapshot {
  const pos = Math.max(0, net) / 100;
  const neg = Math.max(0, -net) / 100;
  return {
    type: "snapshot",
    mood: "neu",
    clusters: [],
    channel: "c",
    t,
    window: { start: t - 30_000, end: t },
    count,
    scored: count,
    chatters: 20,
    rate,
    sentiment: { pos, neu: 1 - pos - neg, neg, net },
    confidence: 0.8,
    headline: `Headline at ${t} <@everyone>`,
    headlineSince: t,
  questions: [],
    topics: [],
    top: [top],
    buckets: [],
  };
}

function run(snapshots: Snapshot[], rules: AlertRules = DEFAULT_ALERT_RULES): Alert[] {
  let state: AlertState = INITIAL_ALERT_STATE;
  const out: Alert[] = [];
  for (const s of snapshots) {
    const r = evaluateAlerts(state, s, rules);
    state = r.state;
    out.push(...r.alerts);
  }
  return out;
}

describe("alert rules (pure, on stream time)", () => {
  it("fires on a sentiment swing within the window, once per cooldown", () => {
    const series: Snapshot[] = [];
    for (let t = 0; t <= 60_000; t += 500) series.push(snap(t, t < 30_000 ? -20 : 40, 3));
    const alerts = run(series).filter((a) => a.rule === "swing");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ t: 30_000, numbers: { from: -20, to: 40, delta: 60 } });
    const slow: Snapshot[] = [];
    for (let t = 0; t <= 300_000; t += 500) slow.push(snap(t, -30 + (t / 300_000) * 80, 3));
    expect(run(slow).filter((a) => a.rule === "swing")).toHaveLength(0);
  });

  it("fires when the rate exceeds k× its trailing baseline, only with enough baseline", () => {
    const series: Snapshot[] = [];
    for (let t = 0; t <= 200_000; t += 500) series.push(snap(t, 0, t >= 180_000 ? 12 : 3));
    const alerts = run(series).filter((a) => a.rule === "rate");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.numbers).toMatchObject({ rate: 12 });
    expect(run(series.slice(0, 10).map((s, i) => ({ ...s, rate: i === 9 ? 50 : 3 }))).filter((a) => a.rule === "rate")).toHaveLength(0);
  });

  it("fires when a new cluster grows past its share", () => {
    const series: Snapshot[] = [];
    for (let t = 0; t <= 20_000; t += 500) series.push(snap(t, 0, 3, t >= 10_000 ? { text: "BARON STEAL", count: 40 } : { text: "hi", count: 5 }));
    const alerts = run(series).filter((a) => a.rule === "cluster");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ t: 10_000, numbers: { cluster: "BARON STEAL", count: 40, share: 0.4 } });
  });

  it("parses rules over the defaults and rejects mistakes", () => {
    expect(parseAlertRules({ swing: { points: 10 }, cooldownS: 5 })).toMatchObject({ swing: { points: 10, withinS: 60 }, cooldownS: 5 });
    expect(() => parseAlertRules([])).toThrow();
    expect(() => parseAlertRules({ wobble: {} })).toThrow(/unknown alert rule/);
    expect(() => parseAlertRules({ swing: { points: "10" } })).toThrow(/number/);
    expect(() => parseAlertRules({ swing: { nope: 1 } })).toThrow(/unknown field/);
    expect(() => parseAlertRules({ swing: 3 })).toThrow(/object/);
    expect(() => parseAlertRules({ cooldownS: -1 })).toThrow(/cooldownS/);
    expect(parseAlertRules({ rate: { enabled: false } }).rate.enabled).toBe(false);
  });

  it("builds a Discord-compatible body with the headline and the numbers, mentions disabled", () => {
    const body = discordBody({ rule: "rate", channel: "c", t: 5000, headline: "H", summary: "S", numbers: { rate: 9 } });
    expect(body).toMatchObject({ content: expect.stringContaining("S") as string, allowed_mentions: { parse: [] }, embeds: [{ description: "H", fields: [{ name: "rate", value: "9", inline: true }] }] });
  });
});

describe("alert webhooks on loopback", () => {
  it("posts alerts from the server's snapshots to a webhook receiver, and survives a failing one", async () => {
    const bodies: Record<string, unknown>[] = [];
    const receiver = createServer((req: IncomingMessage, res) => {
      let data = "";
      req.on("data", (c: Buffer) => (data += c.toString("utf8")));
      req.on("end", () => {
        bodies.push(JSON.parse(data) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const port = (receiver.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), "chatstream-alerts-"));
    const rulesFile = join(dir, "rules.json");
    writeFileSync(rulesFile, JSON.stringify({ swing: { points: 30, withinS: 30 }, cooldownS: 60 }));
    const h = await startHarness({ alerts: [`webhook:http://127.0.0.1:${port}/hook`, `webhook:http://127.0.0.1:1/unreachable`], alertRules: rulesFile });
    try {
      for (let t = 0; t <= 40_000; t += 500) h.server.sink.write(snap(t, t < 20_000 ? -10 : 30, 3));
      await h.server.alerts?.idle();
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toMatchObject({ content: expect.stringContaining("swing") as string, embeds: [{ description: "Headline at 20000 <@everyone>" }] });
      expect(h.logs.some((l) => l.includes("alert webhook failed"))).toBe(true);
      expect(await (await fetch(h.server.url + "/metrics")).text()).toContain('chatstream_alerts_total{rule="swing"} 1');
    } finally {
      await h.close();
      receiver.close();
    }
  });

  it("drops alerts beyond a full backlog", async () => {
    const errors: string[] = [];
    const d = new AlertDispatcher(["http://127.0.0.1:1/x"], { ...DEFAULT_ALERT_RULES, cooldownS: 0, swing: { ...DEFAULT_ALERT_RULES.swing, points: 1, minScored: 0 } }, undefined, (e) => errors.push(e));
    for (let t = 0; t < 300; t++) d.snapshot(snap(t * 500, t % 2 === 0 ? -50 : 50, 1));
    expect(errors.some((e) => e.includes("backlog full"))).toBe(true);
    await d.idle();
  });
});
