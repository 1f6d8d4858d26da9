import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { escapeHtml, reportCommand } from "../../src/commands/report-command.js";
import { VirtualClock } from "../../src/core/clock.js";

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
