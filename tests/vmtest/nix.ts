/** Helpers for the tests that evaluate the project's Nix files with nix-instantiate. */
import { execa } from "execa";
import { readdir } from "node:fs/promises";
import path from "node:path";

import { findExecutable } from "../../scripts/lib/exec.ts";
import { repoRoot } from "./run-cli.ts";

export const nixInstantiate = await findExecutable("nix-instantiate");

/** A stand-in for the few nixpkgs `lib` functions the test files call outside their nodes. */
export const builtinsLib = `{
  mapAttrs = builtins.mapAttrs;
  listToAttrs = builtins.listToAttrs;
  mapAttrsToList = f: set: map (name: f name set.\${name}) (builtins.attrNames set);
}`;

export async function evalJson(expression: string): Promise<unknown> {
  const { stdout } = await execa(
    nixInstantiate!,
    ["--eval", "--strict", "--json", "--expr", expression],
    { cwd: repoRoot },
  );
  return JSON.parse(stdout);
}

/** Returns every .nix file of the repository, relative to its root. */
export async function listNixFiles(directory = repoRoot): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;

    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listNixFiles(full)));
    else if (entry.name.endsWith(".nix")) files.push(path.relative(repoRoot, full));
  }
  return files.sort();
}
