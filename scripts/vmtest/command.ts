/**
 * `frigate-auth vm-test`: builds the flake's NixOS VM tests and evaluation
 * checks with nix, streams their logs with the check name in front of each
 * line, keeps each full log in reports/vm-test/<time>/ and prints a summary.
 * Exit code 0 when every check passed, 1 when one failed, 2 for a usage
 * error and 3 when Nix, KVM or a system feature is missing.
 */
import { execa } from "execa";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";

import { exitCodes, UsageError } from "../lib/errors.ts";
import { formatCommand } from "../lib/exec.ts";
import { log, type Logger } from "../lib/log.ts";
import {
  checkKvm,
  checkSystemFeatures,
  defaultEnvironment,
  EnvironmentError,
  findNix,
  parseSystemFeatures,
  type Environment,
} from "./environment.ts";
import {
  buildStreaming,
  checksAttribute,
  listChecks,
  readNixConfig,
  type NixContext,
} from "./nix.ts";
import { parseOptions, usageText, type VmTestOptions } from "./options.ts";
import { formatSummary, writeSummaryFiles, type CheckResult } from "./report.ts";

export interface VmTestDependencies {
  environment?: Environment;
  cwd?: string;
  reportsDir?: string;
  logger?: Logger;
  now?: () => Date;
}

export async function main(argv: string[], dependencies: VmTestDependencies = {}): Promise<number> {
  const options = parseOptions(argv);
  const logger = dependencies.logger ?? log;
  if (options.help) {
    logger.result(usageText);
    return 0;
  }
  if (options.verbose) logger.level = "debug";

  const environment = dependencies.environment ?? defaultEnvironment();
  const cwd = dependencies.cwd ?? process.cwd();

  const context = await prepareNix(environment, cwd, logger);
  await requireFlakeLock(cwd);

  const known = await listChecks(context);
  const names = selectChecks(options, known);

  const reportDir = await makeReportDir(dependencies, cwd);
  logger.info(`logs go to ${reportDir}`);

  if (options.interactive) return runInteractive(context, names[0]!, reportDir);

  const results = await runChecks(context, names, options, reportDir);

  logger.result(formatSummary(results));
  await writeSummaryFiles(reportDir, results);
  return results.every((result) => result.outcome === "passed") ? 0 : exitCodes.checksFailed;
}

/** Finds nix and checks KVM and the system features, in the order a user fixes them. */
async function prepareNix(environment: Environment, cwd: string, logger: Logger) {
  const nix = await findNix(environment.searchPath);
  await checkKvm(environment.kvmDevice);

  const context: NixContext = {
    nix,
    cwd,
    env: { ...process.env, PATH: environment.searchPath },
    logger,
  };
  checkSystemFeatures(parseSystemFeatures(await readNixConfig(context)));
  return context;
}

export function selectChecks(options: VmTestOptions, known: readonly string[]): string[] {
  if (options.names.length === 0) return [...known];

  const unknown = options.names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown check ${unknown.map((name) => `"${name}"`).join(", ")}`, {
      hint: `known checks: ${known.join(", ")}`,
    });
  }

  return options.names;
}

async function makeReportDir(dependencies: VmTestDependencies, cwd: string): Promise<string> {
  const stamp = (dependencies.now ?? (() => new Date()))()
    .toISOString()
    .replaceAll(":", "-")
    .replace(/\.\d+Z$/, "Z");
  const reportDir = path.join(
    dependencies.reportsDir ?? path.join(cwd, "reports"),
    "vm-test",
    stamp,
  );
  await mkdir(reportDir, { recursive: true });
  return reportDir;
}

async function runChecks(
  context: NixContext,
  names: readonly string[],
  options: VmTestOptions,
  reportDir: string,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let stop = false;

  for (const name of names) {
    if (stop) {
      results.push({ name, outcome: "not run", seconds: 0, logFile: undefined });
      continue;
    }

    const logFile = path.join(reportDir, `${name}.log`);
    const started = performance.now();
    const build = await buildStreaming(context, `${checksAttribute}.${name}`, name, logFile);
    const seconds = (performance.now() - started) / 1000;

    const outcome = build.exitCode === 0 ? "passed" : "failed";
    results.push({ name, outcome, seconds, logFile });
    if (outcome === "failed") {
      context.logger.error(`${name} failed (nix exit code ${build.exitCode}); log: ${logFile}`);
      stop = !options.keepGoing;
    }
  }

  return results;
}

/** Builds NAME's interactive driver and hands the terminal to it. */
async function runInteractive(context: NixContext, name: string, reportDir: string) {
  const logFile = path.join(reportDir, `${name}.driverInteractive.log`);
  const attribute = `${checksAttribute}.${name}.driverInteractive`;
  const build = await buildStreaming(context, attribute, name, logFile);
  const outPath = build.outPaths[0];
  if (build.exitCode !== 0 || outPath === undefined) {
    context.logger.error(`building ${attribute} failed; log: ${logFile}`);
    return exitCodes.checksFailed;
  }

  const driver = path.join(outPath, "bin", "nixos-test-driver");
  context.logger.command(formatCommand(driver, []));
  const result = await execa(driver, [], {
    cwd: context.cwd,
    env: context.env,
    stdio: "inherit",
    reject: false,
  });
  return result.exitCode ?? exitCodes.checksFailed;
}

/**
 * Stops before Nix would try to lock the flake's inputs over the network:
 * without flake.lock, `nix eval .#checks` fetches nixpkgs first.
 */
async function requireFlakeLock(cwd: string): Promise<void> {
  try {
    await access(path.join(cwd, "flake.lock"));
  } catch {
    throw new EnvironmentError(
      `flake.lock is missing in ${cwd}, so nix would first download and lock nixpkgs`,
      "run `nix flake lock` once on a machine that can reach GitHub (or `nix flake lock --override-input nixpkgs PATH` with a local nixpkgs), then rerun",
    );
  }
}
