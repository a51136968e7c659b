/**
 * Test helpers: a miniature nixpkgs git repository built from
 * tests/fixtures/nixpkgs-mini in a temporary directory, a snapshot of its
 * observable state, and a runner for the real `frigate-auth pr` CLI.
 */
import { execa } from "execa";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtureNixpkgs = path.join(repositoryRoot, "tests/fixtures/nixpkgs-mini");
export const fixtureProject = path.join(repositoryRoot, "tests/pr/fixtures/project");
export const frigateModule = "nixos/modules/services/video/frigate.nix";

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa("git", args, { cwd });
  return result.stdout.trim();
}

export interface Checkout {
  root: string;
  /** Temporary directory that holds the checkout and files written next to it. */
  parent: string;
  cleanup(): Promise<void>;
}

/**
 * Creates a nixpkgs-like repository on branch master; `edit` may change the
 * fixture files before the first commit.
 */
export async function createCheckout(edit?: (root: string) => Promise<void>): Promise<Checkout> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "pr-test-"));
  const root = path.join(parent, "nixpkgs");
  await cp(fixtureNixpkgs, root, { recursive: true });
  if (edit !== undefined) await edit(root);

  await git(root, "init", "--quiet", "--initial-branch=master");
  await git(root, "config", "user.name", "Test Contributor");
  await git(root, "config", "user.email", "contributor@example.com");
  await git(root, "config", "commit.gpgsign", "false");
  await git(root, "add", "--all");
  await git(root, "commit", "--quiet", "--message", "init: miniature nixpkgs");
  return { root, parent, cleanup: () => rm(parent, { recursive: true, force: true }) };
}

/** Replaces `from` with `to` in a checkout file; fails when `from` is absent. */
export async function replaceInFile(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
}

export interface CheckoutSnapshot {
  head: string;
  branch: string;
  status: string;
  branches: string;
  worktrees: number;
}

export async function snapshot(root: string): Promise<CheckoutSnapshot> {
  return {
    head: await git(root, "rev-parse", "HEAD"),
    branch: await git(root, "symbolic-ref", "--short", "HEAD"),
    status: await git(root, "status", "--porcelain=v1", "--untracked-files=all"),
    branches: await git(root, "branch", "--list", "--format=%(refname:short) %(objectname)"),
    worktrees: (await git(root, "worktree", "list", "--porcelain")).split("\n\n").length,
  };
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `frigate-auth pr` through scripts/cli.ts with tsx, as `npm run pr` does. */
export async function runPr(args: string[]): Promise<CliResult> {
  const result = await execa("npx", ["tsx", "scripts/cli.ts", "pr", ...args], {
    cwd: repositoryRoot,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}
