/**
 * `frigate-auth pr`: applies the Frigate SSO change to a nixpkgs checkout as a
 * branch of nixpkgs-style commits and writes the pull request description.
 * It never pushes.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { UsageError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { assemblePullRequest, type PrOutcome } from "./assemble.ts";

const defaultProjectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const usage = `usage: frigate-auth pr --nixpkgs PATH [options]

Creates a branch in a nixpkgs checkout with the services.frigate.nginx
options, their VM tests and a release note, and writes the pull request
description. The checkout must be clean; it is never pushed and its checked-out
branch and files stay as they are (the commits are built in a temporary worktree).

options:
  --nixpkgs PATH        root of the nixpkgs clone (required)
  --base REF            branch or commit to start from (default: master)
  --branch NAME         branch to create (default: nixos-frigate-sso)
  --dry-run             print the diff and the description; create nothing
  --project DIR         frigate-auth repository whose nixos/ files are copied
                        (default: this repository)
  --description FILE    where to write the description, outside the checkout
                        (default: <project>/reports/pr/<branch>.md)
  --evidence FILE       JSON report of \`verify\` to cite as test evidence
  --vm-results FILE     JSON report of the VM tests to cite
  --verbose             show every git command
  -h, --help            show this help`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nixpkgs: { type: "string" },
        base: { type: "string", default: "master" },
        branch: { type: "string", default: "nixos-frigate-sso" },
        "dry-run": { type: "boolean", default: false },
        project: { type: "string" },
        description: { type: "string" },
        evidence: { type: "string" },
        "vm-results": { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, { hint: "run `frigate-auth pr --help`" });
  }

  if (values.help) {
    log.result(usage);
    return 0;
  }

  if (values.nixpkgs === undefined) {
    throw new UsageError("--nixpkgs is required", {
      hint: "pass the root of a nixpkgs clone: --nixpkgs ~/src/nixpkgs",
    });
  }

  if (!/^[A-Za-z0-9._/-]+$/.test(values.branch) || values.branch.startsWith("-")) {
    throw new UsageError(`--branch "${values.branch}" is not a usable branch name`, {
      hint: "use letters, digits, '.', '_', '-' and '/'",
    });
  }

  if (values.verbose) log.level = "debug";

  const outcome = await assemblePullRequest({
    nixpkgs: values.nixpkgs,
    base: values.base,
    branch: values.branch,
    dryRun: values["dry-run"],
    projectRoot: path.resolve(values.project ?? defaultProjectRoot),
    descriptionFile: values.description,
    evidenceFile: values.evidence,
    vmResultsFile: values["vm-results"],
  });

  report(outcome, values.nixpkgs, values.base);
  return 0;
}

function report(outcome: PrOutcome, nixpkgs: string, base: string): void {
  if (outcome.status === "already-applied") {
    log.result(`already applied: ${outcome.appliedOn} has the change; nothing changed`);
    return;
  }

  if (outcome.status === "dry-run") {
    log.result(outcome.diff);
    log.result(outcome.description);
    log.result(
      `dry run: ${outcome.commits.length} commits, ${outcome.files.length} files; nothing was created`,
    );
    return;
  }

  const root = path.resolve(nixpkgs);
  const baseBranch = base.replace(/^[^/]+\//, "");
  const title = outcome.commits[0]?.subject ?? "";
  log.result(`created branch ${outcome.branch} with ${outcome.commits.length} commits:`);
  for (const commit of outcome.commits)
    log.result(`  ${commit.sha.slice(0, 12)} ${commit.subject}`);
  log.result(`description: ${outcome.descriptionFile}`);
  log.result("");
  log.result("next steps (review the commits first; the tool never pushes):");
  log.result(`  git -C ${root} log -p ${base}..${outcome.branch}`);
  log.result(`  git -C ${root} push <your-fork-remote> ${outcome.branch}`);
  log.result(
    `  gh pr create --repo NixOS/nixpkgs --base ${baseBranch} --head <your-github-user>:${outcome.branch} ` +
      `--title '${title}' --body-file ${outcome.descriptionFile}`,
  );
}
