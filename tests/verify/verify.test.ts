/**
 * The verify pipeline end to end: real Nix evaluation, real nginx, stand-ins.
 * Every bundled backend must pass, and every broken variant must fail the
 * checks that guard its trap.
 */
import { describe, expect, it } from "vitest";

import { Logger } from "../../scripts/lib/log.ts";
import { runVerify } from "../../scripts/verify/pipeline.ts";
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
      ],
    });
    const probed = new Set(report.results.map((result) => result.path));

    for (const entry of cases.paths) {
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
