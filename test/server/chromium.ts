import { existsSync } from "node:fs";
import { chromium, type BrowserContext } from "playwright-core";

/** The Debian "chromium" package; browser tests skip when it is missing. */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (install the Debian "chromium" package as root; scripts/test.sh does)`);

/** Headless Chromium with a fresh profile directory (playwright passes it as --user-data-dir). */
export function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    // The pages send a strict CSP; the test harness evaluates string predicates, which CSP would block.
    bypassCSP: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}
