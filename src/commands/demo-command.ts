import { fileURLToPath } from "node:url";

/** The bundled scripted stream (yt-dlp live_chat.json, gzipped), written by scripts/generate-demo.ts. */
export const DEMO_CHAT_PATH = fileURLToPath(new URL("../../demo/demo.live_chat.json.gz", import.meta.url));
