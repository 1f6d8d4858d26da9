import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startIngestRun, type IngestRun } from "../server/harness.js";

const RULES = fileURLToPath(new URL("../../ops/prometheus/chatstream-rules.yml", import.meta.url));

function hasPromtool(): boolean {
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const promtool = hasPromtool();
if (!promtool) console.warn("ops-files: promtool not found (Debian package prometheus); `promtool check rules` is skipped, the metric-name check still runs");

/** Metric names Prometheus itself provides: alert rules may name them, /metrics never serves them. */
const PROMETHEUS_OWN = new Set(["up"]);
/** Series a histogram serves beyond its name. */
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

/** Every chatstream_* series name an expression reads, histogram suffixes folded into the histogram's name. */
function metricsNamed(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(chatstream_[a-z_]+)\b/g)].map((m) => (m[1] ?? "").replace(HISTOGRAM_SUFFIX, "")))];
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}

function readRules(): Rule[] {
  const doc: unknown = parse(readFileSync(RULES, "utf8"));
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as { groups?: unknown }).groups)) throw new Error("rules file: no groups list");
  const rules: Rule[] = [];
  for (const group of (doc as { groups: unknown[] }).groups) {
    const list = (group as { rules?: unknown }).rules;
    if (!Array.isArray(list)) throw new Error("rules file: a group without rules");
    for (const r of list as Rule[]) rules.push(r);
  }
  return rules;
}

function dashboardExpressions(): string[] {
  const doc = JSON.parse(readFileSync(new URL("../../ops/grafana/chatstream-dashboard.json", import.meta.url), "utf8")) as { panels?: { targets?: { expr?: unknown }[] }[] };
  return (doc.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)));
}

describe("ops files", () => {
  let run: IngestRun | undefined;
  let served: Set<string>;
  beforeAll(async () => {
    run = await startIngestRun();
    const text = await (await fetch(`${run.url}/metrics`)).text();
    served = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ""));
  });
  afterAll(async () => {
    await run?.stop();
  });

  it("every alert rule is complete: an expression, a severity, a summary and a runbook section that exists", () => {
    const rules = readRules();
    const runbook = readFileSync(new URL("../../docs/runbook.md", import.meta.url), "utf8");
    const anchors = new Set([...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) => (m[1] ?? "").toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^Chatstream[A-Z]\w+$/);
      expect(["critical", "warning", "info"]).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      const anchor = /^docs\/runbook\.md#(.+)$/.exec(r.annotations.runbook)?.[1];
      expect(anchor !== undefined && anchors.has(anchor), `${r.alert}: runbook link ${r.annotations.runbook}`).toBe(true);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it.skipIf(!promtool)("promtool accepts the alert rules", () => {
    const out = execFileSync("promtool", ["check", "rules", RULES], { encoding: "utf8" });
    expect(out).toMatch(new RegExp(`SUCCESS: ${readRules().length} rules found`));
  });

  it("every metric the alert rules and the Grafana dashboard read is served on /metrics", () => {
    const exprs = [...readRules().map((r) => r.expr), ...dashboardExpressions()];
    const named = [...new Set(exprs.flatMap(metricsNamed))].filter((m) => !PROMETHEUS_OWN.has(m));
    expect(named.length).toBeGreaterThan(15);
    expect(named.filter((m) => !served.has(m))).toEqual([]);
  });
});
