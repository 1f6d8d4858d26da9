/**
 * An input that cannot be read at all (missing file, unknown format). Thrown once, before any
 * reading starts, with a one-line message meant for the user. Problems inside an input are
 * never thrown: they are counted in the input report.
 */
export class InputError extends Error {
  override readonly name = "InputError";
}
