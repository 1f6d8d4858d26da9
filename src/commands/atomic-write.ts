import { randomBytes } from "node:crypto";
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` all at once or not at all: into a temporary file beside it (same folder, so the
 * rename stays on one file system and is atomic), renamed over `path` only once the whole file is written.
 * A failure leaves any old file as it was, and no temporary file behind. An existing file keeps its mode.
 */
export function writeFileAtomic(path: string, data: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(temp, data, { flag: "wx", ...(mode === undefined ? {} : { mode }) });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
