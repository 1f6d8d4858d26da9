import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerfileParser, type Copy, type Dockerfile, type Env, type From, type ImageTemplate, type JSONInstruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUntilSigint } from "../helpers/demo-until-sigint.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TEXT = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const DOCKERFILE: Dockerfile = DockerfileParser.parse(TEXT);
const STAGES: ImageTemplate[] = DOCKERFILE.getFROMs().map((f) => DOCKERFILE.getContainingImage(f.getRange().start) as ImageTemplate);
/** A stage's own FROM (the parser's stage type holds only that one). */
const fromOf = (s: ImageTemplate): From => {
  const froms = s.getFROMs();
  if (froms.length !== 1 || froms[0] === undefined) throw new Error(`a stage with ${froms.length} FROMs`);
  return froms[0];
};
const stageName = (s: ImageTemplate): string => fromOf(s).getBuildStage() ?? "";
const finalStage = (): ImageTemplate => STAGES[STAGES.length - 1] as ImageTemplate;
/** The LSP severity of an error (vscode-languageserver-types' DiagnosticSeverity.Error). */
const ERROR_SEVERITY = 1;

/** An exec-form instruction's strings (`["node", "dist/cli.js"]`), or a HEALTHCHECK's `CMD [...]` part. */
function execForm(instruction: JSONInstruction): string[] {
  return instruction.getJSONStrings().map((s) => s.getJSONValue());
}
function healthcheckCommand(stage: ImageTemplate): string[] {
  const hc = stage.getHEALTHCHECKs().at(-1);
  const content = hc?.getArgumentsContent() ?? "";
  const at = content.search(/(^|\s)CMD\s+\[/);
  if (at < 0) throw new Error(`HEALTHCHECK is not in exec form: ${content}`);
  return JSON.parse(content.slice(content.indexOf("[", at))) as string[];
}
function stageEnv(stage: ImageTemplate): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of stage.getENVs() as Env[]) for (const p of e.getProperties()) env[p.getName()] = p.getValue() ?? "";
  return env;
}
const nodeMajorOf = (range: string | undefined): number | undefined => {
  const m = /(\d+)/.exec(range ?? "");
  return m === null ? undefined : Number(m[1]);
};

/** This process's environment as a clean shell's: no vitest marks, no NODE_ENV of the test runner's. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const k of Object.keys(env)) if (k === "NODE_ENV" || k.startsWith("VITEST") || k === "TEST") delete env[k];
  return env;
}

interface Replay {
  dirs: Map<string, string>;
  skipped: string[];
}

/**
 * Replays the Dockerfile's stages, instruction by instruction as the parser gives them, in `scratch/<stage>`: the
 * stage's WORKDIR maps to that folder; COPY copies from the repository (or, with --from, from that stage's folder);
 * RUN runs through `sh -c` there with npm offline (the cache `npm ci` filled; tests talk only to loopback). Anything
 * the replay cannot map throws, so a new kind of instruction fails this test instead of being ignored.
 */
function replay(scratch: string): Replay {
  const dirs = new Map<string, string>();
  const skipped: string[] = [];
  const workdirs = new Map<string, string>();
  for (const stage of STAGES) {
    const name = stageName(stage);
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    dirs.set(name, dir);
    let workdir = "/";
    const env: NodeJS.ProcessEnv = { ...baseEnv(), npm_config_offline: "true" };
    /** A path inside the image, mapped to the stage's folder; only the WORKDIR's tree can be mapped. */
    const inStage = (stageDir: string, stageWorkdir: string, p: string): string => {
      const abs = posix.resolve(stageWorkdir, p);
      const rel = posix.relative(stageWorkdir, abs);
      if (rel.startsWith("..")) throw new Error(`${p} is outside WORKDIR ${stageWorkdir}`);
      return join(stageDir, rel);
    };
    for (const ins of stage.getInstructions()) {
      const keyword = ins.getKeyword();
      const args = ins.getArgumentsContent() ?? "";
      switch (keyword) {
        case "FROM":
        case "VOLUME":
        case "USER":
        case "EXPOSE":
        case "HEALTHCHECK":
        case "ENTRYPOINT":
        case "CMD":
          break; // metadata of the image: no file changes (asserted or run below)
        case "ENV":
          Object.assign(env, stageEnv(stage)); // one stage has few ENVs: all of them hold from the first on
          break;
        case "WORKDIR":
          workdir = posix.resolve(workdir, args);
          workdirs.set(name, workdir);
          break;
        case "COPY": {
          const copy = ins as Copy;
          const from = copy.getFromFlag()?.getValue() ?? null;
          const paths = copy.getArguments().map((a) => a.getValue()).filter((v) => !v.startsWith("--"));
          const dest = paths.pop() ?? "";
          const target = inStage(dir, workdir, dest);
          for (const src of paths) {
            let source: string;
            if (from === null) source = join(ROOT, src);
            else {
              const fromDir = dirs.get(from);
              if (fromDir === undefined) throw new Error(`COPY --from=${from}: no such earlier stage`);
              source = inStage(fromDir, workdirs.get(from) ?? "/", src);
            }
            if (!existsSync(source)) throw new Error(`COPY ${src}: ${source} does not exist`);
            if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true, verbatimSymlinks: true });
            else {
              const file = dest.endsWith("/") || paths.length > 1 ? join(target, basename(src)) : target;
              mkdirSync(join(file, ".."), { recursive: true });
              cpSync(source, file);
            }
          }
          break;
        }
        case "RUN": {
          // A command on absolute system paths (the mkdir/chown of /var/lib/chatstream) needs root and the image's
          // `node` user: it cannot run in a temp folder, so it is skipped and listed; the test pins that list.
          if (/(^|[\s=])\/(?!app(\/|\s|$))/.test(args)) {
            skipped.push(args);
            break;
          }
          execFileSync("sh", ["-c", args], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
          break;
        }
        default:
          throw new Error(`the replay does not know ${keyword} (${args}): teach it, the image build changed`);
      }
    }
  }
  return { dirs, skipped };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

describe("the Dockerfile", () => {
  it("lints clean: dockerfile-utils reports no error", () => {
    const errors = validate(TEXT).filter((d) => d.severity === ERROR_SEVERITY);
    expect(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("promises a non-root user, a /healthz check, `node dist/cli.js demo`, and the node major of package.json's engines", () => {
    expect(STAGES.map(stageName)).toEqual(["build", "runtime"]);
    const last = finalStage();
    const users = last.getInstructions().filter((i) => i.getKeyword() === "USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.getArgumentsContent()).not.toMatch(/^(root|0)(:|$)/);
    const hc = healthcheckCommand(last);
    expect(hc.join(" ")).toContain("process.env.CHATSTREAM_HEALTHCHECK_URL");
    expect(stageEnv(last).CHATSTREAM_HEALTHCHECK_URL).toMatch(/^http:\/\/[^/]+\/healthz$/);
    expect(execForm(last.getENTRYPOINTs().at(-1) as JSONInstruction)).toEqual(["node", "dist/cli.js"]);
    expect(execForm(last.getCMDs().at(-1) as JSONInstruction)).toEqual(["demo"]);
    const engines = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
    if (engines !== undefined) {
      for (const s of STAGES) {
        const from = fromOf(s);
        expect(from.getImageName()).toBe("node");
        expect(nodeMajorOf(from.getImageTag() ?? undefined)).toBe(nodeMajorOf(engines));
      }
    }
  });
});

/** The image's build replayed without a container engine: the same commands, in a clean temp folder. */
describe("the image's build steps, replayed in a clean folder", () => {
  let scratch: string;
  let result: Replay;
  let runtime: string;
  const last = finalStage();
  const entrypoint = execForm(last.getENTRYPOINTs().at(-1) as JSONInstruction);
  const cmd = execForm(last.getCMDs().at(-1) as JSONInstruction);
  const runtimeEnv = (): NodeJS.ProcessEnv => ({ ...baseEnv(), ...stageEnv(last) });
  /** The image's `node` is the one on PATH there; here it is this process's node. */
  const bin = (c: string): string => (c === "node" ? process.execPath : c);

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "chatstream-docker-test-"));
    result = replay(scratch);
    runtime = result.dirs.get(stageName(last)) ?? "";
  }, 300_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("skips only the RUN on system paths (it needs root and the image's node user)", () => {
    expect(result.skipped).toEqual(["mkdir -p /var/lib/chatstream && chown node:node /var/lib/chatstream"]);
  });

  it("leaves the compiled code and production dependencies only: no sources, no dev dependency", () => {
    expect(existsSync(join(runtime, "dist", "cli.js"))).toBe(true);
    expect(existsSync(join(runtime, "src"))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const devOnly = Object.keys(pkg.devDependencies).filter((d) => !(d in pkg.dependencies));
    expect(devOnly).toContain("vitest");
    expect(devOnly.filter((d) => existsSync(join(runtime, "node_modules", d)))).toEqual([]);
    for (const d of Object.keys(pkg.dependencies)) expect(existsSync(join(runtime, "node_modules", d)), d).toBe(true);
  });

  it("the ENTRYPOINT + CMD runs the demo: three JSON records, then exit 0 on SIGINT", async () => {
    const [command = "", ...rest] = entrypoint;
    const { code, signal, records } = await demoUntilSigint(bin(command), [...rest, ...cmd, "--sink", "jsonl"], { cwd: runtime, env: runtimeEnv() });
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(records.slice(0, 3).every((x) => typeof x === "object" && x !== null && "channel" in x)).toBe(true);
  }, 60_000);

  it("the HEALTHCHECK command exits 0 against a served run's /healthz and 1 against a closed port", async () => {
    const [command = "", ...rest] = entrypoint;
    // A served run reading chat from stdin (kept open), as `run --serve 0.0.0.0:8080 …` in the image, on port 0 here.
    const child = spawn(bin(command), [...rest, "run", "-i", "-", "-f", "jsonl", "--speed", "1", "--sink", "jsonl:/dev/null", "--serve", "127.0.0.1:0"], { cwd: runtime, env: runtimeEnv(), stdio: ["pipe", "ignore", "pipe"] });
    try {
      let stderr = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "serving on" within 20 s: ${stderr}`)), 20_000);
        child.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before serving: ${stderr}`)));
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString("utf8");
          const found = /serving on (http:\/\/\S+)/.exec(stderr)?.[1];
          if (found === undefined) return;
          clearTimeout(timer);
          resolve(found);
        });
      });
      const [hcCommand = "", ...hcArgs] = healthcheckCommand(last);
      const check = (target: string): number | null => spawnSync(bin(hcCommand), hcArgs, { cwd: runtime, env: { ...runtimeEnv(), CHATSTREAM_HEALTHCHECK_URL: target }, timeout: 10_000 }).status;
      expect(check(new URL("/healthz", url).href)).toBe(0);
      expect(check(`http://127.0.0.1:${await freePort()}/healthz`)).toBe(1);
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);
});
