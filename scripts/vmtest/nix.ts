/**
 * The nix invocations of `vm-test`: reading the configuration, listing the
 * flake's checks and building one check with its log streamed line by line.
 */
import { execa } from "execa";
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";

import { formatCommand, runCommand } from "../lib/exec.ts";
import type { Logger } from "../lib/log.ts";

/** Flakes and the `nix` command are experimental in every Nix release as of 2026-12. */
export const experimentalFeatures = ["--extra-experimental-features", "nix-command flakes"];

export const checksAttribute = ".#checks.x86_64-linux";

export interface NixContext {
  nix: string;
  cwd: string;
  env: Record<string, string | undefined>;
  logger: Logger;
}

/** Returns `nix config show --json`, falling back to `nix show-config --json` (Nix < 2.20). */
export async function readNixConfig(context: NixContext): Promise<string> {
  const run = (args: string[]) =>
    runCommand(context.nix, [...experimentalFeatures, ...args], {
      cwd: context.cwd,
      env: context.env,
      logger: context.logger,
    });

  try {
    return (await run(["config", "show", "--json"])).stdout;
  } catch {
    return (await run(["show-config", "--json"])).stdout;
  }
}

export async function listChecks(context: NixContext): Promise<string[]> {
  const { stdout } = await runCommand(
    context.nix,
    [...experimentalFeatures, "eval", checksAttribute, "--apply", "builtins.attrNames", "--json"],
    { cwd: context.cwd, env: context.env, logger: context.logger },
  );
  return (JSON.parse(stdout) as unknown[]).map(String);
}

export function buildArguments(attribute: string): string[] {
  return [...experimentalFeatures, "build", attribute, "-L", "--no-link", "--print-out-paths"];
}

export interface BuildResult {
  exitCode: number;
  outPaths: string[];
}

/**
 * Builds one attribute. Every line nix prints goes to the log file and, with
 * the prefix `[label]`, to the logger; stdout lines are the output paths.
 */
export async function buildStreaming(
  context: NixContext,
  attribute: string,
  label: string,
  logFile: string,
): Promise<BuildResult> {
  const args = buildArguments(attribute);
  context.logger.command(formatCommand(context.nix, args));

  const log = createWriteStream(logFile);
  const subprocess = execa(context.nix, args, {
    cwd: context.cwd,
    env: context.env,
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: "ignore",
  });

  const outPaths: string[] = [];
  const prefix = context.logger.paint("cyan", `[${label}]`);
  const follow = async (stream: NodeJS.ReadableStream | null, isStdout: boolean) => {
    if (stream === null) return;

    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      log.write(`${line}\n`);
      if (isStdout && line.startsWith("/")) outPaths.push(line);
      context.logger.info(`${prefix} ${line}`);
    }
  };

  await Promise.all([follow(subprocess.stdout, true), follow(subprocess.stderr, false)]);
  const result = await subprocess;
  await new Promise<void>((resolve) => log.end(resolve));

  const exitCode = result.exitCode ?? 1;
  return { exitCode, outPaths };
}
