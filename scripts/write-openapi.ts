// Regenerates docs/openapi.yaml and docs/asyncapi.yaml from the server's route schemas (src/server/api-schemas.ts).
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { asyncApiDocument } from "../src/server/api-schemas.js";
import { openApiDocument } from "../src/server/openapi.js";

const openapi = new URL("../docs/openapi.yaml", import.meta.url);
writeFileSync(openapi, stringify(await openApiDocument()));
const asyncapi = new URL("../docs/asyncapi.yaml", import.meta.url);
writeFileSync(asyncapi, stringify(asyncApiDocument()));
process.stdout.write(`wrote ${openapi.pathname} and ${asyncapi.pathname}\n`);
