import { ExtractiveSummarizer } from "./extractive-summarizer.js";
import type { Summarizer } from "./summarizer.js";

export type SummarizerFactory = (options?: Record<string, unknown>) => Summarizer;

const factories = new Map<string, SummarizerFactory>([["extractive", () => new ExtractiveSummarizer()]]);

/** Registers a summarizer under a name usable with `--summarizer NAME`. */
export function registerSummarizer(name: string, factory: SummarizerFactory): void {
  factories.set(name, factory);
}

export function summarizerNames(): string[] {
  return [...factories.keys()];
}

export const DEFAULT_SUMMARIZER = "extractive";

export function createSummarizer(name: string, options?: Record<string, unknown>): Summarizer {
  const factory = factories.get(name);
  if (!factory) throw new Error(`unknown summarizer "${name}" (available: ${summarizerNames().join(", ")})`);
  return factory(options);
}
