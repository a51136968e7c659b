/** Command-line options of `frigate-auth vm-test`. */
import { UsageError } from "../lib/errors.ts";

export interface VmTestOptions {
  /** Check names as given; empty means every check of the flake. */
  names: string[];
  interactive: boolean;
  keepGoing: boolean;
  verbose: boolean;
  help: boolean;
}

export const usageText = [
  "usage: frigate-auth vm-test [NAME...] [--interactive] [--keep-going] [--verbose]",
  "",
  "Builds the flake's checks.x86_64-linux.NAME (every check when no NAME is given),",
  "which runs the NixOS VM tests and the evaluation checks. Needs Nix and KVM.",
  "",
  "options:",
  "  --interactive  build NAME's driverInteractive and start it (one NAME only)",
  "  --keep-going   run the remaining checks after a failure",
  "  --verbose      print debug output",
  "",
  "exit codes: 0 all passed, 1 a check failed, 2 usage error, 3 Nix or KVM missing",
].join("\n");

export function parseOptions(argv: readonly string[]): VmTestOptions {
  const options: VmTestOptions = {
    names: [],
    interactive: false,
    keepGoing: false,
    verbose: false,
    help: false,
  };

  for (const argument of argv) {
    if (argument === "--interactive") options.interactive = true;
    else if (argument === "--keep-going") options.keepGoing = true;
    else if (argument === "--verbose") options.verbose = true;
    else if (argument === "--help" || argument === "-h") options.help = true;
    else if (argument.startsWith("-")) {
      throw new UsageError(`unknown option "${argument}"`, {
        hint: "use --interactive, --keep-going, --verbose or --help",
      });
    } else options.names.push(argument);
  }

  if (options.interactive && options.names.length !== 1) {
    throw new UsageError(
      `--interactive needs exactly one check name, got ${options.names.length}`,
      { hint: "for example: npm run vm-test -- frigate-oauth2-proxy --interactive" },
    );
  }

  return options;
}
