/**
 * Runs external programs through execa. Each command is echoed before it runs;
 * a non-zero exit becomes a CommandFailedError with the command line and stderr.
 */
import { execa, type Options as ExecaOptions } from "execa";
import { access, constants } from "node:fs/promises";
import path from "node:path";

import { CommandFailedError, MissingCommandError, type ErrorCode } from "./errors.ts";
import { log, type Logger } from "./log.ts";

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  logger?: Logger;
  /** Echo the command at debug level only (for chatty internal calls). */
  quiet?: boolean;
  /** Error code used when the command fails. */
  errorCode?: ErrorCode;
  hint?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Quotes an argument for display so the echoed line can be pasted into a shell. */
export function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`;
}

export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteArgument).join(" ");
}

/** Runs a command to completion and returns its output; throws CommandFailedError on failure. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const logger = options.logger ?? log;
  const line = formatCommand(file, args);
  if (options.quiet) logger.debug(`$ ${line}`);
  else logger.command(line);

  const execaOptions: ExecaOptions = {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    timeout: options.timeoutMs,
    reject: false,
    stripFinalNewline: false,
  };
  const result = await execa(file, args, execaOptions);
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");

  if (result.failed && result.exitCode === undefined) {
    const cause = result.cause ?? result;
    if (isMissingExecutable(cause)) {
      throw new MissingCommandError(
        file,
        options.hint ?? `install ${file} and make sure it is on PATH`,
      );
    }

    throw new CommandFailedError(line, undefined, stderr || (result.message ?? ""), {
      code: options.errorCode,
      hint: result.timedOut ? `the command timed out after ${options.timeoutMs} ms` : options.hint,
      cause,
    });
  }

  if (result.exitCode !== 0) {
    throw new CommandFailedError(line, result.exitCode, stderr, {
      code: options.errorCode,
      hint: options.hint,
    });
  }

  return { stdout, stderr, exitCode: 0 };
}

function isMissingExecutable(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    (error as { code?: unknown }).code === "ENOENT"
  );
}

/** Returns the absolute path of an executable on PATH, or undefined when there is none. */
export async function findExecutable(
  name: string,
  searchPath: string = process.env["PATH"] ?? "",
): Promise<string | undefined> {
  if (name.includes("/")) {
    return (await isExecutable(name)) ? path.resolve(name) : undefined;
  }

  for (const directory of searchPath.split(path.delimiter)) {
    if (!directory) continue;

    const candidate = path.join(directory, name);
    if (await isExecutable(candidate)) return candidate;
  }

  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
