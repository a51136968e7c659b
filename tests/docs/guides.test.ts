import { execa } from "execa";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";

import { findExecutable } from "../../scripts/lib/exec.ts";
import { repositoryRoot } from "./fixture.ts";

const examplesDirectory = path.join(repositoryRoot, "docs", "examples");
const examples = (await readdir(examplesDirectory)).filter((name) => name.endsWith(".nix"));
const nixInstantiate = await findExecutable("nix-instantiate");

describe("guide examples", () => {
  test("has all four examples", () => {
    expect(examples.sort()).toEqual([
      "authelia.nix",
      "authentik.nix",
      "oauth2-proxy-dex.nix",
      "oauth2-proxy-kanidm.nix",
    ]);
  });

  test.each(examples)("guide includes %s verbatim", async (name) => {
    const guide = await readFile(path.join(repositoryRoot, "docs", "guide-flake-input.md"), "utf8");
    const example = await readFile(path.join(examplesDirectory, name), "utf8");
    expect(guide).toContain("```nix\n" + example.trimEnd() + "\n```");
  });

  test.skipIf(nixInstantiate === undefined).each(examples)("%s parses", async (name) => {
    const result = await execa(
      nixInstantiate as string,
      ["--parse", path.join(examplesDirectory, name)],
      {
        reject: false,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });
});
if (nixInstantiate === undefined)
  console.log("skipping the parse tests: nix-instantiate not found");
