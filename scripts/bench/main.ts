/**
 * Benchmark: the wall time of one full verify matrix, and the throughput of an
 * authenticated API path against the same path with the auth subrequest
 * turned off, both through real nginx with the stand-ins.
 *
 *   npm run bench [-- --runs 3 --seconds 5 --connections 16 --out docs/benchmark-results.json]
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { exitCodeOf, formatError, UsageError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { log, Logger } from "../lib/log.ts";
import type { GeneratedVhost } from "../nix/evaluate.ts";
import { findNginx } from "../nginx/process.ts";
import { runVerify, startVerifyEnvironment } from "../verify/pipeline.ts";
import { bundledScenarios } from "../verify/scenarios/index.ts";
import { generateLoad, type LoadResult } from "./load.ts";

const benchmarkPath = "/api/stats";

const benchUsage = `usage: npm run bench -- [options]

Times one full verify matrix (oauth2-proxy) and compares the throughput of
GET ${"/api/stats"} with and without the auth subrequest, through real nginx.

options:
  --runs N          matrix runs; the median is reported (default 3)
  --seconds N       length of each throughput run, in seconds (default 5)
  --connections N   keep-alive connections of the load generator (default 16)
  --out FILE        also write the figures as JSON
  -h, --help        show this help`;

/** Removes the auth subrequest from /api/stats, for the baseline without auth. */
function withoutAuth(vhost: GeneratedVhost): GeneratedVhost {
  const copy = structuredClone(vhost);
  const location = copy.virtualHost.locations[benchmarkPath]!;
  location.extraConfig = (location.extraConfig ?? "")
    .split("\n")
    .filter(
      (line) =>
        !/^(auth_request|auth_request_set|error_page 401|add_header Set-Cookie)\b/.test(line),
    )
    .join("\n");
  return copy;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;

  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    throw new UsageError(`invalid --${name} "${value}"`, {
      hint: `use a whole number greater than 0`,
    });
  }
  return number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measureThroughput(
  label: string,
  mutate: ((vhost: GeneratedVhost) => GeneratedVhost) | undefined,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const scenario = bundledScenarios["oauth2-proxy"];
  const quiet = new Logger({ level: "error" });
  const environment = await startVerifyEnvironment({ scenario, logger: quiet, mutate });

  try {
    log.info(`measuring ${label}: ${connections} connections for ${seconds} s on ${benchmarkPath}`);
    return await generateLoad({
      port: environment.matrix.port,
      path: benchmarkPath,
      headers: environment.matrix.sessionHeaders(scenario.users.admin),
      connections,
      durationMs: seconds * 1000,
    });
  } finally {
    await environment.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: "string" },
        seconds: { type: "string" },
        connections: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { hint: "run `npm run bench -- --help`" });
  }

  if (values.help) {
    log.result(benchUsage);
    return 0;
  }
  const runs = positiveInteger("runs", values.runs, 3);
  const seconds = positiveInteger("seconds", values.seconds, 5);
  const connections = positiveInteger("connections", values.connections, 16);

  const matrixSeconds: number[] = [];
  for (let run = 1; run <= runs; run += 1) {
    const { report } = await runVerify({
      scenario: bundledScenarios["oauth2-proxy"],
      logger: new Logger({ level: "error" }),
    });
    if (report.failed > 0)
      throw new UsageError(`the matrix failed ${report.failed} checks; fix verify first`);
    matrixSeconds.push(report.seconds);
    log.info(
      `matrix run ${run}/${runs}: ${report.results.length} probes in ${report.seconds.toFixed(2)} s`,
    );
  }

  const authenticated = await measureThroughput(
    "with auth_request",
    undefined,
    seconds,
    connections,
  );
  const open = await measureThroughput("without auth_request", withoutAuth, seconds, connections);

  const nginx = await findNginx();
  const { stderr } = await runCommand(nginx, ["-v"], { quiet: true });
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      nginx: stderr.trim(),
    },
    matrix: { runs, medianSeconds: median(matrixSeconds), seconds: matrixSeconds },
    throughput: { path: benchmarkPath, connections, seconds, authenticated, withoutAuth: open },
  };

  const ratio = authenticated.requestsPerSecond / open.requestsPerSecond;
  log.result(
    `full matrix (oauth2-proxy): median ${result.matrix.medianSeconds.toFixed(2)} s over ${runs} runs`,
  );
  log.result(
    `${benchmarkPath} with auth_request:    ${authenticated.requestsPerSecond.toFixed(0)} req/s, p50 ${authenticated.p50.toFixed(2)} ms, p99 ${authenticated.p99.toFixed(2)} ms`,
  );
  log.result(
    `${benchmarkPath} without auth_request: ${open.requestsPerSecond.toFixed(0)} req/s, p50 ${open.p50.toFixed(2)} ms, p99 ${open.p99.toFixed(2)} ms`,
  );
  log.result(`auth_request keeps ${(ratio * 100).toFixed(0)} % of the throughput`);

  if (values.out) {
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    log.info(`wrote ${values.out}`);
  }

  const failures = authenticated.errors + authenticated.nonSuccess + open.errors + open.nonSuccess;
  if (failures > 0) {
    log.error(
      `${failures} request(s) failed or returned a non-2xx status during the load; the figures are not valid`,
    );
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  log.error(formatError(error));
  process.exitCode = exitCodeOf(error);
}
