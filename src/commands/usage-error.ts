import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describeFsError } from "../sources/byte-source.js";

/**
 * A command line that cannot run as given: a flag without the flag it needs, a file that cannot be read or
 * written. Thrown before any work starts; the CLI prints its message as one line and exits 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Throws a UsageError unless `path` is a readable file: `cannot read "x.json" (--emotes): no such file`. */
export function assertReadableFile(path: string, flag: string): void {
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot read "${path}" (${flag}): is a directory`);
    accessSync(path, constants.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read "${path}" (${flag}): ${describeFsError(err)}`);
  }
}

/**
 * Throws a UsageError unless `path` can be written: its folder exists and is writable, and the path is not a
 * folder or a read-only file. Checked before a run starts, so a long replay does not end on a write error.
 */
export function assertWritableFile(path: string, flag: string): void {
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`cannot write "${path}" (${flag}): ${dir} is not a folder`);
    accessSync(dir, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write "${path}" (${flag}): ${code === "ENOENT" ? `no such folder ${dir}` : describeFsError(err)}`);
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
    accessSync(path, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UsageError(`cannot write "${path}" (${flag}): ${describeFsError(err)}`);
  }
  if (isDirectory) throw new UsageError(`cannot write "${path}" (${flag}): is a directory`);
}
