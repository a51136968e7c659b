/**
 * The verify pipeline end to end: real Nix evaluation, real nginx, stand-ins.
 * Every bundled backend must pass, and every broken variant must fail the
 * checks that guard its trap.
 */
import { describe, expect, it } from "vitest";

import { Logger } from "../../scripts/lib/log.ts";
import type { GeneratedVhost } from "../../scripts/nix/evaluate.ts";
import { sendRequest } from "../../scripts/verify/http.ts";
import { runVerify, startVerifyEnvironment } from "../../scripts/verify/pipeline.ts";
import { backendNames, bundledScenarios } from "../../scripts/verify/scenarios/index.ts";
import { loadCases } from "../../scripts/verify/cases.ts";
import { brokenVariants } from "./broken-variants.ts";

const quiet = new Logger({ level: "error", stderr: { write: () => true } });
const cases = await loadCases();

describe.each(backendNames)("verify with %s", (backend) => {
  it("passes every check", { timeout: 120_000 }, async () => {
    const { report } = await runVerify({
      scenario: bundledScenarios[backend],
      logger: quiet,
      cases,
    });
    const failures = report.results
      .filter((result) => !result.ok)
      .map((result) => `${result.path} ${result.label}: ${result.failures.join("; ")}`);

    expect(failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(70);
  });

  it("probes every listed path", { timeout: 120_000 }, async () => {
    const { report } = await runVerify({
      scenario: bundledScenarios[backend],
      logger: quiet,
      cases,
      only: [
        "no-session-api",
        "no-session-api-frigate",
        "no-session-websocket",
        "no-session-websocket-frigate",
        "no-session-ui",
        "no-session-ui-frigate",
        "public-without-session",
        "sign-out-relative",
      ],
    });
    const probed = new Set(report.results.map((result) => result.path));

    for (const entry of cases.paths) {
      // /api/logout is probed only where a signOutUrl is configured.
      if (entry.kind === "signout" && !bundledScenarios[backend].nginx.signOutUrl) continue;
      expect(probed, entry.path).toContain(entry.path);
    }
  });
});

describe("verify against broken vhosts", () => {
  it.each(brokenVariants)("fails $name", { timeout: 180_000 }, async (variant) => {
    const { report } = await runVerify({
      scenario: bundledScenarios["oauth2-proxy"],
      logger: quiet,
      cases,
      mutate: variant.mutate,
      only: variant.mustFail,
    });

    for (const check of variant.mustFail) {
      const failed = report.results.filter((result) => result.checkId === check && !result.ok);
      expect(failed.length, `${variant.name} should fail ${check}`).toBeGreaterThan(0);
    }
  });
});

describe("auth answer without a user", () => {
  // oauth2-proxy leaves out empty claims, so this session's 202 names no user.
  const scenario = structuredClone(bundledScenarios["oauth2-proxy"]);
  scenario.users.viewer = { ...scenario.users.viewer, username: "", groups: [] };

  async function roleSeenWithoutUser(mutate?: (vhost: GeneratedVhost) => GeneratedVhost) {
    const environment = await startVerifyEnvironment({ scenario, logger: quiet, mutate });
    try {
      const response = await sendRequest({
        port: environment.matrix.port,
        tls: true,
        path: "/api/config",
        headers: {
          ...environment.matrix.sessionHeaders(scenario.users.viewer),
          "X-Cache-Bypass": "1",
        },
        timeoutMs: 5_000,
      });
      const frigate = environment.matrix.upstreams["frigate-api"].requests.at(-1);
      const role = frigate?.headers.filter(([name]) => name.toLowerCase() === "remote-role");
      return { status: response.status, role };
    } finally {
      await environment.stop();
    }
  }

  it("sends Frigate no role", { timeout: 60_000 }, async () => {
    const { status, role } = await roleSeenWithoutUser();

    expect(status).toBe(200);
    expect(role).toEqual([]);
  });

  it("sends the default role when broken", { timeout: 60_000 }, async () => {
    const { role } = await roleSeenWithoutUser((vhost) => ({
      ...vhost,
      appendHttpConfig: vhost.appendHttpConfig.replace(
        "default $frigate_role_if_user;",
        "default $frigate_role;",
      ),
    }));

    expect(role).toEqual([["Remote-Role", "admin"]]);
  });
});
