/**
 * Tier 2: the nginx.conf of the real NixOS nginx module, built from a nixpkgs
 * checkout, against the project's renderer, location by location. Skips
 * unless FRIGATE_AUTH_NIXPKGS names a nixpkgs checkout.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, type TestContext } from "vitest";

import { runCommand } from "../../scripts/lib/exec.ts";
import { evaluateVhost, repositoryRoot } from "../../scripts/nix/evaluate.ts";
import { missingNixpkgsMessage, nixpkgsCheckout } from "../../scripts/nix/nixpkgs-path.ts";
import { renderLocation } from "../../scripts/nginx/render.ts";

const nixpkgs = nixpkgsCheckout();
if (nixpkgs === undefined)
  console.warn(`tier-2 render comparison skipped: ${missingNixpkgsMessage}`);

const options = {
  authRequestUrl: "http://127.0.0.1:4180/oauth2/auth",
  signInUrl: "/oauth2/sign_in",
  reverseProxy: {
    userHeader: "X-Auth-Request-Preferred-Username",
    roleHeader: null,
    groupsHeader: "X-Auth-Request-Groups",
    defaultRole: "admin",
  },
};

/** Splits a config into `location … { … }` blocks by path, whitespace-normalised. */
function locationBlocks(config: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  const lines = config.split("\n").map((line) => line.trim().replace(/\s+/g, " "));
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^location (.+) \{$/.exec(lines[index]!);
    if (match === null) continue;

    const body: string[] = [];
    let depth = 1;
    for (index += 1; index < lines.length && depth > 0; index += 1) {
      const line = lines[index]!;
      if (line.endsWith("{")) depth += 1;
      if (line === "}") depth -= 1;
      if (depth > 0 && line !== "") body.push(normaliseInclude(line));
    }
    index -= 1;
    blocks.set(match[1]!, body);
  }
  return blocks;
}

function normaliseInclude(line: string): string {
  return line.startsWith("include ") && line.includes("proxy")
    ? "include recommended-proxy-headers;"
    : line;
}

function requireNixpkgs(context: TestContext): string {
  if (nixpkgs === undefined) context.skip(missingNixpkgsMessage);
  return nixpkgs!;
}

describe("renderer against the NixOS nginx module", () => {
  it("renders every Frigate location alike", { timeout: 1_800_000 }, async (context) => {
    const checkout = requireNixpkgs(context);
    const { stdout } = await runCommand("nix-build", [
      path.join(repositoryRoot, "tests/nix/nixpkgs-nginx-config.nix"),
      "--no-out-link",
      "--arg",
      "nixpkgs",
      checkout,
      "--argstr",
      "nginxOptions",
      JSON.stringify(options),
    ]);
    const execStart = await readFile(stdout.trim(), "utf8");
    const configPath = /-c '?([^' ]+)'?/.exec(execStart)?.[1];
    expect(configPath, execStart).toBeDefined();
    const nixosConfig = await readFile(configPath!, "utf8");
    const nixosBlocks = locationBlocks(nixosConfig);

    const generated = await evaluateVhost({ nginx: options });
    for (const [locationPath, location] of Object.entries(generated.virtualHost.locations)) {
      const ours = locationBlocks(renderLocation(locationPath, location, true)).get(locationPath);
      const theirs = nixosBlocks.get(locationPath);

      expect(theirs, `NixOS config has no location ${locationPath}`).toBeDefined();
      // The web root is a store path on NixOS and a placeholder here.
      const withoutRoot = (lines: string[]) =>
        lines.filter((line) => !/^(root|try_files) /.test(line));
      expect(withoutRoot(ours!), locationPath).toEqual(withoutRoot(theirs!));
    }
  });
});
