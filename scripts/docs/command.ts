/**
 * `frigate-auth docs`: renders docs/options.md and scripts/generated/options.ts
 * from the options.json of nixos/options.nix, or checks that the committed
 * copies are current (`--check`).
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { exitCodes, UsageError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { unifiedDiff } from "./diff.ts";
import { renderOptionsPage } from "./markdown.ts";
import { loadOptions, type OptionsSource } from "./source.ts";
import { generateOptionTypes } from "./typescript.ts";

/** Generated files, relative to the repository root. */
export const outputFiles = {
  markdown: "docs/options.md",
  types: "scripts/generated/options.ts",
} as const;

const defaultRoot = fileURLToPath(new URL("../..", import.meta.url));

const helpText = `usage: frigate-auth docs [--check] [--nixpkgs PATH | --options-json FILE] [--root DIR]

Generates ${outputFiles.markdown} and ${outputFiles.types} from the options
declared in nixos/options.nix.

options:
  --check              compare the committed files with freshly generated ones;
                       exit 1 and print a diff when they differ
  --nixpkgs PATH       evaluate the options with the lib of this nixpkgs checkout
                       (default: build the flake output .#optionsJSON)
  --options-json FILE  read a prebuilt options.json instead of running Nix
  --root DIR           repository root to read from and write to (default: this one)
  --verbose, --quiet   more or less progress output on stderr
  -h, --help           show this text

exit codes: 0 done or up to date, 1 stale files, 2 invalid arguments,
3 Nix, the flake lock or the nixpkgs checkout is missing`;

interface DocsArguments {
  check: boolean;
  source: OptionsSource;
  root: string;
  /** The command line that regenerates the files from the same source. */
  fixCommand: string;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseDocsArguments(argv);
  if (parsed === "help") {
    log.result(helpText);
    return 0;
  }

  const { options, label } = await loadOptions(parsed.source, parsed.root);
  log.info(`read ${Object.keys(options).length} options from ${label}`);

  // The header names the command without machine-specific paths, so the
  // committed files do not depend on where a nixpkgs checkout lives.
  const headerCommand =
    parsed.source.kind === "file" ? `npm run docs -- --options-json ${label}` : "npm run docs";
  const header = { source: label, command: headerCommand };
  const generated = new Map<string, string>([
    [outputFiles.markdown, renderOptionsPage(options, { ...header, declarationPrefix: "../" })],
    [outputFiles.types, await generateOptionTypes(options, header)],
  ]);

  if (parsed.check) return checkFiles(parsed.root, generated, parsed.fixCommand);

  await writeFilesAtomically(parsed.root, generated);
  for (const file of generated.keys()) log.result(`wrote ${file}`);
  return 0;
}

function parseDocsArguments(argv: string[]): DocsArguments | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        check: { type: "boolean", default: false },
        nixpkgs: { type: "string" },
        "options-json": { type: "string" },
        root: { type: "string" },
        verbose: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`docs: ${(error as Error).message}`, {
      hint: "run `frigate-auth docs --help` for the options",
    });
  }

  if (values.help) return "help";
  if (values.verbose) log.level = "debug";
  if (values.quiet) log.level = "warn";

  if (values.nixpkgs !== undefined && values["options-json"] !== undefined) {
    throw new UsageError("docs: --nixpkgs and --options-json cannot be combined", {
      hint: "pass one source of options",
    });
  }

  const fixArguments: string[] = [];
  let source: OptionsSource = { kind: "flake" };
  if (values.nixpkgs !== undefined) {
    source = { kind: "nixpkgs", nixpkgs: values.nixpkgs };
    fixArguments.push("--nixpkgs", values.nixpkgs);
  }
  if (values["options-json"] !== undefined) {
    source = { kind: "file", file: values["options-json"] };
    fixArguments.push("--options-json", values["options-json"]);
  }
  if (values.root !== undefined) fixArguments.push("--root", values.root);

  const fixCommand =
    fixArguments.length === 0 ? "npm run docs" : `npm run docs -- ${fixArguments.join(" ")}`;
  return {
    check: values.check,
    source,
    root: path.resolve(values.root ?? defaultRoot),
    fixCommand,
  };
}

/** Prints a diff for each generated file that differs from its committed copy; 1 when any does. */
async function checkFiles(
  root: string,
  generated: Map<string, string>,
  fixCommand: string,
): Promise<number> {
  const stale: string[] = [];
  for (const [file, text] of generated) {
    const committed = await readFile(path.join(root, file), "utf8").catch(() => "");
    const diff = unifiedDiff(committed, text, `a/${file}`, `b/${file}`);
    if (diff === "") continue;

    stale.push(file);
    log.result(diff);
  }

  if (stale.length === 0) {
    log.result(`up to date: ${[...generated.keys()].join(", ")}`);
    return 0;
  }

  log.error(`${stale.length} generated file(s) are stale: ${stale.join(", ")}`);
  log.error(`run \`${fixCommand}\` and commit the result`);
  return exitCodes.checksFailed;
}

/**
 * Writes every file to a temporary sibling first and renames them only when
 * all were written, so a failure leaves the committed files untouched.
 */
async function writeFilesAtomically(root: string, files: Map<string, string>): Promise<void> {
  const temporary: Array<[string, string]> = [];
  try {
    for (const [file, text] of files) {
      const target = path.join(root, file);
      await mkdir(path.dirname(target), { recursive: true });

      const staging = `${target}.${process.pid}.tmp`;
      temporary.push([staging, target]);
      await writeFile(staging, text);
    }
  } catch (error) {
    await Promise.all(temporary.map(([staging]) => rm(staging, { force: true })));
    throw error;
  }

  for (const [staging, target] of temporary) await rename(staging, target);
}
