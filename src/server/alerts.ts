import type { Snapshot } from "../schema/output-schema.js";

/** Alert rules (`--alert-rules FILE`, JSON); every field is optional and falls back to DEFAULT_ALERT_RULES. */
export interface AlertRules {
  /** Net sentiment moves by more than `points` within `withinS` seconds of stream time. */
  swing: { enabled: boolean; points: number; withinS: number; minScored: number };
  /** Message rate exceeds `factor` × its mean over the trailing `baselineS` seconds. */
  rate: { enabled: boolean; factor: number; baselineS: number; minRate: number };
  /** The top message group's share of the window crosses `share` (and it has at least `minCount` messages). */
  cluster: { enabled: boolean; share: number; minCount: number };
  /** The same rule fires at most once per `cooldownS` seconds of stream time per channel. */
  cooldownS: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  swing: { enabled: true, points: 40, withinS: 60, minScored: 10 },
  rate: { enabled: true, factor: 3, baselineS: 300, minRate: 2 },
  cluster: { enabled: true, share: 0.3, minCount: 15 },
  cooldownS: 120,
};

export type AlertRule = "swing" | "rate" | "cluster";

export interface Alert {
  rule: AlertRule;
  channel: string;
  t: number;
  headline: string;
  summary: string;
  numbers: Record<string, number | string>;
}

interface Point {
  t: number;
  net: number;
  rate: number;
  scored: number;
}

/** What the rules remember per channel; treat as immutable (evaluateAlerts returns a new one). */
export interface AlertState {
  points: readonly Point[];
  lastFired: Readonly<Partial<Record<AlertRule, number>>>;
  prevTopShare: number;
  prevTopText: string | undefined;
}

export const INITIAL_ALERT_STATE: AlertState = { points: [], lastFired: {}, prevTopShare: 0, prevTopText: undefined };

/** Merges a partial rules object (from JSON) over the defaults, rejecting wrong types. */
export function parseAlertRules(json: unknown): AlertRules {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("alert rules must be a JSON object");
  const src = json as Record<string, unknown>;
  const out: AlertRules = structuredClone(DEFAULT_ALERT_RULES);
  for (const key of Object.keys(src)) {
    if (key === "cooldownS") {
      if (typeof src.cooldownS !== "number" || src.cooldownS < 0) throw new Error("cooldownS must be a non-negative number");
      out.cooldownS = src.cooldownS;
      continue;
    }
    if (key !== "swing" && key !== "rate" && key !== "cluster") throw new Error(`unknown alert rule "${key}" (swing, rate, cluster, cooldownS)`);
    const rule = src[key];
    if (typeof rule !== "object" || rule === null) throw new Error(`alert rule "${key}" must be an object`);
    const target = out[key] as unknown as Record<string, number | boolean>;
    for (const [field, value] of Object.entries(rule as Record<string, unknown>)) {
      if (!Object.hasOwn(target, field)) throw new Error(`unknown field "${key}.${field}"`);
      if (typeof value !== typeof target[field]) throw new Error(`"${key}.${field}" must be a ${typeof target[field]}`);
      target[field] = value as number | boolean;
    }
  }
  return out;
}

/**
 * The alert rules as a pure function on stream time: the previous state and the next snapshot of a channel
 * in, the next state and the alerts that fire out. No clock, no I/O: the same snapshots fire the same alerts.
 */
export function evaluateAlerts(state: AlertState, s: Snapshot, rules: AlertRules): { state: AlertState; alerts: Alert[] } {
  const keepS = Math.max(rules.swing.withinS, rules.rate.baselineS);
  const points = [...state.points.filter((p) => p.t > s.t - keepS * 1000), { t: s.t, net: s.sentiment.net, rate: s.rate, scored: s.scored }];
  const lastFired = { ...state.lastFired };
  const alerts: Alert[] = [];
  const cool = (rule: AlertRule): boolean => {
    const last = lastFired[rule];
    return last === undefined || s.t - last >= rules.cooldownS * 1000;
  };
  const fire = (rule: AlertRule, summary: string, numbers: Record<string, number | string>): void => {
    lastFired[rule] = s.t;
    alerts.push({ rule, channel: s.channel, t: s.t, headline: s.headline, summary, numbers });
  };

  if (rules.swing.enabled && s.scored >= rules.swing.minScored && cool("swing")) {
    let extreme: Point | undefined;
    for (const p of points) {
      if (p.t < s.t - rules.swing.withinS * 1000 || p.scored < rules.swing.minScored) continue;
      if (extreme === undefined || Math.abs(s.sentiment.net - p.net) > Math.abs(s.sentiment.net - extreme.net)) extreme = p;
    }
    if (extreme !== undefined && Math.abs(s.sentiment.net - extreme.net) > rules.swing.points) {
      const delta = Math.round(s.sentiment.net - extreme.net);
      fire("swing", `net sentiment swung ${delta > 0 ? "+" : ""}${delta} points in ${Math.round((s.t - extreme.t) / 1000)} s`, { from: Math.round(extreme.net), to: Math.round(s.sentiment.net), delta, seconds: (s.t - extreme.t) / 1000 });
    }
  }

  if (rules.rate.enabled && cool("rate") && s.rate >= rules.rate.minRate) {
    const base = points.filter((p) => p.t < s.t);
    const span = base.length > 0 ? s.t - (base[0] as Point).t : 0;
    if (span >= (rules.rate.baselineS * 1000) / 2) {
      const baseline = base.reduce((n, p) => n + p.rate, 0) / base.length;
      if (s.rate > rules.rate.factor * Math.max(baseline, 0.01)) {
        fire("rate", `message rate ${s.rate}/s is ${(s.rate / Math.max(baseline, 0.01)).toFixed(1)}× its ${rules.rate.baselineS} s baseline`, { rate: s.rate, baseline: Math.round(baseline * 100) / 100, factor: Math.round((s.rate / Math.max(baseline, 0.01)) * 10) / 10 });
      }
    }
  }

  const top = s.top[0];
  const share = top !== undefined && s.count > 0 ? top.count / s.count : 0;
  if (rules.cluster.enabled && top !== undefined && cool("cluster") && share > rules.cluster.share && top.count >= rules.cluster.minCount && (state.prevTopShare <= rules.cluster.share || state.prevTopText !== top.text)) {
    fire("cluster", `"${top.text}" is ${Math.round(share * 100)}% of chat (${top.count} messages)`, { cluster: top.text, share: Math.round(share * 1000) / 1000, count: top.count });
  }

  return { state: { points, lastFired, prevTopShare: share, prevTopText: top?.text }, alerts };
}

/** A Discord-compatible webhook body: `content` plus one embed with the numbers; mentions are disabled. */
export function discordBody(a: Alert): Record<string, unknown> {
  const colors: Record<AlertRule, number> = { swing: 0xf59e0b, rate: 0x3b82f6, cluster: 0x8b5cf6 };
  return {
    content: `chatstream alert (${a.rule}) in ${a.channel}: ${a.summary}`,
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: `${a.rule} · ${a.channel} · t=${Math.round(a.t / 1000)} s`,
        description: a.headline,
        color: colors[a.rule],
        fields: Object.entries(a.numbers).map(([name, value]) => ({ name, value: String(value), inline: true })),
      },
    ],
  };
}

/** Evaluates the rules per channel and posts alerts to webhooks, one at a time, never blocking the caller. */
export class AlertDispatcher {
  private readonly states = new Map<string, AlertState>();
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  readonly fired: Alert[] = [];

  constructor(
    private readonly webhooks: readonly string[],
    private readonly rules: AlertRules = DEFAULT_ALERT_RULES,
    private readonly onAlert?: (a: Alert) => void,
    private readonly onError?: (message: string) => void,
  ) {}

  snapshot(s: Snapshot): void {
    const { state, alerts } = evaluateAlerts(this.states.get(s.channel) ?? INITIAL_ALERT_STATE, s, this.rules);
    this.states.set(s.channel, state);
    for (const a of alerts) {
      this.fired.push(a);
      if (this.fired.length > 100) this.fired.shift();
      this.onAlert?.(a);
      if (this.pending >= 100) {
        this.onError?.("alert webhook backlog full; alert dropped");
        continue;
      }
      this.pending++;
      this.queue = this.queue.then(() => this.post(a)).finally(() => this.pending--);
    }
  }

  /** Resolves when every queued alert was posted (or failed). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async post(a: Alert): Promise<void> {
    for (const url of this.webhooks) {
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(discordBody(a)), signal: AbortSignal.timeout(5000) });
        if (!res.ok) this.onError?.(`alert webhook answered ${res.status}`);
      } catch (err) {
        this.onError?.(`alert webhook failed: ${(err as Error).message}`);
      }
    }
  }
}
