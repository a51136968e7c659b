/** Runs `frigate-auth vm-test` as a subprocess against the fake nix of tests/fixtures/fake-nix. */
import { execa } from "execa";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const fakeNixDir = path.join(repoRoot, "tests/fixtures/fake-nix");
const cli = path.join(repoRoot, "scripts/cli.ts");
const tsxLoader = import.meta.resolve("tsx");

export interface Sandbox {
  dir: string;
  binDir: string;
  emptyDir: string;
  kvmDevice: string;
  recordFile: string;
}

/** Makes a temporary directory with bin/nix (the fake), an empty PATH directory and a fake KVM device. */
export async function makeSandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), "vmtest-"));
  const binDir = path.join(dir, "bin");
  const emptyDir = path.join(dir, "empty");
  await mkdir(binDir);
  await mkdir(emptyDir);

  const nix = path.join(binDir, "nix");
  const script = path.join(fakeNixDir, "fake-nix.mjs");
  await writeFile(nix, `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`);
  await chmod(nix, 0o755);

  // The driver refuses to run without a lock file; the fake nix never reads it.
  await writeFile(path.join(dir, "flake.lock"), '{ "nodes": {}, "root": "root", "version": 7 }\n');

  const kvmDevice = path.join(dir, "kvm");
  await writeFile(kvmDevice, "");
  return { dir, binDir, emptyDir, kvmDevice, recordFile: path.join(dir, "nix-calls.jsonl") };
}

export async function runVmTest(
  sandbox: Sandbox,
  args: string[],
  options: { scenario: string; searchPath?: string; kvmDevice?: string },
) {
  return execa(process.execPath, ["--import", tsxLoader, cli, "vm-test", ...args], {
    cwd: sandbox.dir,
    env: {
      PATH: options.searchPath ?? sandbox.binDir,
      FRIGATE_AUTH_KVM_DEVICE: options.kvmDevice ?? sandbox.kvmDevice,
      FAKE_NIX_RECORD: sandbox.recordFile,
      FAKE_NIX_SCENARIO: path.resolve(fakeNixDir, options.scenario),
      NO_COLOR: "1",
    },
    extendEnv: false,
    reject: false,
  });
}

/** Returns the argument lists the fake nix was called with, in order. */
export async function recordedCalls(sandbox: Sandbox): Promise<string[][]> {
  try {
    const text = await readFile(sandbox.recordFile, "utf8");
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  } catch {
    return [];
  }
}
