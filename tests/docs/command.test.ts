import { missingLibMessage, nixpkgsLib } from "../../scripts/nix/nixpkgs-path.ts";
import { execa } from "execa";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";

import { fixtureFile, fixtureRoot, loadFixture, repositoryRoot } from "./fixture.ts";

const cli = path.join(repositoryRoot, "scripts", "cli.ts");

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "frigate-auth-docs-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the real CLI under node with tsx, as `npm run docs` does. */
async function runDocs(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, ["--import", "tsx", cli, "docs", ...args], {
    reject: false,
    cwd: repositoryRoot,
    env: { NO_COLOR: "1", ...env },
    extendEnv: !("PATH" in env),
  });

  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

describe("docs command", () => {
  test("writes both files from options.json", async () => {
    const result = await runDocs(["--options-json", fixtureFile, "--root", root]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("wrote docs/options.md\nwrote scripts/generated/options.ts");
    const page = await readFile(path.join(root, "docs", "options.md"), "utf8");
    expect(page).toContain("## services.frigate.nginx.signInUrl");
    expect(await readdir(path.join(root, "docs"))).toEqual(["options.md"]);
  });

  test("check passes on fresh files", async () => {
    await runDocs(["--options-json", fixtureFile, "--root", root]);
    const result = await runDocs(["--check", "--options-json", fixtureFile, "--root", root]);

    expect(result.stderr).toBe("read 12 options from options.json");
    expect(result.stdout).toBe("up to date: docs/options.md, scripts/generated/options.ts");
    expect(result.exitCode).toBe(0);
  });

  test("check reports drift and fix", async () => {
    await runDocs(["--options-json", fixtureFile, "--root", root]);
    const page = path.join(root, "docs", "options.md");
    const text = await readFile(page, "utf8");
    await writeFile(page, text.replace("*Default:*\n`10`", "*Default:*\n`30`"));

    const result = await runDocs(["--check", "--options-json", fixtureFile, "--root", root]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("--- a/docs/options.md\n+++ b/docs/options.md\n@@ ");
    expect(result.stdout).toContain("-`30`\n+`10`");
    expect(result.stdout).not.toContain("scripts/generated/options.ts");
    expect(result.stderr).toContain("error: 1 generated file(s) are stale: docs/options.md");
    expect(result.stderr).toContain(
      `error: run \`npm run docs -- --options-json ${fixtureFile} --root ${root}\` and commit the result`,
    );
    expect(await readFile(page, "utf8")).toContain("`30`");
  });

  test("check reports missing files", async () => {
    const result = await runDocs(["--check", "--options-json", fixtureFile, "--root", root]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("+++ b/scripts/generated/options.ts\n@@ -0,0 +1,");
    expect(result.stderr).toContain("2 generated file(s) are stale");
    expect(await readdir(root)).toEqual([]);
  });

  test("missing flake lock exits 3", async () => {
    const result = await runDocs(["--root", root]);

    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: docs needs .*flake\.lock.* or a nixpkgs checkout/);
    expect(await readdir(root)).toEqual([]);
  });

  test("missing nixpkgs checkout exits 3", async () => {
    const missing = path.join(root, "no-nixpkgs");
    const result = await runDocs(["--root", root, "--nixpkgs", missing]);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toBe(
      `error: docs needs a nixpkgs checkout, but --nixpkgs ${missing} has no lib/default.nix; pass the root of a nixpkgs clone (E_CHECKOUT)`,
    );
    expect(await readdir(root)).toEqual([]);
  });

  test("missing nix exits 3", async () => {
    const emptyPath = path.join(root, "bin");
    await mkdir(emptyPath);
    const result = await runDocs(["--root", root, "--nixpkgs", root], { PATH: emptyPath });

    expect(result.exitCode).toBe(3);
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: docs needs nix-instantiate on PATH/);
    expect(await readdir(root)).toEqual(["bin"]);
  });

  test("rejects conflicting sources", async () => {
    const result = await runDocs(["--nixpkgs", root, "--options-json", fixtureFile]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--nixpkgs and --options-json cannot be combined");
  });

  test("rejects invalid options.json", async () => {
    const file = path.join(root, "options.json");
    await writeFile(file, JSON.stringify({ "services.frigate.nginx.x": { loc: "x" } }));
    const result = await runDocs(["--options-json", file, "--root", root]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('option services.frigate.nginx.x has an invalid "loc"');
    expect(await readdir(root)).toEqual(["options.json"]);
  });
});

// Evaluating needs nixpkgs' lib (a checkout or nixpkgs.lib) and nix-instantiate.
const libDirectory = nixpkgsLib();
const nixpkgs = libDirectory === undefined ? undefined : path.dirname(libDirectory);
describe.skipIf(nixpkgs === undefined)("docs command with nixpkgs", () => {
  test("evaluates the fixture module like the fixture JSON", async () => {
    await cp(path.join(fixtureRoot, "nixos"), path.join(root, "nixos"), { recursive: true });
    const result = await runDocs(["--root", root, "--nixpkgs", nixpkgs as string]);
    expect(result.exitCode).toBe(0);

    const viaFixture = path.join(root, "fixture");
    await runDocs(["--options-json", fixtureFile, "--root", viaFixture]);
    const evaluated = await readFile(path.join(root, "docs", "options.md"), "utf8");
    const fromJson = await readFile(path.join(viaFixture, "docs", "options.md"), "utf8");
    // Only the header's source line differs: the fixture JSON is the evaluated module.
    expect(evaluated.split("\n").slice(3)).toEqual(fromJson.split("\n").slice(3));
    expect(Object.keys(loadFixture())).toHaveLength(12);
  });

  test("finds the committed docs up to date", async () => {
    const result = await runDocs(["--check", "--nixpkgs", nixpkgs as string]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("up to date: docs/options.md, scripts/generated/options.ts");
  });
});
if (nixpkgs === undefined) {
  console.log(`skipping the nixpkgs evaluation tests: ${missingLibMessage}`);
}
