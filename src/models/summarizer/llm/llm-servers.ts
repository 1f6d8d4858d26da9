/**
 * The OpenAI-compatible servers `--summarizer NAME:MODEL` names: the OpenAI API itself and the local servers a
 * privacy-minded user runs, each on its own default port on loopback, none needing a key (docs/llm.md).
 */
export interface LlmServer {
  /** `--summarizer NAME:MODEL`. */
  name: string;
  /** What the server is, for messages and docs. */
  label: string;
  /** Where it listens by default; undefined: the OpenAI API. */
  baseURL: string | undefined;
  /** Environment variables naming another base URL, first set wins. */
  baseUrlEnv: readonly string[];
  /** Environment variables holding the key the server was started with, first set wins (local servers need none). */
  keyEnv: readonly string[];
  /** Clock ms one request may take: a local model on a CPU reads a 1,200-token prompt in seconds, not milliseconds. */
  timeoutMs: number;
  /** Clock ms the warm-up request of a hot-swap may take: a local server loads the model on its first request. */
  warmUpTimeoutMs: number;
  /** Requests `chatstream digest` keeps in flight by default: local servers mostly answer one at a time. */
  concurrency: number;
}

/** A local server's base URL for every preset at once (e.g. a server on another port or machine). */
export const LOCAL_BASE_URL_ENV = "CHATSTREAM_LLM_BASE_URL";

const LOCAL = { baseUrlEnv: [LOCAL_BASE_URL_ENV], timeoutMs: 30_000, warmUpTimeoutMs: 120_000, concurrency: 1 } as const;

export const LLM_SERVERS: readonly LlmServer[] = [
  { name: "openai", label: "OpenAI API (or any OpenAI-compatible server at OPENAI_BASE_URL)", baseURL: undefined, baseUrlEnv: ["OPENAI_BASE_URL"], keyEnv: ["OPENAI_API_KEY"], timeoutMs: 8_000, warmUpTimeoutMs: 30_000, concurrency: 4 },
  { name: "ollama", label: "Ollama", baseURL: "http://127.0.0.1:11434/v1", keyEnv: [], ...LOCAL },
  // llama-server reads its key from LLAMA_API_KEY (--api-key); vLLM from VLLM_API_KEY (--api-key).
  { name: "llamacpp", label: "llama.cpp llama-server", baseURL: "http://127.0.0.1:8080/v1", keyEnv: ["LLAMA_API_KEY"], ...LOCAL },
  { name: "vllm", label: "vLLM", baseURL: "http://127.0.0.1:8000/v1", keyEnv: ["VLLM_API_KEY"], ...LOCAL },
  { name: "lmstudio", label: "LM Studio", baseURL: "http://127.0.0.1:1234/v1", keyEnv: [], ...LOCAL },
];

export function llmServer(name: string): LlmServer | undefined {
  return LLM_SERVERS.find((s) => s.name === name);
}

/** `ollama:llama3.1:8b` → the Ollama preset and model `llama3.1:8b` (the model keeps its own colons). */
export function parseLlmSpec(spec: string): { server: LlmServer; model: string } | undefined {
  const colon = spec.indexOf(":");
  const server = llmServer(colon < 0 ? spec : spec.slice(0, colon));
  if (server === undefined) return undefined;
  return { server, model: colon < 0 ? "" : spec.slice(colon + 1) };
}
