/**
 * `npm run screenshots`: pictures of the dashboard and the overlay on real chat for the docs (docs/screenshots/).
 * Replays the bundled demo stream at 20× through `chatstream run --serve` on loopback and photographs the pages in
 * Debian's Chromium (playwright-core) once the stream has reached its boss fight. Not part of `npm run docs`: the
 * pictures depend on timing, so they are refreshed by hand when the pages change.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../test/server/chromium.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "docs", "screenshots");
/** Stream time to photograph at: after the demo's boss fight and its Super Chat. */
const AT_STREAM_MS = 450_000;
const SPEED = 20;

const server = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "run", "-i", "demo/demo.live_chat.json.gz", "--speed", String(SPEED), "--serve", "127.0.0.1:0", "--sink", "jsonl:/dev/null", "--no-progress"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
const url = await new Promise<string>((resolve, reject) => {
  let stderr = "";
  server.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
    const m = /serving on (http:\/\/\S+)/.exec(stderr);
    if (m?.[1] !== undefined) resolve(m[1]);
  });
  server.once("exit", () => reject(new Error(`chatstream run ended before serving:\n${stderr}`)));
});
const profile = mkdtempSync(join(tmpdir(), "chatstream-screenshots-"));
try {
  const channels = (await (await fetch(`${url}/v1/channels`)).json()) as { channels?: { channel: string }[] } | { channel: string }[];
  const list = Array.isArray(channels) ? channels : (channels.channels ?? []);
  const channel = encodeURIComponent(list[0]?.channel ?? "demo");
  await new Promise((r) => setTimeout(r, AT_STREAM_MS / SPEED));
  const browser = await launchChromium(profile);
  const shoot = async (path: string, file: string, viewport: { width: number; height: number }, transparent: boolean): Promise<void> => {
    const page = await browser.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${url}${path}`);
    await page.waitForFunction("document.body.dataset.t !== undefined && document.body.dataset.t !== ''");
    await page.waitForTimeout(1500); // the chart's first draw and the bar's CSS transition
    await page.screenshot({ path: join(OUT, file), omitBackground: transparent });
    await page.close();
  };
  await shoot(`/?channel=${channel}`, "dashboard.png", { width: 1400, height: 900 }, false);
  await shoot(`/overlay?channel=${channel}&size=l`, "overlay.png", { width: 1920, height: 1080 }, true);
  await shoot(`/overlay?channel=${channel}&size=s&theme=light&show=headline,bar`, "overlay-small.png", { width: 480, height: 270 }, true);
  await browser.close();
  process.stdout.write(`wrote dashboard.png, overlay.png and overlay-small.png in ${OUT}\n`);
} finally {
  server.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
}
