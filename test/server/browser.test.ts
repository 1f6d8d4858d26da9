import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { hasChromium, launchChromium } from "./chromium.js";
import { startHarness, twoChannels, type Harness } from "./harness.js";


const HOSTILE_HEADLINE = 'Chat says <script>window.__pwned = 1</script> and <img src=x onerror="window.__pwned = 2">';

function snapshotOf(base: Snapshot, t: number, headline: string, pos: number): Snapshot {
  const neg = Math.round((1 - pos) * 50) / 100;
  const neu = Math.round((1 - pos - neg) * 100) / 100;
  return {
    ...base,
    t,
    window: { start: t - 30_000, end: t },
    headline,
    sentiment: { pos, neu, neg, net: Math.round((pos - neg) * 100) },
    topics: [{ label: "<b>bold</b>", count: 3 }, { label: "baron", count: 2 }],
    top: [{ text: '<img src=x onerror="window.__pwned = 3">', count: 9 }, { text: "is this the final?", count: 4 }],
    questions: [{ text: "is this the final?", count: 4 }],
    mood: "mixed",
    clusters: [
      { label: "<b>baron</b>", count: 7, users: 6, share: 0.3, sentiment: { pos: 0.1, neu: 0.2, neg: 0.7, net: -60 }, top: [{ text: "<script>window.__pwned = 4</script>", count: 4 }], growth: 5, new: true, dissent: true },
    ],
  };
}

describe.skipIf(!hasChromium)("pages in headless Chromium", () => {
  let h: Harness;
  let browser: BrowserContext;
  let profile: string;
  let base: Snapshot;
  beforeAll(async () => {
    h = await startHarness();
    await h.feed(twoChannels());
    base = h.server.sink.latest("alpha") as Snapshot;
    profile = mkdtempSync(join(tmpdir(), "chatstream-chromium-"));
    browser = await launchChromium(profile);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    return page;
  };
  const text = (page: Page, selector: string): Promise<string> => page.locator(selector).innerText();
  const width = (page: Page, selector: string): Promise<string> => page.locator(selector).evaluate((e) => (e as unknown as { style: { width: string } }).style.width);

  it("overlay: headline and bar appear, update on a new snapshot, hostile chat renders as text", async () => {
    const page = await newPage({ width: 1920, height: 1080 });
    await page.goto(`${h.server.url}/overlay?channel=alpha&size=l`);
    await page.waitForFunction(`document.body.dataset.t === "${base.t}"`);
    expect(await text(page, "#headline")).toBe(base.headline);

    const t1 = base.t + 500;
    h.server.sink.write(snapshotOf(base, t1, HOSTILE_HEADLINE, 0.7));
    await page.waitForFunction(`document.body.dataset.t === "${t1}"`);
    expect(await text(page, "#headline")).toBe(HOSTILE_HEADLINE);
    expect(await width(page, "#bar .pos")).toBe("70%");
    expect(await text(page, "#net")).toBe("net +55");
    expect(await page.locator("#card img, #card script, #card b").count()).toBe(0);
    expect(await text(page, "#topics")).toContain("<b>bold</b>");
    expect(await page.evaluate("window.__pwned")).toBeUndefined();

    const t2 = t1 + 500;
    h.server.sink.write(snapshotOf(base, t2, "Chat calms down after the baron fight.", 0.2));
    await page.waitForFunction(`document.body.dataset.t === "${t2}"`);
    expect(await text(page, "#headline")).toBe("Chat calms down after the baron fight.");
    expect(await width(page, "#bar .pos")).toBe("20%");
    expect(await text(page, "#confidence")).toMatch(/^confidence \d+%$/);

    const small = await newPage({ width: 480, height: 270 });
    await small.goto(`${h.server.url}/overlay?channel=alpha&size=s&theme=light&show=headline,bar`);
    await small.waitForFunction(`document.body.dataset.t === "${t2}"`);
    expect(await small.locator("#topics").isVisible()).toBe(false);
    expect(await small.locator("#confidence").isVisible()).toBe(false);
    expect(await small.locator("#headline").isVisible()).toBe(true);
    await small.close();

    // Too little chat for a mood (#15.5): the overlay says so instead of a percentage.
    const t3 = t2 + 500;
    h.server.sink.write({ ...snapshotOf(base, t3, "Chat has gone quiet. No viewer has written in the last 30 seconds.", 0.2), mood: null, confidence: 0.21 });
    await page.waitForFunction(`document.body.dataset.t === "${t3}"`);
    expect(await text(page, "#confidence")).toBe("not enough chat");
    await page.close();
  });

  it("overlay reconnects by itself after the connection drops", async () => {
    const page = await newPage({ width: 1280, height: 720 });
    await page.goto(`${h.server.url}/overlay?channel=beta`);
    await page.waitForFunction(`document.body.dataset.t !== undefined`);
    h.server.hub.close();
    await page.waitForFunction(`document.getElementById("status").textContent.includes("reconnecting")`);
    // It comes back on its own and shows the next snapshot.
    for (let i = 0; i < 100 && h.server.hub.size === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const beta = h.server.sink.latest("beta") as Snapshot;
    h.server.sink.write(snapshotOf(beta, beta.t + 500, "Back after the reconnect.", 0.5));
    await page.waitForFunction(`document.body.dataset.t === "${beta.t + 500}"`);
    expect(await text(page, "#headline")).toBe("Back after the reconnect.");
    await page.close();
  });

  it("dashboard: live snapshot, history chart, details of a headline and of a chart point, hostile text as text", async () => {
    const page = await newPage({ width: 1400, height: 900 });
    await page.goto(`${h.server.url}/?channel=alpha`);
    await page.waitForSelector("#chart canvas");
    const t3 = base.t + 5000;
    h.server.sink.write(snapshotOf(base, t3, HOSTILE_HEADLINE, 0.6));
    await page.waitForFunction(`document.body.dataset.t === "${t3}"`).catch(async () => {
      await page.reload();
      await page.waitForFunction(`document.body.dataset.t === "${t3}"`);
    });
    expect(await text(page, "#headline")).toBe(HOSTILE_HEADLINE);
    await page.click("#headline");
    expect(await text(page, "#details-top")).toContain('<img src=x onerror="window.__pwned = 3">');
    expect(await text(page, "#details-questions")).toContain("4× is this the final?");
    expect(await text(page, "#mood")).toBe("mixed");
    expect(await text(page, "#details-clusters")).toBe("<b>baron</b> (7 ▲5, net -60 · new · dissent) — <script>window.__pwned = 4</script>");
    expect(await page.locator("#details img, #details script, #details b").count()).toBe(0);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();

    const box = await page.locator("#chart .u-over").boundingBox();
    expect(box).not.toBeNull();
    if (box) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    }
    await page.waitForFunction(`document.getElementById("details-title").textContent.includes("1m period")`);
    expect((await text(page, "#details-top")).length).toBeGreaterThan(0);
    // Too little chat for a mood (#15.5).
    const t4 = t3 + 500;
    h.server.sink.write({ ...snapshotOf(base, t4, "One message so far.", 0.6), mood: null });
    await page.waitForFunction(`document.body.dataset.t === "${t4}"`);
    expect(await text(page, "#mood")).toBe("— not enough chat");
    await page.close();
  });
});
