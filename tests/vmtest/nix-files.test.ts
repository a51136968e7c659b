import { execa } from "execa";
import { describe, expect, it } from "vitest";

import { repoRoot } from "./run-cli.ts";
import { listNixFiles, nixInstantiate } from "./nix.ts";

const files = await listNixFiles();

describe.skipIf(nixInstantiate === undefined)("nix files (needs nix-instantiate)", () => {
  it("finds the VM test files", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "nixos/tests/default.nix",
        "nixos/tests/eval.nix",
        "nixos/tests/frigate-authelia.nix",
        "nixos/tests/frigate-oauth2-proxy.nix",
      ]),
    );
  });

  it.each(files)("parses %s", async (file) => {
    const result = await execa(nixInstantiate!, ["--parse", file], {
      cwd: repoRoot,
      reject: false,
    });

    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });
});
