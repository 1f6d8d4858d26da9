// A fake OpenAI-compatible server for tests and the token-spend benchmark: node:http on 127.0.0.1, port 0,
// speaking POST /v1/chat/completions (streamed and not) with deterministic answers built from the prompt, in the
// response, streaming and error shapes of the OpenAI API or of a local server (Ollama, llama.cpp's llama-server,
// vLLM, LM Studio: `flavor`), as their OpenAI-compatible endpoints answer.
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
  | "silent"
  /** Answers 404 in the flavor's own error shape, as for a model the server does not have. */
  | "not-found"
  /** Answers 503 in the flavor's shape, as llama-server does while it loads the model. */
  | "loading"
  /** Starts a 200 SSE stream, then reports an error inside it in the flavor's way (or a 500 when not streaming). */
  | "stream-error"
  /** Answers 200 with an empty message (a reasoning model that spent max_tokens thinking). */
  | "empty";

/** Whose OpenAI-compatible endpoint the fake imitates. */
export type FakeFlavor = "openai" | "ollama" | "llamacpp" | "vllm" | "lmstudio";
export const FAKE_FLAVORS: readonly FakeFlavor[] = ["openai", "ollama", "llamacpp", "vllm", "lmstudio"];

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  temperature?: number;
}

export interface FakeServerOptions {
  mode?: FakeMode;
  /** Real ms the slow mode waits before answering. */
  delayMs?: number;
  /** Retry-After seconds sent with 429. */
  retryAfter?: number;
  /** Whether answers carry `usage` (default true). */
  usage?: boolean;
  /** Response shapes of this server (default openai). */
  flavor?: FakeFlavor;
  /** Models the server has: a request for another is answered 404 (llama-server serves its one model whatever is asked). */
  models?: readonly string[];
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
  /** The Authorization header of each chat request, in order (undefined when none was sent). */
  readonly authorizations: (string | undefined)[];
  /** Most chat requests open at the same time. */
  readonly maxConcurrent: number;
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

type Usage = { prompt_tokens: number; completion_tokens: number; total_tokens: number };

function usageOf(body: ChatRequestBody, answer: string, sent: { prompt: number; completion: number }): Usage {
  const prompt = 3 + (body.messages ?? []).reduce((n, m) => n + 4 + countTokens(m.content), 0);
  const completion = countTokens(answer);
  sent.prompt += prompt;
  sent.completion += completion;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

// The shapes below follow what each server's OpenAI-compatible endpoint answers (their docs and sources): the
// extra fields a client must ignore, where usage comes, and how errors are told.

/** A non-streamed completion. */
function completionOf(flavor: FakeFlavor, model: string, n: number, answer: string, usage: Usage | undefined): Record<string, unknown> {
  const message = { role: "assistant", content: answer };
  switch (flavor) {
    case "ollama":
      return { id: `chatcmpl-${n}`, object: "chat.completion", created: 0, model, system_fingerprint: "fp_ollama", choices: [{ index: 0, message, finish_reason: "stop" }], ...(usage ? { usage } : {}) };
    case "llamacpp":
      // llama-server puts choices first and adds its own timings.
      return {
        choices: [{ finish_reason: "stop", index: 0, message }],
        created: 0,
        model,
        system_fingerprint: "b6000-fake",
        object: "chat.completion",
        ...(usage ? { usage } : {}),
        id: `chatcmpl-${n}`,
        timings: { prompt_n: usage?.prompt_tokens ?? 0, prompt_ms: 120.5, predicted_n: usage?.completion_tokens ?? 0, predicted_ms: 800.25 },
      };
    case "vllm":
      return {
        id: `chatcmpl-${n}`,
        object: "chat.completion",
        created: 0,
        model,
        choices: [{ index: 0, message: { ...message, reasoning_content: null, tool_calls: [] }, logprobs: null, finish_reason: "stop", stop_reason: null }],
        ...(usage ? { usage: { ...usage, prompt_tokens_details: null } } : {}),
        prompt_logprobs: null,
      };
    case "lmstudio":
      return { id: `chatcmpl-${n}`, object: "chat.completion", created: 0, model, choices: [{ index: 0, logprobs: null, finish_reason: "stop", message }], ...(usage ? { usage } : {}), stats: {}, system_fingerprint: model };
    case "openai":
      return { id: `chatcmpl-${n}`, object: "chat.completion", created: 0, model, choices: [{ index: 0, message, finish_reason: "stop" }], ...(usage ? { usage } : {}) };
  }
}

/** One SSE chunk of a streamed completion. */
function chunkOf(flavor: FakeFlavor, model: string, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): string {
  const choice = flavor === "llamacpp" ? { finish_reason: finish, index: 0, delta } : { index: 0, delta, finish_reason: finish, ...(flavor === "vllm" ? { logprobs: null, stop_reason: null } : {}) };
  const head = flavor === "llamacpp" ? {} : { id: "chatcmpl-s", object: "chat.completion.chunk", created: 0, model };
  const tail = flavor === "llamacpp" ? { created: 0, id: "chatcmpl-s", model, system_fingerprint: "b6000-fake", object: "chat.completion.chunk" } : flavor === "ollama" ? { system_fingerprint: "fp_ollama" } : {};
  return `data: ${JSON.stringify({ ...head, choices: [choice], ...tail, ...extra })}\n\n`;
}

/** The usage chunk that `stream_options.include_usage` asks for: no choices. */
function usageChunkOf(model: string, usage: Usage): string {
  return `data: ${JSON.stringify({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 0, model, choices: [], usage })}\n\n`;
}

/** An HTTP error in the flavor's shape. */
function errorOf(flavor: FakeFlavor, kind: "not-found" | "loading" | "failing", model: string): { status: number; body: unknown } {
  const status = kind === "not-found" ? 404 : kind === "loading" ? 503 : 500;
  switch (flavor) {
    case "ollama":
      return { status, body: { error: { message: kind === "not-found" ? `model "${model}" not found, try pulling it first` : kind === "loading" ? "server busy, please try again" : "internal error", type: "api_error", param: null, code: null } } };
    case "llamacpp":
      return { status, body: { error: { code: status, message: kind === "not-found" ? "model not found" : kind === "loading" ? "Loading model" : "internal error", type: kind === "not-found" ? "not_found_error" : kind === "loading" ? "unavailable_error" : "server_error" } } };
    case "vllm":
      // vLLM's error object is the body itself, not under "error".
      return { status, body: { object: "error", message: kind === "not-found" ? `The model \`${model}\` does not exist.` : "internal error", type: kind === "not-found" ? "NotFoundError" : "InternalServerError", param: null, code: status } };
    case "lmstudio":
      return { status, body: { error: { message: kind === "not-found" ? `Model "${model}" not found. Load it in LM Studio or enable just-in-time loading.` : "internal error", type: "invalid_request_error", param: "model", code: kind === "not-found" ? "model_not_found" : null } } };
    case "openai":
      return { status, body: { error: { message: kind === "not-found" ? `The model \`${model}\` does not exist or you do not have access to it.` : kind === "loading" ? "overloaded" : "internal error", type: "invalid_request_error", param: null, code: kind === "not-found" ? "model_not_found" : null } } };
  }
}

/** An error inside a 200 SSE stream: most servers send an `error` object as data; llama-server an `error:` line. */
function streamErrorOf(flavor: FakeFlavor): string {
  switch (flavor) {
    case "llamacpp":
      return `error: ${JSON.stringify({ code: 500, message: "the context is full", type: "server_error" })}\n\n`;
    case "vllm":
      return `data: ${JSON.stringify({ error: { object: "error", message: "the context is full", type: "BadRequestError", param: null, code: 400 } })}\n\ndata: [DONE]\n\n`;
    default:
      return `data: ${JSON.stringify({ error: { message: "the context is full", type: "api_error", param: null, code: null } })}\n\n`;
  }
}

function modelListOf(flavor: FakeFlavor, models: readonly string[]): unknown {
  const owner = flavor === "ollama" ? "library" : flavor === "llamacpp" ? "llamacpp" : flavor === "vllm" ? "vllm" : flavor === "lmstudio" ? "organization_owner" : "test";
  return { object: "list", data: models.map((id) => ({ id, object: "model", created: 0, owned_by: owner, ...(flavor === "vllm" ? { root: id, parent: null, max_model_len: 8192 } : {}) })) };
}

export async function startFakeOpenAiServer(options: FakeServerOptions = {}): Promise<FakeOpenAiServer> {
  const timers = new Set<NodeJS.Timeout>();
  const requests: ChatRequestBody[] = [];
  const answers: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const usageSent = { prompt: 0, completion: 0 };
  const flavor = options.flavor ?? "openai";
  let modelListRequests = 0;
  let open = 0;
  let maxConcurrent = 0;
  const state = {
    mode: options.mode ?? "normal",
    queue: [] as FakeMode[],
    usage: options.usage ?? true,
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };

  const respond = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    if (req.method === "GET" && (req.url ?? "").endsWith("/models")) {
      modelListRequests++;
      if (state.mode === "silent") return;
      json(res, 200, modelListOf(flavor, options.models ?? ["fake"]));
      return;
    }
    if (req.method !== "POST" || !(req.url ?? "").endsWith("/chat/completions")) {
      json(res, 404, { error: { message: "not found" } });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      json(res, 400, { error: { message: "bad request" } });
      return;
    }
    requests.push(body);
    authorizations.push(req.headers.authorization);
    open++;
    maxConcurrent = Math.max(maxConcurrent, open);
    res.on("close", () => open--);
    const model = body.model ?? "fake";
    let mode = state.queue.shift() ?? state.mode;
    if (mode === "normal" && options.models !== undefined && flavor !== "llamacpp" && !options.models.includes(model)) mode = "not-found";
    if (mode === "silent") return;
    if (mode === "failing" || mode === "not-found" || mode === "loading" || (mode === "stream-error" && body.stream !== true)) {
      const e = errorOf(flavor, mode === "not-found" || mode === "loading" ? mode : "failing", model);
      json(res, e.status, e.body);
      return;
    }
    if (mode === "rate-limited") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(options.retryAfter ?? 1) }).end(JSON.stringify({ error: { message: "rate limited" } }));
      return;
    }
    const userText = (body.messages ?? []).filter((m) => m.role === "user").map((m) => m.content).join("\n");
    const promoted = mode === "endorse" && PROMOTED_IN_DATA.test(DATA.exec(userText)?.[1] ?? "");
    const answer = mode === "empty" ? "" : promoted ? (ENDORSEMENT_PARAPHRASES[answers.length % ENDORSEMENT_PARAPHRASES.length] as string) : (malformedAnswer(mode) ?? answerFor(body.messages ?? [], mode === "gullible"));
    answers.push(answer);
    const send = (): void => {
      if (res.destroyed) return;
      if (body.stream === true) streamAnswer(res, body, answer, mode);
      else if (mode === "bad-json") res.writeHead(200, { "content-type": "application/json" }).end('{"choices": [{"message": ');
      else if (mode === "wrong-shape") json(res, 200, { result: answer });
      else json(res, 200, completionOf(flavor, model, requests.length, answer, state.usage ? usageOf(body, answer, usageSent) : undefined));
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
    const model = body.model ?? "fake";
    if (mode === "bad-json") {
      res.end("data: {not json\n\n");
      return;
    }
    // llama-server opens with a null content, the others with an empty one.
    res.write(chunkOf(flavor, model, { role: "assistant", content: flavor === "llamacpp" ? null : "" }, null));
    const pieces = answer.match(/\S+\s*/g) ?? [];
    if (mode === "stream-error") {
      if (pieces[0] !== undefined) res.write(chunkOf(flavor, model, { content: pieces[0] }, null));
      res.end(streamErrorOf(flavor));
      return;
    }
    for (const piece of pieces) res.write(chunkOf(flavor, model, { content: piece }, null));
    const usage = state.usage && body.stream_options?.include_usage === true ? usageOf(body, answer, usageSent) : undefined;
    // The last chunk says why the answer ended; llama-server adds its timings there.
    res.write(chunkOf(flavor, model, flavor === "ollama" ? { role: "assistant", content: "" } : {}, "stop", flavor === "llamacpp" ? { timings: { predicted_n: pieces.length } } : {}));
    if (usage !== undefined) res.write(usageChunkOf(model, usage));
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
    authorizations,
    get modelListRequests() {
      return modelListRequests;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
