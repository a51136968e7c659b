import { execa } from "execa";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { generateOptionTypes } from "../../scripts/docs/typescript.ts";
import { loadFixture, repositoryRoot } from "./fixture.ts";

const tsc = path.join(repositoryRoot, "node_modules", ".bin", "tsc");
const header = {
  source: "tests/fixtures/options/options.json",
  command: "npm run docs -- --options-json tests/fixtures/options/options.json",
};

let directory: string;
let generated: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "frigate-auth-types-"));
  generated = await generateOptionTypes(loadFixture(), header);
  await writeFile(path.join(directory, "options.ts"), generated);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Type-checks a file that imports the generated options; returns tsc's exit code and output. */
async function typeCheck(source: string): Promise<{ exitCode: number; output: string }> {
  const file = path.join(directory, "usage.ts");
  await writeFile(file, `import type { FrigateNginxOptions } from "./options.ts";\n${source}\n`);
  const result = await execa(
    tsc,
    [
      "--noEmit",
      "--strict",
      "--target",
      "es2023",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--allowImportingTsExtensions",
      file,
    ],
    { reject: false, cwd: directory },
  );

  return { exitCode: result.exitCode ?? -1, output: `${result.stdout}${result.stderr}` };
}

describe("generated option types", () => {
  test("compiles a valid configuration", async () => {
    const { exitCode, output } = await typeCheck(`
export const nginx: FrigateNginxOptions = {
  authRequestUrl: "http://127.0.0.1:4180/oauth2/auth",
  authRequestTimeout: 5,
  signInUrl: null,
  reverseProxy: {
    userHeader: "X-Auth-Request-Preferred-Username",
    roleHeader: null,
    roleMap: { admin: ["frigate_admins"] },
    separator: "|",
  },
};`);
    expect(output).toBe("");
    expect(exitCode).toBe(0);
  });

  test("rejects a misspelt option", async () => {
    const { exitCode, output } = await typeCheck(
      `export const nginx: FrigateNginxOptions = { authRequestURL: "http://127.0.0.1:4180/" };`,
    );
    expect(exitCode).not.toBe(0);
    expect(output).toContain("'authRequestURL' does not exist in type 'FrigateNginxOptions'");
  });

  test("rejects a misspelt nested option", async () => {
    const { exitCode, output } = await typeCheck(
      `export const nginx: FrigateNginxOptions = { reverseProxy: { userHeadr: "Remote-User" } };`,
    );
    expect(exitCode).not.toBe(0);
    expect(output).toContain("'userHeadr' does not exist");
  });

  test("rejects a separator outside the enum", async () => {
    const { exitCode, output } = await typeCheck(
      `export const nginx: FrigateNginxOptions = { reverseProxy: { separator: "/" } };`,
    );
    expect(exitCode).not.toBe(0);
    expect(output).toContain(`Type '"/"' is not assignable`);
  });

  test("carries descriptions as TSDoc", () => {
    expect(generated).toContain(
      "   * Connect and read timeout of the auth subrequest, in seconds.",
    );
    expect(generated).toContain("   * @defaultValue 10\n");
    expect(generated).toContain("  authRequestTimeout?: number;");
    expect(generated).toContain("  reverseProxy?: FrigateNginxReverseProxyOptions;");
    expect(generated).toContain("  roleMap?: Record<string, string[]>;");
    expect(generated).not.toContain("{option}");
  });

  test("keeps the committed types generated", async () => {
    const committed = await readFile(
      path.join(repositoryRoot, "scripts", "generated", "options.ts"),
      "utf8",
    );
    // Drift against nixos/options.nix is checked by `npm run docs -- --check`,
    // which needs nixpkgs' lib (tests/docs/command.test.ts runs it when given).
    expect(committed.split("\n")[0]).toMatch(/^\/\/ Generated from .* by `npm run docs/);
    expect(committed).toContain("export interface FrigateNginxOptions {");
    expect(committed).toContain("export interface FrigateNginxReverseProxyOptions {");
  });
});
