// Regenerates schema/chatstream-output.schema.json from src/schema/output-schema.ts (the one source of truth).
import { writeFileSync } from "node:fs";
import { outputSchemaDocument } from "../src/schema/output-schema.js";

const path = new URL("../schema/chatstream-output.schema.json", import.meta.url);
writeFileSync(path, JSON.stringify(outputSchemaDocument(), null, 2) + "\n");
process.stdout.write(`wrote ${path.pathname}\n`);
