import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { escapeHtml, reportCommand } from "../../src/commands/report-command.js";
import { VirtualClock } from "../../src/core/clock.js";
import { hasChromium, launchChromium } from "./chromium.js";

describe("chatstream report", () => {
  it("writes one self-contained HTML page with timeline, headlines, peaks and clusters; chat is escaped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-report-"));
    const input = join(dir, "stream.jsonl");
    const out = join(dir, "report.html");
    const lines: string[] = [];
    const texts = ["PogChamp what a play", "LUL", "this is terrible", "<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "gg wp", "</script><b>bold</b>"];
    for (let i = 0; i < 6000; i++) lines.push(JSON.stringify({ t: 1000 + i * (i % 1000 < 500 ? 150 : 400), user: `u${i % 70}`, text: texts[i % texts.length] }));
    writeFileSync(input, lines.join("\n") + "\n");
    const err = new PassThrough();
    const errText: string[] = [];
    err.on("data", (c: Buffer) => errText.push(c.toString("utf8")));
    const code = await reportCommand({ input, out, sentiment: "lexicon", summarizer: "extractive" }, { stdin: Readable.from([]), stdout: new PassThrough(), stderr: err, clock: new VirtualClock(0, true), color: false });
    expect(code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(errText.join("")).toContain("wrote");
    expect(html.match(/<script src=|<link [^>]*href=|https?:\/\/(?!www\.w3\.org|github\.com\/leeoniya).{20}/g)).toBeNull();
    expect(html).toContain("uPlot");
    for (const h of ["Sentiment and message rate", "10 minute headlines", "Most active minutes", "Most positive minutes", "Most negative minutes", "Top clusters", "1 minute headlines"]) expect(html).toContain(h);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain('<img src=x onerror="alert(2)">');
    expect(html).not.toContain("</script><b>bold</b>");
    const json = /<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)?.[1] ?? "";
    const data = JSON.parse(json) as { minutes: unknown[]; tens: unknown[] };
    expect(data.minutes.length).toBeGreaterThan(10);
    expect(data.tens.length).toBeGreaterThan(0);
    expect(escapeHtml(`a<b>&"'`)).toBe("a&lt;b&gt;&amp;&quot;&#39;");
  });
});

/** Words of table cells (up to 30 characters: times, numbers, words) that the browser split over two lines. */
const SPLIT_WORDS = `(() => {
  const split = [];
  for (const td of document.querySelectorAll("td")) {
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
        if (lines > 1 && m[0].length <= 30) split.push(m[0]);
      }
    }
  }
  return split;
})()`;

describe.skipIf(!hasChromium)("the report's tables in headless Chromium", () => {
  it("[#14.23] table cells wrap at spaces and break only a token longer than the cell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatstream-report-layout-"));
    const input = join(dir, "stream.jsonl");
    const texts = ["PogChamp what a play", "LUL the caster again", "this is terrible honestly", "gg wp everyone", "who is winning right now?", "KEKW KEKW"];
    writeFileSync(input, Array.from({ length: 4000 }, (_, i) => JSON.stringify({ t: 1000 + i * 300, user: `u${i % 50}`, text: texts[i % texts.length] })).join("\n") + "\n");
    const out = join(dir, "report.html");
    expect(await reportCommand({ input, out, sentiment: "lexicon", summarizer: "embedded" }, { stdin: Readable.from([]), stdout: new PassThrough(), stderr: new PassThrough(), clock: new VirtualClock(0, true), color: false })).toBe(0);
    const long = "https://example.invalid/" + "averyveryverylongpathsegment".repeat(4);
    writeFileSync(out, readFileSync(out, "utf8").replace("<td>0:00:00</td>", `<td>0:00:00 ${long}</td>`));
    const profile = mkdtempSync(join(tmpdir(), "chatstream-chromium-"));
    const browser = await launchChromium(profile);
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 600, height: 900 });
      await page.goto(pathToFileURL(out).href);
      expect(await page.evaluate(SPLIT_WORDS)).toEqual([]);
      // The one token longer than any cell is broken: nothing runs out of the page.
      expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
