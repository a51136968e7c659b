/**
 * Where the project's Nix files go in nixpkgs, and the rewriting of their
 * relative imports so they resolve at the new place.
 *
 * Layout: the stock module stays at nixos/modules/services/video/frigate.nix
 * (module-list.nix and every link to it keep working), and the files it now
 * imports live in a `frigate/` directory beside it, the way caddy keeps
 * vhost-options.nix beside its module. None of them is a module, so
 * module-list.nix does not change. VM tests go to nixos/tests/ flat, like the
 * existing nixos/tests/frigate.nix.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { ConfigError } from "../lib/errors.ts";
import { NixFile } from "./nix-bindings.ts";
import { applyEdits, type TextEdit } from "./text-edits.ts";

export const moduleFile = "nixos/modules/services/video/frigate.nix";
export const supportDirectory = "nixos/modules/services/video/frigate";
export const testsDirectory = "nixos/tests";
export const testSupportDirectory = "nixos/tests/frigate-sso";

/** Project files the upstream module imports by name, and their nixpkgs paths. */
export const projectInputs = {
  generator: { project: "nixos/lib/vhost.nix", nixpkgs: `${supportDirectory}/nginx-vhost.nix` },
  options: { project: "nixos/options.nix", nixpkgs: `${supportDirectory}/nginx-options.nix` },
  generatorArgs: {
    project: "nixos/lib/generator-args.nix",
    nixpkgs: `${supportDirectory}/nginx-args.nix`,
  },
} as const;

export const projectModule = "nixos/module.nix";

export interface PlacedFile {
  /** Path relative to the project root. */
  project: string;
  /** Path relative to the nixpkgs root. */
  nixpkgs: string;
  /** Content with relative imports rewritten for the nixpkgs place. */
  content: string;
}

/** Returns the nixpkgs path of a project file, or undefined when it has no place there. */
export function nixpkgsPathOf(projectPath: string): string | undefined {
  for (const input of Object.values(projectInputs)) {
    if (input.project === projectPath) return input.nixpkgs;
  }

  if (projectPath.startsWith("nixos/lib/")) {
    return `${supportDirectory}/${projectPath.slice("nixos/lib/".length)}`;
  }

  // Helpers and data of the project's VM tests share one directory, so they
  // cannot collide with other files under nixos/tests/.
  if (projectPath.startsWith(`${testsDirectory}/lib/`)) {
    return `${testSupportDirectory}/${projectPath.slice(`${testsDirectory}/lib/`.length)}`;
  }
  if (projectPath.startsWith(`${testsDirectory}/`) && !projectPath.endsWith(".nix")) {
    return `${testSupportDirectory}/${path.posix.basename(projectPath)}`;
  }
  if (projectPath.startsWith(`${testsDirectory}/`)) return projectPath;
  return undefined;
}

/**
 * Reads `roots` and every project file they reach through relative path
 * literals, and returns them with those paths rewritten for nixpkgs.
 */
export async function placeProjectFiles(
  projectRoot: string,
  roots: string[],
): Promise<PlacedFile[]> {
  const placed = new Map<string, PlacedFile>();
  const queue = [...roots];
  while (queue.length > 0) {
    const projectPath = queue.shift()!;
    if (placed.has(projectPath)) continue;

    const target = nixpkgsPathOf(projectPath);
    if (target === undefined) {
      throw new ConfigError(`${projectPath} has no place in nixpkgs`, {
        hint: `keep the files the module and tests import under nixos/lib/ or ${testsDirectory}/ of the project`,
      });
    }

    const absolute = path.join(projectRoot, projectPath);
    if (!existsSync(absolute)) {
      throw new ConfigError(`project file ${projectPath} not found under ${projectRoot}`, {
        hint: "pass the frigate-auth repository root with --project",
      });
    }

    const source = await readFile(absolute, "utf8");
    // Only Nix files import others; data and Python files are copied as they are.
    const { content, references } = projectPath.endsWith(".nix")
      ? rewriteImports(source, projectPath, target, projectRoot)
      : { content: source, references: [] };
    placed.set(projectPath, { project: projectPath, nixpkgs: target, content });
    queue.push(...references);
  }

  const byTarget = new Map<string, string>();
  for (const file of placed.values()) {
    const other = byTarget.get(file.nixpkgs);
    if (other !== undefined) {
      throw new ConfigError(`${other} and ${file.project} would both become ${file.nixpkgs}`, {
        hint: "rename one of them in the project",
      });
    }
    byTarget.set(file.nixpkgs, file.project);
  }

  return [...placed.values()];
}

function rewriteImports(
  source: string,
  projectPath: string,
  target: string,
  projectRoot: string,
): { content: string; references: string[] } {
  const file = new NixFile(source);
  const edits: TextEdit[] = [];
  const references: string[] = [];
  for (const token of file.tokens) {
    if (token.kind !== "path") continue;

    if (!token.text.startsWith("./") && !token.text.startsWith("../")) {
      throw new ConfigError(
        `${projectPath} refers to ${token.text}, which does not exist inside nixpkgs`,
        { hint: "use relative paths to project files under nixos/ only" },
      );
    }

    const referenced = path.posix.normalize(
      path.posix.join(path.posix.dirname(projectPath), token.text),
    );
    if (referenced.startsWith("../") || !existsSync(path.join(projectRoot, referenced))) {
      throw new ConfigError(`${projectPath} refers to ${token.text}, which is not a project file`);
    }

    const referencedTarget = nixpkgsPathOf(referenced);
    if (referencedTarget === undefined) {
      throw new ConfigError(`${projectPath} imports ${referenced}, which has no place in nixpkgs`, {
        hint: `keep imported files under nixos/lib/ or ${testsDirectory}/ of the project`,
      });
    }

    references.push(referenced);
    let relative = path.posix.relative(path.posix.dirname(target), referencedTarget);
    if (!relative.startsWith(".")) relative = `./${relative}`;
    if (relative !== token.text) {
      edits.push({ start: token.start, end: token.end, text: relative, label: token.text });
    }
  }

  return { content: applyEdits(source, edits), references };
}
