import { execa } from "execa";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

import { findExecutable } from "../../scripts/lib/exec.ts";
import { builtinsLib, evalJson, nixInstantiate } from "./nix.ts";
import { repoRoot } from "./run-cli.ts";

// The path `frigate-auth verify` loads its cases from.
const casesPath = "nixos/tests/http-cases.json";
const vmTests = ["frigate-oauth2-proxy", "frigate-authelia"];
const pyflakes = await findExecutable("pyflakes3");
const python = await findExecutable("python3");
const mypy = await findExecutable("mypy");

async function testScript(name: string): Promise<string> {
  const script = await evalJson(
    `(import ./nixos/tests/${name}.nix { lib = ${builtinsLib}; }).testScript`,
  );
  return script as string;
}

describe.skipIf(nixInstantiate === undefined)("VM test scripts (needs nix-instantiate)", () => {
  it.each(vmTests)("%s reads verify's http-cases.json", async (name) => {
    const script = await testScript(name);
    const storePath = (await evalJson(`"\${./${casesPath}}"`)) as string;

    expect(storePath).toMatch(/^\/nix\/store\/[a-z0-9]{32}-http-cases\.json$/);
    expect(script).toContain(`CASES = load_cases("${storePath}")`);
  });

  it.skipIf(python === undefined)("selects the vm paths of verify's cases", async () => {
    const helper = path.join(repoRoot, "nixos/tests/lib/http_checks.py");
    const program = [
      "import json, runpy",
      `helper = runpy.run_path(${JSON.stringify(helper)})`,
      `cases = helper["load_cases"](${JSON.stringify(path.join(repoRoot, casesPath))})`,
      "checks = helper['HttpChecks'](None, cases, {})",
      "print(json.dumps({c['id']: checks.paths_of(c) for c in checks.applicable_checks()}))",
    ].join("\n");
    const { stdout } = await execa(python!, ["-c", program]);
    const selected = JSON.parse(stdout) as Record<string, string[]>;
    const cases = JSON.parse(await readFile(path.join(repoRoot, casesPath), "utf8"));
    const vmPaths = new Set(
      (cases.paths as { path: string; vm: boolean }[]).filter((p) => p.vm).map((p) => p.path),
    );

    expect(Object.keys(selected)).toContain("no-session-api");
    expect(selected["no-session-ui"]).toEqual(["/"]);
    expect(selected["no-session-websocket"]).toBeUndefined();
    expect(selected["no-session-ui-frigate"]).toBeUndefined();
    expect(selected["no-session-api-frigate"]).toBeUndefined();
    for (const paths of Object.values(selected)) {
      for (const selectedPath of paths) expect(vmPaths.has(selectedPath)).toBe(true);
    }
  });

  it.each(vmTests)("%s runs the shared checks per subtest", async (name) => {
    const script = await testScript(name);

    expect(script).toContain("class HttpChecks:");
    expect(script).toMatch(
      /for check in checks\.applicable_checks\(\):\n\s+with subtest\(check\["title"\]\):/,
    );
    expect(script).toContain("start_all()");
  });

  it.each(vmTests)("%s embeds its scenario as JSON", async (name) => {
    const script = await testScript(name);
    const match = /SCENARIO: dict\[str, Any\] = json\.loads\((".*")\)\n/.exec(script);

    expect(match).not.toBeNull();
    const scenario = JSON.parse(JSON.parse(match![1]!) as string);
    expect(Object.keys(scenario.users).sort()).toEqual(["admin", "viewer"]);
    expect(scenario.users.admin.role).toBe("admin");
    expect(scenario.users.viewer.role).toBe("viewer");
    expect(script).toContain(
      `assert status.startswith("302 ${new URL(scenario.signInUrl, scenario.baseUrl).href}`,
    );
  });

  it.skipIf(pyflakes === undefined)("passes pyflakes as the driver runs it", async () => {
    for (const name of vmTests) {
      const dir = await mkdtemp(path.join(tmpdir(), "vmtest-script-"));
      const file = path.join(dir, `${name}.py`);
      await writeFile(file, await testScript(name));
      const result = await execa(pyflakes!, [file], {
        env: { PYFLAKES_BUILTINS: "machine,start_all,subtest" },
        reject: false,
      });

      expect(result.stdout).toBe("");
      expect(result.exitCode).toBe(0);
    }
  });

  it.skipIf(mypy === undefined)("passes mypy with the driver's symbols", async () => {
    const symbols = await readFile(
      path.join(repoRoot, "tests/fixtures/test-driver/symbols.py"),
      "utf8",
    );
    for (const name of vmTests) {
      const dir = await mkdtemp(path.join(tmpdir(), "vmtest-script-"));
      const file = path.join(dir, `${name}.py`);
      await writeFile(file, `${symbols}\n${await testScript(name)}`);
      const result = await execa(mypy!, ["--no-implicit-optional", file], {
        reject: false,
      });

      expect(result.stdout).toMatch(/^Success: no issues found/);
      expect(result.exitCode).toBe(0);
    }
  });

  it.skipIf(mypy === undefined)("lets mypy reject a wrong timeout type", async () => {
    const symbols = await readFile(
      path.join(repoRoot, "tests/fixtures/test-driver/symbols.py"),
      "utf8",
    );
    const dir = await mkdtemp(path.join(tmpdir(), "vmtest-script-"));
    const file = path.join(dir, "bad.py");
    await writeFile(file, `${symbols}\nmachine.wait_for_open_port(80, timeout="1m")\n`);
    const result = await execa(mypy!, [file], { reject: false });

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Argument "timeout" to "wait_for_open_port"');
  });
});
