import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/schema/output-schema.js";
import { startHarness, twoChannels, type Harness } from "./harness.js";

// What the overlay and the dashboard say when they cannot show chat, in real Chromium.

const CHROMIUM = "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("overlay and dashboard say what keeps them waiting (headless Chromium)", () => {
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
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      bypassCSP: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
    });
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
    expect(await p.locator("#notice").evaluate((e) => parseFloat(getComputedStyle(e as unknown as Element).fontSize))).toBeGreaterThanOrEqual(16);
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
});
