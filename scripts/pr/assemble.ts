/**
 * Builds the nixpkgs branch: module change, VM tests, release note, each as
 * its own commit in a temporary worktree of the base commit. The branch ref is
 * created only after every step succeeded, so the checkout is unchanged on any
 * failure; a dry run removes the worktree and creates nothing.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { UsageError } from "../lib/errors.ts";
import { findExecutable, runCommand } from "../lib/exec.ts";
import { log } from "../lib/log.ts";
import { registerTests, type TestEntry } from "./all-tests.ts";
import { addWorktree, branchCommit, CheckoutError, git, inspectCheckout } from "./checkout.ts";
import { lintCommitSubject } from "./commit-lint.ts";
import { renderDescription, summarizeEvidence, type EvidenceSummary } from "./description.ts";
import { editFrigateModule } from "./frigate-module.ts";
import {
  moduleFile,
  placeProjectFiles,
  projectInputs,
  projectModule,
  testsDirectory,
  type PlacedFile,
} from "./layout.ts";
import { addReleaseNote, newestReleaseNotes, releaseNotesDirectory } from "./release-notes.ts";

export const steps = ["module", "tests", "release-notes"] as const;
export type Step = (typeof steps)[number];

export interface PrOptions {
  nixpkgs: string;
  base: string;
  branch: string;
  dryRun: boolean;
  /** Root of the frigate-auth repository whose nixos/ files are copied. */
  projectRoot: string;
  /** Output path of the PR description; default reports/pr/<branch>.md in the project. */
  descriptionFile?: string;
  evidenceFile?: string;
  vmResultsFile?: string;
  /** Test hook: throw right after this step's commit, to prove the rollback. */
  failAfter?: Step;
}

export interface PrOutcome {
  status: "created" | "already-applied" | "dry-run";
  branch: string;
  /** Ref that already contains the change, for status already-applied. */
  appliedOn: string | undefined;
  commits: Array<{ sha: string; subject: string }>;
  files: string[];
  descriptionFile: string | undefined;
  description: string;
  diff: string;
  formatted: boolean;
  parsed: boolean;
}

interface Commit {
  subject: string;
  body: string;
  files: string[];
}

const moduleSubject = "nixos/frigate: add nginx.authRequestUrl and reverse-proxy options";

/** Runs the whole command; see the module comment for the order of events. */
export async function assemblePullRequest(options: PrOptions): Promise<PrOutcome> {
  const checkout = await inspectCheckout(options.nixpkgs, options.base);
  const existingBranch = await branchCommit(checkout.root, options.branch);
  const descriptionFile = resolveDescriptionFile(options, checkout.root);

  const verify = await readEvidence(options.evidenceFile);
  const vmTests = await readEvidence(options.vmResultsFile);
  const moduleFiles = await placeProjectFiles(options.projectRoot, [
    projectInputs.generator.project,
    projectInputs.options.project,
    projectInputs.generatorArgs.project,
  ]);
  const projectModuleSource = await readProjectFile(options.projectRoot, projectModule);
  const generatorArgsSource = await readProjectFile(
    options.projectRoot,
    projectInputs.generatorArgs.project,
  );
  const { tests } = await collectTests(options.projectRoot);

  const worktree = await addWorktree(checkout.root, checkout.baseCommit);
  try {
    const tools = {
      formatter: await findFormatter(),
      nixInstantiate: await findExecutable("nix-instantiate"),
    };
    if (tools.formatter === undefined) {
      log.warn(
        `nixfmt and treefmt not found on PATH; formatting skipped. Format before pushing: ` +
          `cd ${checkout.root} && nix-shell --run treefmt`,
      );
    }
    if (tools.nixInstantiate === undefined) {
      log.warn("nix-instantiate not found on PATH; the touched .nix files were not parse-checked");
    }

    const commit = async (step: Step, change: Commit | undefined): Promise<void> => {
      if (change !== undefined && change.files.length > 0) {
        await formatAndParse(worktree.directory, change.files, tools);
        await commitChange(worktree.directory, change);
      }
      if (options.failAfter === step) throw new Error(`injected failure after step ${step}`);
    };

    await commit(
      "module",
      await applyModuleStep(
        worktree.directory,
        moduleFiles,
        projectModuleSource,
        generatorArgsSource,
      ),
    );
    for (const test of tests) {
      await commit("tests", await applyTestStep(worktree.directory, test));
    }
    if (tests.length === 0 && options.failAfter === "tests") {
      throw new Error("injected failure after step tests");
    }
    await commit("release-notes", await applyReleaseNoteStep(worktree.directory));

    const commits = await listCommits(worktree.directory, checkout.baseCommit);
    const files = (
      await git(worktree.directory, ["diff", "--name-only", checkout.baseCommit, "HEAD"])
    )
      .split("\n")
      .filter(Boolean);
    const diff = (
      await runCommand("git", ["diff", checkout.baseCommit, "HEAD"], {
        cwd: worktree.directory,
        quiet: true,
      })
    ).stdout;
    const template = await readFile(
      path.join(worktree.directory, ".github/PULL_REQUEST_TEMPLATE.md"),
      "utf8",
    ).catch(() => undefined);
    const releaseNotes = newestReleaseNotes(
      await readdir(path.join(worktree.directory, releaseNotesDirectory)).catch(() => []),
    );
    const description = renderDescription({
      title: moduleSubject,
      branch: options.branch,
      base: options.base,
      commits,
      files,
      template,
      verify,
      vmTests,
      testNames: tests.map((test) => test.name),
      releaseNotesFile: releaseNotes ?? "",
    });
    const outcome = {
      branch: options.branch,
      commits,
      files,
      description,
      diff,
      formatted: tools.formatter !== undefined,
      parsed: tools.nixInstantiate !== undefined,
    };

    if (commits.length === 0) {
      log.info(`the change is already part of ${options.base}; nothing to do`);
      return {
        ...outcome,
        status: "already-applied",
        appliedOn: options.base,
        descriptionFile: undefined,
      };
    }

    if (existingBranch !== undefined) {
      const builtTree = await git(worktree.directory, ["rev-parse", "HEAD^{tree}"]);
      const branchTree = await git(checkout.root, ["rev-parse", `${existingBranch}^{tree}`]);
      if (builtTree !== branchTree) {
        throw new CheckoutError(
          `branch ${options.branch} already exists in ${checkout.root} with different content`,
          `delete it (git -C ${checkout.root} branch -D ${options.branch}) or pass another name with --branch`,
        );
      }

      log.info(`branch ${options.branch} already has this change; nothing changed`);
      return {
        ...outcome,
        status: "already-applied",
        appliedOn: options.branch,
        descriptionFile: undefined,
      };
    }

    if (options.dryRun) {
      if (options.descriptionFile !== undefined)
        await writeDescription(descriptionFile, description);
      return {
        ...outcome,
        status: "dry-run",
        appliedOn: undefined,
        descriptionFile: options.descriptionFile === undefined ? undefined : descriptionFile,
      };
    }

    const head = await git(worktree.directory, ["rev-parse", "HEAD"]);
    await writeDescription(descriptionFile, description);
    await git(checkout.root, ["branch", options.branch, head], false);
    return { ...outcome, status: "created", appliedOn: undefined, descriptionFile };
  } finally {
    await worktree.remove();
  }
}

function resolveDescriptionFile(options: PrOptions, checkoutRoot: string): string {
  const file = path.resolve(
    options.descriptionFile ??
      path.join(options.projectRoot, "reports", "pr", `${options.branch.replaceAll("/", "-")}.md`),
  );
  const relative = path.relative(checkoutRoot, file);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) {
    throw new UsageError(`--description ${file} is inside the nixpkgs checkout`, {
      hint: "write the description outside the checkout, so it never ends up in a commit",
    });
  }
  return file;
}

async function writeDescription(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

async function readEvidence(file: string | undefined): Promise<EvidenceSummary | undefined> {
  if (file === undefined) return undefined;

  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new UsageError(`cannot read evidence report ${file}`, {
      hint: "check the path",
      cause: error,
    });
  });
  return summarizeEvidence(text, path.basename(file));
}

async function readProjectFile(projectRoot: string, relative: string): Promise<string> {
  const file = path.join(projectRoot, relative);
  if (!existsSync(file)) {
    throw new UsageError(`project file ${relative} not found under ${projectRoot}`, {
      hint: "pass the frigate-auth repository root with --project",
    });
  }
  return readFile(file, "utf8");
}

interface ProjectTest extends TestEntry {
  /** Placed files of this test: the test itself and the helpers it imports. */
  files: PlacedFile[];
}

/** VM tests are nixos/tests/frigate-*.nix files of the project that no other test imports. */
async function collectTests(
  projectRoot: string,
): Promise<{ tests: ProjectTest[]; testFiles: PlacedFile[] }> {
  const directory = path.join(projectRoot, testsDirectory);
  const names = (await readdir(directory).catch(() => [] as string[]))
    .filter((name) => /^frigate-.+\.nix$/.test(name))
    .sort();
  const testFiles = await placeProjectFiles(
    projectRoot,
    names.map((name) => `${testsDirectory}/${name}`),
  );

  const imported = new Set<string>();
  for (const file of testFiles) {
    for (const other of testFiles) {
      if (other !== file && other.content.includes(`./${path.basename(file.nixpkgs)}`))
        imported.add(file.project);
    }
  }

  const tests = names
    .map((name) => `${testsDirectory}/${name}`)
    .filter((project) => !imported.has(project))
    .map((project) => {
      const test = testFiles.find((placed) => placed.project === project)!;
      const helpers = testFiles.filter(
        (placed) =>
          imported.has(placed.project) &&
          test.content.includes(`./${path.basename(placed.nixpkgs)}`),
      );
      const file = path.basename(project);
      return { name: file.replace(/\.nix$/, ""), file, files: [test, ...helpers] };
    });
  return { tests, testFiles };
}

async function writePlaced(root: string, files: PlacedFile[]): Promise<string[]> {
  const changed: string[] = [];
  for (const file of files) {
    const target = path.join(root, file.nixpkgs);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === file.content) continue;

    if (
      current !== undefined &&
      !file.nixpkgs.startsWith("nixos/modules/services/video/frigate/")
    ) {
      throw new CheckoutError(
        `${file.nixpkgs} already exists in nixpkgs with other content`,
        `rename ${file.project} in the project so it does not replace an existing nixpkgs file`,
      );
    }

    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content);
    changed.push(file.nixpkgs);
  }
  return changed;
}

async function applyModuleStep(
  root: string,
  files: PlacedFile[],
  projectModuleSource: string,
  generatorArgsSource: string,
): Promise<Commit | undefined> {
  const target = path.join(root, moduleFile);
  const result = editFrigateModule({
    upstream: await readFile(target, "utf8"),
    upstreamPath: moduleFile,
    projectModule: projectModuleSource,
    projectModulePath: projectModule,
    generatorArgs: generatorArgsSource,
  });

  const changed = await writePlaced(root, files);
  if (result.status === "applied") {
    await writeFile(target, result.content);
    changed.unshift(moduleFile);
    if (result.removedBindings.length > 0) {
      log.info(`removed let bindings nothing uses any more: ${result.removedBindings.join(", ")}`);
    }
  }

  if (changed.length === 0) return undefined;
  return {
    subject: moduleSubject,
    body: [
      "Let nginx's auth_request ask an SSO forward-auth server (oauth2-proxy,",
      "Authelia, authentik) and pass the user and role it returns to Frigate as",
      "Remote-User and Remote-Role. The upstreams, cache path, http config and",
      "virtual host now come from one generator in frigate/nginx-vhost.nix, so",
      "every location gets the same auth handling. Without authRequestUrl the",
      "virtual host keeps asking Frigate's own /auth endpoint.",
    ].join("\n"),
    files: changed,
  };
}

async function applyTestStep(root: string, test: ProjectTest): Promise<Commit | undefined> {
  const changed = await writePlaced(root, test.files);
  const registry = path.join(root, testsDirectory, "all-tests.nix");
  const { content, added } = registerTests(
    await readFile(registry, "utf8"),
    [test],
    `${testsDirectory}/all-tests.nix`,
  );
  if (added.length > 0) {
    await writeFile(registry, content);
    changed.push(`${testsDirectory}/all-tests.nix`);
  }

  if (changed.length === 0) return undefined;
  return {
    subject: `nixos/tests/${test.name}: init`,
    body: `VM test of services.frigate behind a forward-auth server; run it with\nnix-build -A nixosTests.${test.name}.`,
    files: changed,
  };
}

async function applyReleaseNoteStep(root: string): Promise<Commit | undefined> {
  const directory = path.join(root, releaseNotesDirectory);
  const newest = newestReleaseNotes(await readdir(directory).catch(() => []));
  if (newest === undefined) {
    throw new CheckoutError(
      `no rl-YYMM.section.md in ${releaseNotesDirectory}`,
      "update the nixpkgs checkout; the release notes layout may have changed",
    );
  }

  const relative = `${releaseNotesDirectory}/${newest}`;
  const { content, changed } = addReleaseNote(
    await readFile(path.join(root, relative), "utf8"),
    relative,
  );
  if (!changed) return undefined;

  await writeFile(path.join(root, relative), content);
  return {
    subject: `nixos/doc: add release note for services.frigate.nginx options`,
    body: `Mention the new forward-auth options in ${newest}, the release in development.`,
    files: [relative],
  };
}

type Formatter = { name: "nixfmt" | "treefmt"; file: string };

async function findFormatter(): Promise<Formatter | undefined> {
  const nixfmt = await findExecutable("nixfmt");
  if (nixfmt !== undefined) return { name: "nixfmt", file: nixfmt };

  const treefmt = await findExecutable("treefmt");
  if (treefmt !== undefined) return { name: "treefmt", file: treefmt };
  return undefined;
}

async function formatAndParse(
  root: string,
  files: string[],
  tools: { formatter: Formatter | undefined; nixInstantiate: string | undefined },
): Promise<void> {
  const nixFiles = files.filter((file) => file.endsWith(".nix"));
  if (tools.formatter !== undefined && nixFiles.length > 0) {
    await runCommand(tools.formatter.file, nixFiles, { cwd: root });
  }

  if (tools.nixInstantiate === undefined) return;
  for (const file of nixFiles) {
    await runCommand(tools.nixInstantiate, ["--parse", file], {
      cwd: root,
      errorCode: "E_NIX_EVAL",
      hint: `${file} does not parse after the edit; this is a bug in the pr command's edit of it`,
    });
  }
}

async function commitChange(root: string, change: Commit): Promise<void> {
  const problems = lintCommitSubject(change.subject, change.files);
  if (problems.length > 0) {
    throw new Error(
      `commit subject "${change.subject}" breaks nixpkgs rules: ${problems.join("; ")}`,
    );
  }

  await git(root, ["add", "--", ...change.files]);
  await git(root, ["commit", "--quiet", "-m", change.subject, "-m", change.body], false);
}

async function listCommits(
  root: string,
  base: string,
): Promise<Array<{ sha: string; subject: string }>> {
  const output = await git(root, ["log", "--reverse", "--format=%H %s", `${base}..HEAD`]);
  return output
    .split("\n")
    .filter(Boolean)
    .map((line) => ({ sha: line.slice(0, 40), subject: line.slice(41) }));
}
