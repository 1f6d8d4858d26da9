import type { LlmEvent } from "./llm-events.js";
import type { LlmProbe } from "./openai-summarizer.js";

/**
 * Turns what an LLM summarizer reports into the few lines a user needs on stderr, each said once: the server
 * is unreachable (the start-up probe) or failing (a request), the breaker stopped asking, it answers again, or
 * it never answered before the run ended. An outage is at most two lines, whatever the number of snapshots.
 * Pure state: `write` gets the lines.
 */
export class LlmStatusReporter {
  private down = false;
  private breakerTold = false;
  private answered = false;
  private stopped = 0;

  constructor(
    private readonly endpoint: string,
    private readonly write: (line: string) => void,
  ) {}

  probed(probe: LlmProbe): void {
    if (probe.ok || this.down) return;
    this.down = true;
    this.write(`LLM at ${this.endpoint} unreachable: ${probe.reason}; the embedded headline stays on air`);
  }

  event(e: LlmEvent): void {
    if (e.type === "request") {
      if (e.outcome === "ok" || e.outcome === "rejected") {
        this.answered = true;
        if (this.down) this.write(`LLM at ${this.endpoint} answers again`);
        this.down = false;
        this.breakerTold = false;
      } else if (e.outcome === "aborted") this.stopped++;
      else if (!this.down) {
        this.down = true;
        this.write(`LLM at ${this.endpoint} failed: ${e.detail ?? e.outcome}; the embedded headline stays on air until it answers`);
      }
    } else if (e.type === "breaker" && e.state === "open" && !this.breakerTold) {
      this.breakerTold = true;
      this.write(`LLM at ${this.endpoint}: ${e.failures} failures in a row; asking again every ${Math.round(e.coolDownMs / 1000)} s`);
    }
  }

  /** At the end of the run: a model that was asked but never answered is worth one line too. */
  finish(): void {
    if (!this.answered && !this.down && this.stopped > 0) {
      this.write(`LLM at ${this.endpoint} did not answer before the run ended (${this.stopped} request${this.stopped === 1 ? "" : "s"} stopped); every headline was the embedded one`);
    }
  }
}
