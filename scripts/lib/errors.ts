/**
 * Error classes with stable codes. Every message names the input that failed,
 * echoes the bad value and says what to do next; the `hint` is printed on its
 * own line by the CLI.
 */

export type ErrorCode =
  | "E_USAGE"
  | "E_CONFIG"
  | "E_COMMAND_FAILED"
  | "E_COMMAND_MISSING"
  | "E_NIX_EVAL"
  | "E_NGINX"
  | "E_TIMEOUT"
  | "E_CHECKOUT"
  | "E_UNSUPPORTED_UPSTREAM"
  | "E_STALE"
  | "E_INTERNAL";

/** Exit codes the CLI uses; 1 is reserved for "ran, and a check failed". */
export const exitCodes = {
  checksFailed: 1,
  usage: 2,
  environment: 3,
  internal: 70,
} as const;

export class ToolkitError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; exitCode?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? exitCodes.usage;
  }
}

/** A command-line argument or configuration value that is invalid. */
export class UsageError extends ToolkitError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("E_USAGE", message, { ...options, exitCode: exitCodes.usage });
  }
}

/** A configuration file or value that fails validation. */
export class ConfigError extends ToolkitError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("E_CONFIG", message, { ...options, exitCode: exitCodes.usage });
  }
}

/** A program the toolkit needs (nix, nginx, git) is not installed or not usable. */
export class MissingCommandError extends ToolkitError {
  readonly command: string;

  constructor(command: string, hint: string) {
    super("E_COMMAND_MISSING", `${command} not found on PATH`, {
      hint,
      exitCode: exitCodes.environment,
    });
    this.command = command;
  }
}

/** A subprocess that exited non-zero; the message carries its command line and stderr. */
export class CommandFailedError extends ToolkitError {
  readonly command: string;
  readonly exitStatus: number | undefined;
  readonly stderr: string;

  constructor(
    command: string,
    exitStatus: number | undefined,
    stderr: string,
    options: { hint?: string; code?: ErrorCode; cause?: unknown } = {},
  ) {
    const tail = stderr.trim().split("\n").slice(-20).join("\n");
    super(
      options.code ?? "E_COMMAND_FAILED",
      `command failed with exit code ${exitStatus ?? "unknown"}: ${command}` +
        (tail ? `\n${tail}` : ""),
      { hint: options.hint, cause: options.cause, exitCode: exitCodes.environment },
    );
    this.command = command;
    this.exitStatus = exitStatus;
    this.stderr = stderr;
  }
}

/** Formats a thrown value for the terminal: message and code, then the hint when there is one. */
export function formatError(error: unknown): string {
  if (error instanceof ToolkitError) {
    const hint = error.hint ? `\nhint: ${error.hint}` : "";
    return `${error.message} (${error.code})${hint}`;
  }

  if (error instanceof Error) {
    return `${error.stack ?? error.message} (E_INTERNAL)`;
  }

  return `${String(error)} (E_INTERNAL)`;
}

/** Returns the exit code for a thrown value. */
export function exitCodeOf(error: unknown): number {
  return error instanceof ToolkitError ? error.exitCode : exitCodes.internal;
}
