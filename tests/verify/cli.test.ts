/**
 * The real `frigate-auth verify` command line, with stdout and stderr
 * checked separately.
 */
import { execa } from "execa";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { repositoryRoot } from "../../scripts/nix/evaluate.ts";

const cli = path.join(repositoryRoot, "bin/frigate-auth.js");
const fixtures = path.join(repositoryRoot, "tests/fixtures/verify");

function runVerifyCli(args: string[]) {
  return execa(cli, ["verify", ...args], {
    reject: false,
    env: { NO_COLOR: "1" },
    cwd: repositoryRoot,
  });
}

describe("frigate-auth verify", () => {
  it("prints usage with --help", async () => {
    const result = await runVerifyCli(["--help"]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("usage: frigate-auth verify");
    expect(result.stdout).toContain("--backend NAME");
  });

  it("rejects an unknown backend", async () => {
    const result = await runVerifyCli(["--backend", "keycloak"]);

    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('invalid --backend "keycloak"');
    expect(result.stderr).toContain("oauth2-proxy, authelia, authentik, frigate");
  });

  it("rejects an unknown option", async () => {
    const result = await runVerifyCli(["--bakend", "authelia"]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--bakend");
  });

  it("prints the JSON report", { timeout: 120_000 }, async () => {
    const result = await runVerifyCli([
      "--backend",
      "authentik",
      "--json",
      "--report-dir",
      path.join(repositoryRoot, "reports/test-cli"),
    ]);
    const report = JSON.parse(result.stdout) as { failed: number; passed: number; backend: string };

    expect(result.exitCode).toBe(0);
    expect(report.backend).toBe("authentik");
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThan(70);
  });

  it("prints the table for the bundled example", { timeout: 120_000 }, async () => {
    const result = await runVerifyCli([
      "--report-dir",
      path.join(repositoryRoot, "reports/test-cli"),
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^path\s+case\s+status\s+expected\s+user\s+role\s+ms\s+result$/m);
    expect(result.stdout).toMatch(
      /^\/api\/stats\s+session-identity\s+200\s+200\s+alice\s+admin\s+\d+\s+ok$/m,
    );
    expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    expect(result.stderr).toContain("neutralised");
    expect(result.stderr).toContain("$ /usr/sbin/nginx -t");
  });

  it("runs a JSON configuration file", { timeout: 120_000 }, async () => {
    const result = await runVerifyCli([
      "--config",
      path.join(fixtures, "authelia-config.json"),
      "--quiet",
      "--report-dir",
      path.join(repositoryRoot, "reports/test-cli"),
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Authelia with nvr-admins");
    expect(result.stdout).toMatch(/^\/api\/profile\s+viewer-identity\s+200\s+200\s+bob\s+viewer/m);
  });

  it("names the invalid option of a Nix configuration", { timeout: 60_000 }, async () => {
    const result = await runVerifyCli(["--config", path.join(fixtures, "invalid-header.nix")]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("services.frigate.nginx.reverseProxy.userHeader");
    expect(result.stderr).toContain('"X Auth User"');
  });

  it("names a missing user in the configuration", async () => {
    const result = await runVerifyCli(["--config", path.join(fixtures, "missing-viewer.json")]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("users.viewer is missing or not an object");
  });

  it("rejects an unknown configuration key", async () => {
    const result = await runVerifyCli(["--config", path.join(fixtures, "unknown-key.json")]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('has unknown key(s) "setings"');
  });

  it("reports a missing configuration file", async () => {
    const result = await runVerifyCli(["--config", "does-not-exist.json"]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--config file not found: does-not-exist.json");
  });
});
