/**
 * Tier 2: the NixOS module under the real module system of nixpkgs' lib, on
 * top of from-scratch imitations of the stock Frigate module and the nginx
 * options (tests/fixtures/modules). Skips unless a nixpkgs lib path is given.
 */
import path from "node:path";
import { describe, expect, it, type TestContext } from "vitest";

import { evaluateVhost, repositoryRoot } from "../../scripts/nix/evaluate.ts";
import { missingLibMessage, nixpkgsLib } from "../../scripts/nix/nixpkgs-path.ts";
import { runCommand } from "../../scripts/lib/exec.ts";
import { CommandFailedError } from "../../scripts/lib/errors.ts";

const libPath = nixpkgsLib();
if (libPath === undefined) console.warn(`tier-2 module tests skipped: ${missingLibMessage}`);
const harness = path.join(repositoryRoot, "tests/nix/eval-module.nix");

interface ModuleResult {
  warnings: string[];
  nginx: {
    appendHttpConfig: string;
    upstreams: Record<string, unknown>;
    virtualHost: {
      extraConfig: string;
      locations: Record<string, { extraConfig: string; proxyPass: string | null }>;
    };
  };
  frigateSettings: Record<string, unknown>;
  users: Record<string, unknown>;
}

function requireLib(context: TestContext): string {
  if (libPath === undefined) context.skip(missingLibMessage);
  return libPath!;
}

async function evaluateModule(lib: string, configuration: string): Promise<ModuleResult> {
  const { stdout } = await runCommand(
    "nix-instantiate",
    [
      "--eval",
      "--strict",
      "--json",
      harness,
      "--arg",
      "libPath",
      lib,
      "--arg",
      "configuration",
      configuration,
    ],
    { quiet: true },
  );
  return JSON.parse(stdout) as ModuleResult;
}

async function evaluationError(lib: string, configuration: string): Promise<string> {
  try {
    await evaluateModule(lib, configuration);
  } catch (error) {
    if (error instanceof CommandFailedError) return error.stderr;
    throw error;
  }
  throw new Error("evaluation succeeded, expected an error");
}

const sso = `{ services.frigate.nginx.authRequestUrl = "http://127.0.0.1:4180/oauth2/auth"; }`;

describe("NixOS module on the real module system", () => {
  it("replaces the stock vhost definitions", async (context) => {
    const result = await evaluateModule(requireLib(context), "{ }");

    expect(result.nginx.virtualHost.locations).not.toHaveProperty(["/stock-only"]);
    expect(result.nginx.appendHttpConfig).not.toContain("$should_not_cache ");
    expect(result.nginx.virtualHost.locations["/api/"]?.extraConfig).not.toContain(
      "location /api/stats",
    );
    expect(result.users).toHaveProperty(["frigate"]);
  });

  it("matches the pure generator's output", async (context) => {
    const result = await evaluateModule(requireLib(context), sso);
    const generated = await evaluateVhost({
      nginx: { authRequestUrl: "http://127.0.0.1:4180/oauth2/auth" },
      webRoot: "/frigate-web",
    });

    expect(result.nginx.appendHttpConfig).toBe(generated.appendHttpConfig);
    expect(result.nginx.virtualHost.extraConfig).toBe(generated.virtualHost.extraConfig);
    expect(Object.keys(result.nginx.virtualHost.locations).sort()).toEqual(
      Object.keys(generated.virtualHost.locations).sort(),
    );
  });

  it("appends to a location with mkAfter", async (context) => {
    const result = await evaluateModule(
      requireLib(context),
      `{ lib, ... }: { services.nginx.virtualHosts."frigate.example.com".locations."/api/stats".extraConfig = lib.mkAfter "# appended by the user"; }`,
    );
    const config = result.nginx.virtualHost.locations["/api/stats"]!.extraConfig;

    expect(config).toContain("auth_request /auth;");
    expect(config.trimEnd().endsWith("# appended by the user")).toBe(true);
  });

  it("replaces a location with mkForce", async (context) => {
    const result = await evaluateModule(
      requireLib(context),
      `{ lib, ... }: { services.nginx.virtualHosts."frigate.example.com".locations."/api/version".extraConfig = lib.mkForce "return 418;"; }`,
    );

    expect(result.nginx.virtualHost.locations["/api/version"]!.extraConfig).toBe("return 418;");
    expect(result.nginx.virtualHost.locations["/api/stats"]!.extraConfig).toContain(
      "auth_request /auth;",
    );
  });

  it("turns off Frigate's login behind an SSO", async (context) => {
    const result = await evaluateModule(requireLib(context), sso);

    expect(result.frigateSettings).toMatchObject({
      auth: { enabled: false },
      proxy: { header_map: { user: "remote-user", role: "remote-role" } },
    });
    expect(result.warnings).toEqual([]);
  });

  it("warns when Frigate's login is forced on", async (context) => {
    const result = await evaluateModule(
      requireLib(context),
      `{ services.frigate.nginx.authRequestUrl = "http://127.0.0.1:4180/oauth2/auth"; services.frigate.settings.auth.enabled = true; }`,
    );

    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain("services.frigate.settings.auth.enabled is true");
    expect(result.warnings[0]).toContain("http://127.0.0.1:4180/oauth2/auth");
  });

  it("keeps Frigate's login without an SSO", async (context) => {
    const result = await evaluateModule(requireLib(context), "{ }");

    expect(result.frigateSettings).toEqual({});
  });

  it("rejects an invalid header name by type", async (context) => {
    const stderr = await evaluationError(
      requireLib(context),
      `{ services.frigate.nginx.reverseProxy.userHeader = "X User"; }`,
    );

    expect(stderr).toContain("services.frigate.nginx.reverseProxy.userHeader");
    expect(stderr).toContain("X User");
  });

  it("rejects an unknown default role", async (context) => {
    const stderr = await evaluationError(
      requireLib(context),
      `{ services.frigate.nginx.reverseProxy.defaultRole = "superuser"; }`,
    );

    expect(stderr).toContain(
      'services.frigate.nginx.reverseProxy.defaultRole: invalid value "superuser"',
    );
  });
});
