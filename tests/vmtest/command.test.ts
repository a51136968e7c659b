import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { makeSandbox, recordedCalls, runVmTest } from "./run-cli.ts";

const flags = ["--extra-experimental-features", "nix-command flakes"];
const buildCall = (name: string) => [
  ...flags,
  "build",
  `.#checks.x86_64-linux.${name}`,
  "-L",
  "--no-link",
  "--print-out-paths",
];
const listCall = [
  ...flags,
  "eval",
  ".#checks.x86_64-linux",
  "--apply",
  "builtins.attrNames",
  "--json",
];
const configCall = [...flags, "config", "show", "--json"];

async function reportFiles(dir: string): Promise<{ runDir: string; files: string[] }> {
  const base = path.join(dir, "reports", "vm-test");
  const [run] = await readdir(base);
  const runDir = path.join(base, run!);
  return { runDir, files: (await readdir(runDir)).sort() };
}

describe("vm-test against a fake nix", () => {
  it("builds every check and passes", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, [], { scenario: "scenario-all-pass.json" });

    expect(result.exitCode).toBe(0);
    expect(await recordedCalls(sandbox)).toEqual([
      configCall,
      listCall,
      buildCall("eval-module-frigate-login"),
      buildCall("frigate-authelia"),
      buildCall("frigate-oauth2-proxy"),
    ]);
    expect(result.stderr).toContain(
      "[frigate-oauth2-proxy] vm-test-run-frigate-oauth2-proxy> subtest: alice and bob sign in through dex with curl",
    );
    expect(result.stderr).toContain("$ ");
    expect(result.stdout).toMatch(/^check\s+result\s+time\s+log$/m);
    expect(result.stdout).toMatch(
      /^frigate-oauth2-proxy\s+passed\s+\d+\.\d s\s+\S+frigate-oauth2-proxy\.log$/m,
    );
    expect(result.stdout).toContain("3 passed, 0 failed, 0 not run");
    expect(result.stdout).not.toContain("vm-test-run");
  });

  it("keeps each full log and a summary", async () => {
    const sandbox = await makeSandbox();
    await runVmTest(sandbox, ["frigate-oauth2-proxy"], { scenario: "scenario-all-pass.json" });

    const { runDir, files } = await reportFiles(sandbox.dir);
    expect(files).toEqual(["frigate-oauth2-proxy.log", "summary.json", "summary.md"]);
    const log = await readFile(path.join(runDir, "frigate-oauth2-proxy.log"), "utf8");
    expect(log).toContain("(finished: run the VM test script, in 84.21 seconds)");
    expect(log).not.toContain("[frigate-oauth2-proxy]");
    const summary = JSON.parse(await readFile(path.join(runDir, "summary.json"), "utf8"));
    expect(summary.counts).toEqual({ passed: 1, failed: 0, notRun: 0 });
  });

  it("stops at the first failed check", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, [], { scenario: "scenario-authelia-fails.json" });

    expect(result.exitCode).toBe(1);
    expect((await recordedCalls(sandbox)).slice(2)).toEqual([
      buildCall("eval-module-frigate-login"),
      buildCall("frigate-authelia"),
    ]);
    expect(result.stderr).toContain(
      "[frigate-authelia] vm-test-run-frigate-authelia> !!! AssertionError: /api/profile as viewer",
    );
    expect(result.stderr).toMatch(/error: frigate-authelia failed \(nix exit code 1\); log: \S+/);
    expect(result.stdout).toMatch(/^frigate-authelia\s+failed/m);
    expect(result.stdout).toMatch(/^frigate-oauth2-proxy\s+not run\s+-\s+-$/m);
    expect(result.stdout).toContain("1 passed, 1 failed, 1 not run");
  });

  it("runs the rest with --keep-going", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, ["--keep-going"], {
      scenario: "scenario-authelia-fails.json",
    });

    expect(result.exitCode).toBe(1);
    expect((await recordedCalls(sandbox)).slice(2)).toEqual([
      buildCall("eval-module-frigate-login"),
      buildCall("frigate-authelia"),
      buildCall("frigate-oauth2-proxy"),
    ]);
    expect(result.stdout).toContain("2 passed, 1 failed, 0 not run");
  });

  it("builds only the named checks", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, ["frigate-authelia", "eval-module-frigate-login"], {
      scenario: "scenario-all-pass.json",
    });

    expect(result.exitCode).toBe(0);
    expect((await recordedCalls(sandbox)).slice(2)).toEqual([
      buildCall("frigate-authelia"),
      buildCall("eval-module-frigate-login"),
    ]);
  });

  it("rejects unknown check names", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, ["frigate-kanidm"], {
      scenario: "scenario-all-pass.json",
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('error: unknown check "frigate-kanidm" (E_USAGE)');
    expect(result.stderr).toContain(
      "hint: known checks: eval-module-frigate-login, frigate-authelia, frigate-oauth2-proxy",
    );
    expect((await recordedCalls(sandbox)).map((call) => call[2])).toEqual(["config", "eval"]);
  });

  it("reports missing nix with exit 3", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, [], {
      scenario: "scenario-all-pass.json",
      searchPath: sandbox.emptyDir,
    });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("error: nix not found on PATH (E_COMMAND_MISSING)");
    expect(result.stderr).toContain("hint: install Nix (see https://nixos.org/download)");
    expect(result.stdout).toBe("");
    expect(await recordedCalls(sandbox)).toEqual([]);
  });

  it("reports a missing flake.lock with exit 3", async () => {
    const sandbox = await makeSandbox();
    await rm(path.join(sandbox.dir, "flake.lock"));
    const result = await runVmTest(sandbox, [], { scenario: "scenario-all-pass.json" });
    const calls = await recordedCalls(sandbox);

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("flake.lock is missing in");
    expect(result.stderr).toContain("hint: run `nix flake lock` once");
    expect(result.stdout).toBe("");
    expect(calls.some((call) => call.includes("eval"))).toBe(false);
  });

  it("reports a missing KVM device with exit 3", async () => {
    const sandbox = await makeSandbox();
    const device = path.join(sandbox.dir, "no-such-kvm");
    const result = await runVmTest(sandbox, [], {
      scenario: "scenario-all-pass.json",
      kvmDevice: device,
    });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`error: KVM is not available: ${device} does not exist`);
    expect(result.stderr).toContain("hint: enable hardware virtualization (VT-x or AMD-V)");
    expect(await recordedCalls(sandbox)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)("reports an unusable KVM device with exit 3", async () => {
    const sandbox = await makeSandbox();
    await chmod(sandbox.kvmDevice, 0o400);
    const result = await runVmTest(sandbox, [], { scenario: "scenario-all-pass.json" });

    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("is not readable and writable by this user");
  });

  it("reports missing system features on old nix", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, [], {
      scenario: "scenario-old-nix-no-kvm-feature.json",
    });

    expect(result.exitCode).toBe(3);
    expect(await recordedCalls(sandbox)).toEqual([configCall, [...flags, "show-config", "--json"]]);
    expect(result.stderr).toContain(
      "error: nix lacks the system features kvm, nixos-test (it has: benchmark, big-parallel)",
    );
    expect(result.stderr).toContain(
      "hint: add `system-features = nixos-test benchmark big-parallel kvm`",
    );
  });

  it("starts the interactive driver", async () => {
    const sandbox = await makeSandbox();
    const driverOut = path.join(sandbox.dir, "driver");
    const marker = path.join(sandbox.dir, "driver-started");
    await mkdir(path.join(driverOut, "bin"), { recursive: true });
    const driver = path.join(driverOut, "bin", "nixos-test-driver");
    await writeFile(driver, `#!/bin/sh\necho started > '${marker}'\nexit 0\n`);
    await chmod(driver, 0o755);
    const scenario = path.join(sandbox.dir, "scenario.json");
    await writeFile(
      scenario,
      JSON.stringify({
        config: { "system-features": { value: ["kvm", "nixos-test"] } },
        checks: ["frigate-oauth2-proxy"],
        builds: {
          "frigate-oauth2-proxy.driverInteractive": {
            log: path.join(sandbox.dir, "empty.log"),
            exitCode: 0,
            outPath: driverOut,
          },
        },
      }),
    );
    await writeFile(path.join(sandbox.dir, "empty.log"), "building the interactive driver\n");

    const result = await runVmTest(sandbox, ["frigate-oauth2-proxy", "--interactive"], {
      scenario,
    });

    expect(result.exitCode).toBe(0);
    expect((await recordedCalls(sandbox)).at(-1)).toEqual(
      buildCall("frigate-oauth2-proxy.driverInteractive"),
    );
    expect(await readFile(marker, "utf8")).toBe("started\n");
    expect(result.stderr).toContain(`$ ${driver}`);
  });

  it("rejects --interactive without one name", async () => {
    const sandbox = await makeSandbox();
    const result = await runVmTest(sandbox, ["--interactive"], {
      scenario: "scenario-all-pass.json",
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--interactive needs exactly one check name, got 0");
    expect(await recordedCalls(sandbox)).toEqual([]);
  });
});
