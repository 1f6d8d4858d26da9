import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { hasChromium, launchChromium } from "./chromium.js";
import { startHarness, twoChannels, type Harness } from "./harness.js";

// What the overlay and the dashboard say when they cannot show chat, and how they show what they do, in real
// Chromium.

describe.skipIf(!hasChromium)("overlay and dashboard say what keeps them waiting (headless Chromium)", () => {
  let open: Harness;
  let guarded: Harness;
  let browser: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    open = await startHarness();
    await open.feed(twoChannels());
    guarded = await startHarness({ token: "s3cret-token" });
    await guarded.feed(twoChannels());
    profile = mkdtempSync(join(tmpdir(), "chatstream-chromium-"));
    browser = await launchChromium(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await open?.close();
    await guarded?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const page = async (url: string): Promise<Page> => {
    const p = await browser.newPage();
    await p.setViewportSize({ width: 1280, height: 720 });
    await p.goto(url);
    return p;
  };
  const noticeOf = async (p: Page, selector = "#notice"): Promise<string> => {
    await p.waitForFunction(`document.querySelector(${JSON.stringify(selector)}).textContent.length > 0`, undefined, { timeout: 10_000 });
    return p.locator(selector).innerText();
  };

  it("[#14.22] a missing token: the overlay says the server needs one and how to pass it", async () => {
    const p = await page(`${guarded.server.url}/overlay?channel=alpha`);
    expect(await noticeOf(p)).toBe("This server needs a token: add ?token=YOUR_TOKEN (its CHATSTREAM_TOKEN) to this page's URL.");
    expect(await p.locator("#notice").isVisible()).toBe(true);
    // Readable on stream, not an 11 px corner note.
    expect(await p.evaluate(`parseFloat(getComputedStyle(document.getElementById("notice")).fontSize)`)).toBeGreaterThanOrEqual(16);
    await p.close();
  });

  it("[#14.22] a wrong token: the overlay says the token does not match", async () => {
    const p = await page(`${guarded.server.url}/overlay?channel=alpha&token=wrong`);
    expect(await noticeOf(p)).toBe("Wrong token: the token in this page's URL does not match the server's CHATSTREAM_TOKEN.");
    await p.close();
    // The right one shows chat and no notice.
    const ok = await page(`${guarded.server.url}/overlay?channel=alpha&token=s3cret-token`);
    await ok.waitForFunction(`document.body.dataset.t !== undefined`);
    expect(await ok.locator("#notice").isVisible()).toBe(false);
    await ok.close();
  });

  it("[#14.22] an unknown channel: the overlay names the known ones, and shows the channel once it starts", async () => {
    const p = await page(`${open.server.url}/overlay?channel=gamma`);
    expect(await noticeOf(p)).toBe("Unknown channel \u201cgamma\u201d. Known: alpha, beta. Waiting in case it starts.");
    expect(await p.locator("#headline").innerText()).toBe("Waiting for chat…");
    const base = open.server.sink.latest("alpha") as Snapshot;
    open.server.sink.write({ ...base, channel: "gamma", t: base.t + 500, headline: "Gamma chat has started." });
    await p.waitForFunction(`document.body.dataset.t === "${base.t + 500}"`);
    expect(await p.locator("#headline").innerText()).toBe("Gamma chat has started.");
    expect(await p.locator("#notice").isVisible()).toBe(false);
    await p.close();
  });

  it("[#14.22] the dashboard says the same", async () => {
    const p = await page(`${guarded.server.url}/?channel=alpha`);
    expect(await noticeOf(p)).toContain("This server needs a token: add ?token=");
    await p.close();
    const q = await page(`${open.server.url}/?channel=delta`);
    expect(await noticeOf(q)).toContain("Unknown channel \u201cdelta\u201d. Known: alpha, beta");
    await q.close();
  });

  /** A snapshot of alpha with YouTube emoji shortcodes as labels, 5 s buckets and stream time 0:08:09. */
  const emojiSnapshot = (t: number): Snapshot => {
    const base = open.server.sink.latest("alpha") as Snapshot;
    return {
      ...base,
      t,
      window: { start: t - 30_000, end: t },
      headline: "Chat laughs at the caster.",
      sentiment: { pos: 0.7, neu: 0.15, neg: 0.15, net: 55 },
      topics: [{ label: ":face_with_tears_of_joy:", count: 9 }, { label: ":hand-pink-waving:", count: 4 }, { label: "caster", count: 3 }],
      clusters: [{ label: ":face_with_tears_of_joy:", count: 9, users: 8, share: 0.4, sentiment: { pos: 0.9, neu: 0.1, neg: 0, net: 90 }, top: [{ text: ":face_with_tears_of_joy: :face_with_tears_of_joy:", count: 9 }] }],
      buckets: [{ start: 455_000, end: 460_000, count: 3, scored: 3, sentiment: { pos: 1, neu: 0, neg: 0, net: 100 }, top: [{ text: "LUL", count: 2 }] }],
    };
  };

  it("[#14.23] overlay: emoji chips show the emoji, and net reads as points, not a percentage", async () => {
    const p = await page(`${open.server.url}/overlay?channel=alpha`);
    await p.waitForFunction(`document.body.dataset.t !== undefined`);
    open.server.sink.write(emojiSnapshot(489_000_000));
    await p.waitForFunction(`document.body.dataset.t === "489000000"`);
    expect(await p.locator("#topics .chip").allInnerTexts()).toEqual(["😂", ":hand-pink-waving:", "caster"]);
    expect(await p.locator("#net").innerText()).toBe("net +55");
    await p.close();
  });

  it("[#14.23] dashboard: times on the stream clock (h:mm:ss), not raw milliseconds; emoji in threads", async () => {
    const p = await page(`${open.server.url}/?channel=alpha`);
    await p.waitForSelector("#chart canvas");
    open.server.sink.write(emojiSnapshot(489_000));
    await p.waitForFunction(`document.body.dataset.t === "489000"`);
    expect(await p.locator("#t").innerText()).toBe("0:08:09");
    await p.click("#headline");
    expect(await p.locator("#details-title").innerText()).toBe("Behind the snapshot at 0:08:09");
    expect(await p.locator("#details-buckets").innerText()).toBe("0:07:35–0:07:40: 3 msgs, net 100 — LUL");
    expect(await p.locator("#details-clusters").innerText()).toMatch(/^😂 \(9, net \+90\)/);
    // The chart's time under the cursor too (its axis is drawn on a canvas, with the same formatter).
    const box = await p.locator("#chart .u-over").boundingBox();
    if (box !== null) await p.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await p.waitForFunction(`/^\\d+:\\d\\d:\\d\\d$/.test(document.querySelector("#chart .u-legend .u-series .u-value").textContent)`, undefined, { timeout: 5_000 });
    await p.close();
  });
});
