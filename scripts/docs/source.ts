/**
 * Obtains options.json: built by the flake (packages.<system>.optionsJSON),
 * evaluated with the lib of a nixpkgs checkout, or read from a file.
 */
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { exitCodes, ToolkitError, type ErrorCode } from "../lib/errors.ts";
import { findExecutable, runCommand } from "../lib/exec.ts";
import { parseOptionsJson, type OptionsJson } from "./options-json.ts";

export type OptionsSource =
  { kind: "flake" } | { kind: "nixpkgs"; nixpkgs: string } | { kind: "file"; file: string };

export interface LoadedOptions {
  options: OptionsJson;
  /** Source of the options for generated headers, as a repository-relative path. */
  label: string;
}

const evaluatorFile = fileURLToPath(new URL("./options-json.nix", import.meta.url));

/** The options declarations that the flake and --nixpkgs modes evaluate. */
export const optionsFile = "nixos/options.nix";

/** Thrown when a program or input the docs command needs is missing; printed as one line. */
function missing(code: ErrorCode, message: string): ToolkitError {
  return new ToolkitError(code, message, { exitCode: exitCodes.environment });
}

/** Loads options.json from the chosen source; `root` is the repository root. */
export async function loadOptions(source: OptionsSource, root: string): Promise<LoadedOptions> {
  switch (source.kind) {
    case "file": {
      const file = path.resolve(source.file);
      const text = await readInput(file);
      return { options: parseOptionsJson(text, source.file), label: relativeLabel(root, file) };
    }
    case "nixpkgs":
      return { options: await evaluateWithNixpkgs(source.nixpkgs, root), label: optionsFile };
    case "flake":
      return { options: await buildWithFlake(root), label: optionsFile };
  }
}

async function evaluateWithNixpkgs(nixpkgs: string, root: string): Promise<OptionsJson> {
  const nixInstantiate = await findExecutable("nix-instantiate");
  if (nixInstantiate === undefined) {
    throw missing(
      "E_COMMAND_MISSING",
      "docs needs nix-instantiate on PATH to evaluate nixos/options.nix; install Nix, or pass --options-json FILE",
    );
  }

  const checkout = path.resolve(nixpkgs);
  if (!(await exists(path.join(checkout, "lib", "default.nix")))) {
    throw missing(
      "E_CHECKOUT",
      `docs needs a nixpkgs checkout, but --nixpkgs ${nixpkgs} has no lib/default.nix; pass the root of a nixpkgs clone`,
    );
  }
  await requireOptionsFile(root);

  const expression = [
    "{ evaluator, nixpkgs, root }:",
    '(import (/. + evaluator) { lib = import (/. + nixpkgs + "/lib"); root = /. + root; }).options',
  ].join(" ");
  const { stdout } = await runCommand(
    nixInstantiate,
    [
      "--eval",
      "--strict",
      "--json",
      "--expr",
      expression,
      "--argstr",
      "evaluator",
      evaluatorFile,
      "--argstr",
      "nixpkgs",
      checkout,
      "--argstr",
      "root",
      root,
    ],
    {
      errorCode: "E_NIX_EVAL",
      hint: `check ${optionsFile} and the nixpkgs checkout at ${checkout}`,
    },
  );

  return parseOptionsJson(stdout, "the output of nix-instantiate");
}

async function buildWithFlake(root: string): Promise<OptionsJson> {
  const nix = await findExecutable("nix");
  if (nix === undefined) {
    throw missing(
      "E_COMMAND_MISSING",
      "docs needs nix on PATH to build .#optionsJSON; install Nix, or pass --nixpkgs PATH or --options-json FILE",
    );
  }

  if (
    !(await exists(path.join(root, "flake.nix"))) ||
    !(await exists(path.join(root, "flake.lock")))
  ) {
    throw missing(
      "E_CHECKOUT",
      "docs needs the flake's nixpkgs input locked (flake.nix and flake.lock) or a nixpkgs checkout: run `nix flake lock`, or pass --nixpkgs PATH",
    );
  }
  await requireOptionsFile(root);

  const { stdout } = await runCommand(
    nix,
    [
      "--extra-experimental-features",
      "nix-command flakes",
      "build",
      "--no-link",
      "--json",
      ".#optionsJSON",
    ],
    {
      cwd: root,
      errorCode: "E_NIX_EVAL",
      hint: "check that flake.nix defines packages.<system>.optionsJSON",
    },
  );

  const outPath = parseBuildOutput(stdout);
  const file = path.join(outPath, "share", "doc", "nixos", "options.json");
  return parseOptionsJson(await readInput(file), file);
}

/** Returns the `out` path from `nix build --json` output. */
export function parseBuildOutput(stdout: string): string {
  let results: unknown;
  try {
    results = JSON.parse(stdout);
  } catch (error) {
    throw new ToolkitError("E_NIX_EVAL", "nix build --json printed no JSON", { cause: error });
  }

  const first = Array.isArray(results)
    ? (results[0] as { outputs?: { out?: unknown } })
    : undefined;
  const out = first?.outputs?.out;
  if (typeof out !== "string") {
    throw new ToolkitError(
      "E_NIX_EVAL",
      `nix build --json printed no output path: ${stdout.trim()}`,
    );
  }

  return out;
}

async function requireOptionsFile(root: string): Promise<void> {
  if (!(await exists(path.join(root, optionsFile)))) {
    throw missing(
      "E_CHECKOUT",
      `docs needs ${optionsFile} in ${root}; run it from the repository root`,
    );
  }
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new ToolkitError("E_USAGE", `failed to read options.json at ${file}`, {
      hint: "pass the share/doc/nixos/options.json that nixosOptionsDoc builds",
      cause: error,
    });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function relativeLabel(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.basename(file) : relative;
}
