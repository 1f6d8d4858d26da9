// The modules the in-process quiet-channel benchmarks drive, from this tree's src/ or from another build's dist/
// (DIST, given on their command lines), so two builds can be compared in turn.
import type * as RouterModule from "../src/pipeline/pipeline-router.js";
import type * as ModelSetupModule from "../src/commands/model-setup.js";
import type * as JsonlModule from "../src/sinks/jsonl-sink.js";
import type * as ServerSinkModule from "../src/server/server-sink.js";

export interface QuietBuild {
  PipelineRouter: typeof RouterModule.PipelineRouter;
  setUpModels: typeof ModelSetupModule.setUpModels;
  JsonlSink: typeof JsonlModule.JsonlSink;
  ServerSink: typeof ServerSinkModule.ServerSink;
}

export async function loadQuietBuild(dist: string | undefined): Promise<QuietBuild> {
  const from = (path: string): string => (dist === undefined ? `../src/${path}.js` : `${dist}/${path}.js`);
  const { PipelineRouter } = (await import(from("pipeline/pipeline-router"))) as typeof RouterModule;
  const { setUpModels } = (await import(from("commands/model-setup"))) as typeof ModelSetupModule;
  const { JsonlSink } = (await import(from("sinks/jsonl-sink"))) as typeof JsonlModule;
  const { ServerSink } = (await import(from("server/server-sink"))) as typeof ServerSinkModule;
  return { PipelineRouter, setUpModels, JsonlSink, ServerSink };
}
