/**
 * The `frigate-auth` command line: one subcommand per job. Each subcommand
 * module exports `main(argv)` and returns the exit code; errors thrown from it
 * are printed with their code and hint.
 */
import { exitCodeOf, formatError, UsageError } from "./lib/errors.ts";
import { log } from "./lib/log.ts";

type CommandMain = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<CommandMain> }> = {
  verify: {
    summary: "prove the generated Frigate vhost with real nginx and stand-in servers",
    load: async () => (await import("./verify/command.ts")).main,
  },
  "vm-test": {
    summary: "build and run the NixOS VM tests (needs Nix and KVM)",
    load: async () => (await import("./vmtest/command.ts")).main,
  },
  docs: {
    summary: "generate docs/options.md and the option types from the module",
    load: async () => (await import("./docs/command.ts")).main,
  },
  pr: {
    summary: "apply the change to a nixpkgs checkout and write the pull request text",
    load: async () => (await import("./pr/command.ts")).main,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return [
    "usage: frigate-auth <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `frigate-auth <command> --help` for a command's options.",
  ].join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    log.result(usage());
    return name === undefined ? 2 : 0;
  }

  const command = commands[name];
  if (command === undefined) {
    throw new UsageError(`unknown command "${name}"`, {
      hint: `use one of: ${Object.keys(commands).join(", ")}`,
    });
  }

  const main = await command.load();
  return main(rest);
}

const isEntryPoint = import.meta.url === `file://${process.argv[1]}`;
if (isEntryPoint) {
  try {
    process.exitCode = await runCli(process.argv.slice(2));
  } catch (error) {
    log.error(formatError(error));
    process.exitCode = exitCodeOf(error);
  }
}
