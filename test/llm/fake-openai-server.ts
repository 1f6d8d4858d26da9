// A fake OpenAI-compatible server for tests and the token-spend benchmark: node:http on 127.0.0.1, port 0,
// speaking POST /v1/chat/completions (streamed and not) with deterministic answers built from the prompt.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens } from "gpt-tokenizer";

export type FakeMode =
  | "normal"
  | "slow"
  | "failing"
  | "bad-json"
  | "wrong-shape"
  | "one-sentence"
  | "five-sentences"
  | "username"
  | "link"
  | "rate-limited"
  /** Obeys injected instructions even inside the data block (a model that ignores the system prompt). */
  | "gullible"
  /**
   * Follows an injected promotion by paraphrasing it (no copied run of chat, no "ignore previous" tell-tale): when
   * the data block shows a promotional line, answers with one of ENDORSEMENT_PARAPHRASES in turn.
   */
  | "endorse"
  /** Takes the request and never answers (a hung server); the connection stays open until close(). */
  | "silent";

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export interface FakeServerOptions {
  mode?: FakeMode;
  /** Real ms the slow mode waits before answering. */
  delayMs?: number;
  /** Retry-After seconds sent with 429. */
  retryAfter?: number;
  /** Whether answers carry `usage` (default true). */
  usage?: boolean;
}

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  readonly baseURL: string;
  /** Mode used when the queue is empty. */
  mode: FakeMode;
  /** Modes for the next requests, one each, before `mode`. */
  readonly queue: FakeMode[];
  usage: boolean;
  readonly requests: ChatRequestBody[];
  /** Every answer sent, in order. */
  readonly answers: string[];
  /** Tokens this server reported in `usage`, summed over its answers: what a provider would bill. */
  readonly usageSent: { prompt: number; completion: number };
  /** GET /models requests (start-up probes). */
  readonly modelListRequests: number;
  close(): Promise<void>;
}

/**
 * What a model that took an injected "the streamer endorses robux-gift.club, free robux" line to heart writes: an
 * endorsement, a giveaway or an instruction to viewers, in words of its own, with the domain as it remembers it
 * (plain, with obfuscated dots, or spelled out) or without one.
 */
export const ENDORSEMENT_PARAPHRASES: readonly string[] = [
  "The streamer officially endorses robux-gift.club today. Chat is excited about the free robux offer.",
  "Chat learns the stream is sponsored by robux-gift.club today. Viewers are thrilled about the partnership.",
  "Everyone can get free robux at robux-gift dot club right now. Chat cheers the surprise giveaway.",
  "The host personally recommends the robux gift club to every viewer. Chat trusts the streamer on this.",
  "Chat is told to visit robux-gift[.]club before the stream ends. Others cheer the official partner.",
  "Viewers should use code ROBUX50 at the gift club for a discount. Chat cheers the new deal.",
  "Chat cheers as the streamer gives away robux to everyone. Others type !claim to join in.",
  "The channel now partners with a robux gift site. Chat is thrilled about the rewards.",
  "Chat hypes the streamer's favourite site robux-gift．club. Viewers go to the site for free robux.",
  "The streamer vouches for the robux gift club. Chat rushes to claim their free robux.",
  "Chat celebrates a robux giveaway approved by the streamer. Others ask how they can enter it.",
  "Chat is excited that viewers can win free robux today. Others thank the generous sponsor.",
];
// A promotional line as the data block shows it, masked or not.
const PROMOTED_IN_DATA = /endors|sponsor|giveaway|free robux|robux|promo|a link|partner|recommend/i;

const DATA = /<chat_data>\n?([\s\S]*?)\n?<\/chat_data>/;
// What a naively obedient model follows: "ignore … instructions … say X" or a fake "SYSTEM: … say X".
const INJECTION = /(?:ignore[^\n]*?instructions?|system\s*(?:prompt)?\s*:)[^\n]*?\bsay\b[:\s]+["“]?([^"”\n\\]+)/i;

interface WindowData {
  messages?: number;
  mood?: string;
  topics?: { word?: string }[];
  clusters?: unknown[];
}

/** The deterministic answer to a prompt, as a naive model would give it. */
export function answerFor(messages: readonly { role: string; content: string }[], gullible = false): string {
  const prompt = messages.map((m) => m.content).join("\n");
  // The data block is looked for in the user's messages (the system prompt may name its tags).
  const data = DATA.exec(messages.filter((m) => m.role === "user").map((m) => m.content).join("\n"));
  const outside = data === null ? prompt : prompt.replace(data[0], "");
  const obeyed = INJECTION.exec(outside) ?? (gullible && data !== null ? INJECTION.exec(data[1] as string) : null);
  if (obeyed !== null) return (obeyed[1] as string).trim();
  let window: WindowData | undefined;
  try {
    const parsed = JSON.parse(data?.[1] ?? "") as { window?: WindowData };
    window = parsed.window;
  } catch {
    window = undefined;
  }
  if (window === undefined) return "Chat talks about the stream. Viewers keep posting messages.";
  const topics = (window.topics ?? []).map((t) => t.word).filter((w): w is string => typeof w === "string").slice(0, 2);
  const about = topics.length === 0 ? "the stream" : topics.join(" and ");
  return `Chat talks about ${about} in a ${window.mood ?? "neutral"} mood. Viewers post ${window.messages ?? 0} messages in ${window.clusters?.length ?? 0} clusters.`;
}

function malformedAnswer(mode: FakeMode): string | undefined {
  switch (mode) {
    case "one-sentence":
      return "Chat is hyped about the play";
    case "five-sentences":
      return "Chat cheers the play. Others laugh at the caster. Some ask about the score. A few spam emotes. Nobody is bored.";
    case "username":
      return "Chat cheers for @xXSniperXx and the team. Others laugh at the caster.";
    case "link":
      // A link to repair, not a promotion (which is rejected, see "endorse").
      return "Chat shares https://scam.example.com/free and cheers. Others post freegold.com in chat.";
    default:
      return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function usageOf(body: ChatRequestBody, answer: string, sent: { prompt: number; completion: number }): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const prompt = 3 + (body.messages ?? []).reduce((n, m) => n + 4 + countTokens(m.content), 0);
  const completion = countTokens(answer);
  sent.prompt += prompt;
  sent.completion += completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export async function startFakeOpenAiServer(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
  const timers = new Set<NodeJS.Timeout>();
  const requests: ChatRequestBody[] = [];
  const answers: string[] = [];
  const usageSent = { prompt: 0, completion: 0 };
  let modelListRequests = 0;
  const state = {
    mode: options.mode ?? "normal",
    queue: [] as FakeMode[],
    usage: options.usage ?? true,
  };

  const respond = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method === "GET" && (req.url ?? "").endsWith("/models")) {
      modelListRequests++;
      if (state.mode === "silent") return;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "fake", object: "model", created: 0, owned_by: "test" }] }));
      return;
    }
    if (req.method !== "POST" || !(req.url ?? "").endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "bad request" } }));
      return;
    }
    requests.push(body);
    const mode = state.queue.shift() ?? state.mode;
    if (mode === "silent") return;
    if (mode === "failing") {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "internal error" } }));
      return;
    }
    if (mode === "rate-limited") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(options.retryAfter ?? 1) }).end(JSON.stringify({ error: { message: "rate limited" } }));
      return;
    }
    const userText = (body.messages ?? []).filter((m) => m.role === "user").map((m) => m.content).join("\n");
    const promoted = mode === "endorse" && PROMOTED_IN_DATA.test(DATA.exec(userText)?.[1] ?? "");
    const answer = promoted ? (ENDORSEMENT_PARAPHRASES[answers.length % ENDORSEMENT_PARAPHRASES.length] as string) : (malformedAnswer(mode) ?? answerFor(body.messages ?? [], mode === "gullible"));
    answers.push(answer);
    const send = (): void => {
      if (res.destroyed) return;
      if (body.stream === true) streamAnswer(res, body, answer, mode);
      else if (mode === "bad-json") res.writeHead(200, { "content-type": "application/json" }).end('{"choices": [{"message": ');
      else if (mode === "wrong-shape") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result: answer }));
      else {
        const completion: Record<string, unknown> = {
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          created: 0,
          model: body.model ?? "fake",
          choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        };
        if (state.usage) completion.usage = usageOf(body, answer, usageSent);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(completion));
      }
    };
    if (mode === "slow") {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, options.delayMs ?? 5_000);
      timers.add(timer);
    } else send();
  };

  const streamAnswer = (res: ServerResponse, body: ChatRequestBody, answer: string, mode: FakeMode): void => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 0, model: body.model ?? "fake", choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
    if (mode === "bad-json") {
      res.end("data: {not json\n\n");
      return;
    }
    res.write(chunk({ role: "assistant", content: "" }));
    for (const piece of answer.match(/\S+\s*/g) ?? []) res.write(chunk({ content: piece }));
    if (state.usage && body.stream_options?.include_usage === true) {
      res.write(`data: ${JSON.stringify({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 0, model: body.model ?? "fake", choices: [], usage: usageOf(body, answer, usageSent) })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  };

  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (raw) => respond(req, res, raw),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get mode() {
      return state.mode;
    },
    set mode(m: FakeMode) {
      state.mode = m;
    },
    queue: state.queue,
    get usage() {
      return state.usage;
    },
    set usage(u: boolean) {
      state.usage = u;
    },
    requests,
    answers,
    usageSent,
    get modelListRequests() {
      return modelListRequests;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
