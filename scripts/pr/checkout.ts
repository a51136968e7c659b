/**
 * Checks on the user's nixpkgs checkout, and the temporary worktree the change
 * is built in. The checkout's own HEAD, index and files are never changed: the
 * commits are made in a detached worktree, and only at the end does the branch
 * ref point at them, so a failure anywhere leaves the checkout as it was.
 */
import { mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { ToolkitError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { moduleFile } from "./layout.ts";

export class CheckoutError extends ToolkitError {
  constructor(message: string, hint: string) {
    super("E_CHECKOUT", message, { hint });
  }
}

export async function git(cwd: string, args: string[], quiet = true): Promise<string> {
  const result = await runCommand("git", args, { cwd, quiet });
  return result.stdout.trim();
}

async function gitSucceeds(cwd: string, args: string[]): Promise<boolean> {
  try {
    await git(cwd, args);
    return true;
  } catch {
    return false;
  }
}

export interface CheckoutState {
  root: string;
  baseCommit: string;
  /** Branch name HEAD is on, or undefined when detached. */
  headBranch: string | undefined;
  identity: { name: string; email: string };
}

/** Verifies that `checkout` is a clean nixpkgs work tree with `base`; throws with the fix otherwise. */
export async function inspectCheckout(checkout: string, base: string): Promise<CheckoutState> {
  const resolved = path.resolve(checkout);
  let root: string;
  try {
    root = await git(resolved, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new CheckoutError(
      `${resolved} is not a git work tree`,
      "pass the path of a nixpkgs clone with --nixpkgs",
    );
  }

  if ((await realpath(root)) !== (await realpath(resolved))) {
    throw new CheckoutError(
      `${resolved} is inside the git work tree ${root}, not its root`,
      `pass --nixpkgs ${root}`,
    );
  }

  let baseCommit: string;
  try {
    baseCommit = await git(root, ["rev-parse", "--verify", `${base}^{commit}`]);
  } catch {
    throw new CheckoutError(
      `base branch "${base}" not found in ${root}`,
      `fetch it (git -C ${root} fetch <remote> ${base}:${base}) or pass another with --base`,
    );
  }

  for (const required of [moduleFile, "lib/default.nix", "nixos/tests/all-tests.nix"]) {
    if (!(await gitSucceeds(root, ["cat-file", "-e", `${baseCommit}:${required}`]))) {
      throw new CheckoutError(
        `${root} at ${base} has no ${required}, so it is not a nixpkgs checkout this tool supports`,
        "pass the root of a nixpkgs clone with --nixpkgs and a branch that has the Frigate module with --base",
      );
    }
  }

  const status = await git(root, ["status", "--porcelain=v1", "--untracked-files=all"]);
  if (status !== "") {
    const shown = status.split("\n").slice(0, 5).join("\n");
    throw new CheckoutError(
      `${root} has uncommitted changes:\n${shown}`,
      `commit or stash them first (git -C ${root} stash push --include-untracked)`,
    );
  }

  const identity = {
    name: await git(root, ["config", "user.name"]).catch(() => ""),
    email: await git(root, ["config", "user.email"]).catch(() => ""),
  };
  if (identity.name === "" || !/^.+@.*$/.test(identity.email)) {
    throw new CheckoutError(
      "git user.name or user.email is not set; nixpkgs CI rejects commits without them",
      'set them: git config --global user.name "Your Name" && git config --global user.email you@example.com',
    );
  }

  const headBranch = await git(root, ["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(
    () => undefined,
  );
  return { root, baseCommit, headBranch: headBranch || undefined, identity };
}

export async function branchCommit(root: string, branch: string): Promise<string | undefined> {
  try {
    return await git(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  } catch {
    return undefined;
  }
}

export interface Worktree {
  directory: string;
  remove(): Promise<void>;
}

/** Adds a detached worktree of `commit` in a temporary directory. */
export async function addWorktree(root: string, commit: string): Promise<Worktree> {
  const parent = await mkdtemp(path.join(os.tmpdir(), "frigate-auth-pr-"));
  const directory = path.join(parent, "nixpkgs");
  await git(root, ["worktree", "add", "--detach", directory, commit], false);
  return {
    directory,
    async remove() {
      await git(root, ["worktree", "remove", "--force", directory]).catch(() => undefined);
      await rm(parent, { recursive: true, force: true });
      await git(root, ["worktree", "prune"]).catch(() => undefined);
    },
  };
}
