import { execa } from "execa";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { assemblePullRequest } from "../../scripts/pr/assemble.ts";
import { findExecutable } from "../../scripts/lib/exec.ts";
import {
  createCheckout,
  fixtureProject,
  frigateModule,
  git,
  replaceInFile,
  runPr,
  snapshot,
  type Checkout,
} from "./nixpkgs-checkout.ts";

const branch = "nixos-frigate-sso";
const checkouts: Checkout[] = [];

async function checkout(edit?: (root: string) => Promise<void>): Promise<Checkout> {
  const created = await createCheckout(edit);
  checkouts.push(created);
  return created;
}

function prArgs(created: Checkout, ...extra: string[]): string[] {
  return [
    "--nixpkgs",
    created.root,
    "--project",
    fixtureProject,
    "--description",
    path.join(created.parent, "description.md"),
    ...extra,
  ];
}

afterEach(async () => {
  await Promise.all(checkouts.splice(0).map((created) => created.cleanup()));
});

describe("frigate-auth pr", () => {
  it("creates branch with nixpkgs-style commits", async () => {
    const created = await checkout();
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created));

    expect(result.stderr).not.toContain("error:");
    expect(result.exitCode).toBe(0);
    const subjects = (
      await git(created.root, "log", "--reverse", "--format=%s", `master..${branch}`)
    ).split("\n");
    expect(subjects).toEqual([
      "nixos/frigate: add nginx.authRequestUrl and reverse-proxy options",
      "nixos/tests/frigate-sso: init",
      "nixos/doc: add release note for services.frigate.nginx options",
    ]);
    const authors = await git(created.root, "log", "--format=%an <%ae>", `master..${branch}`);
    expect(new Set(authors.split("\n"))).toEqual(
      new Set(["Test Contributor <contributor@example.com>"]),
    );

    const files = (await git(created.root, "diff", "--name-only", `master...${branch}`))
      .split("\n")
      .sort();
    expect(files).toEqual([
      "nixos/doc/manual/release-notes/rl-2611.section.md",
      "nixos/modules/services/video/frigate.nix",
      "nixos/modules/services/video/frigate/nginx-args.nix",
      "nixos/modules/services/video/frigate/nginx-options.nix",
      "nixos/modules/services/video/frigate/nginx-vhost.nix",
      "nixos/modules/services/video/frigate/validate.nix",
      "nixos/tests/all-tests.nix",
      "nixos/tests/frigate-sso.nix",
    ]);

    const after = await snapshot(created.root);
    expect(after.head).toBe(before.head);
    expect(after.branch).toBe("master");
    expect(after.status).toBe("");
    expect(after.worktrees).toBe(before.worktrees);

    expect(result.stdout).toContain(`created branch ${branch} with 3 commits`);
    expect(result.stdout).toContain(`push <your-fork-remote> ${branch}`);
    expect(result.stdout).toContain(path.join(created.parent, "description.md"));
  });

  it("edits frigate.nix at every anchor", async () => {
    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);

    const module = await git(created.root, "show", `${branch}:${frigateModule}`);
    expect(module).toContain(
      "frigateNginx = import ./frigate/nginx-vhost.nix (import ./frigate/nginx-args.nix cfg);",
    );
    expect(module).toContain(
      "inherit (import ./frigate/nginx-options.nix { inherit lib; }) nginx;",
    );
    expect(module).toContain("upstreams = frigateNginx.upstreams;");
    expect(module).toContain("proxyCachePath = frigateNginx.proxyCachePath;");
    expect(module).toContain('virtualHosts."${cfg.hostname}" = frigateNginx.virtualHost;');
    expect(module).toContain("appendHttpConfig = frigateNginx.appendHttpConfig;");
    expect(module).not.toContain("nginxAuthRequest");
    expect(module).not.toContain("nginxProxySettings");
    expect(module).not.toContain("location /api/vod/");
    // Used outside the replaced attributes, so it stays.
    expect(module).toContain('cacheDirectory = "/var/cache/frigate";');
    // Carried over from the project module, with its condition pushed down.
    expect(module).toContain("  external = cfg.nginx.authRequestUrl != null;");
    expect(module).toContain("  frigateAuthEnabled = cfg.settings.auth.enabled or null;");
    expect(module).toMatch(/^    optional\n    types\n    ;$/m);
    expect(module).toContain(
      "services.frigate.settings.auth.enabled = mkIf external (mkDefault false);",
    );
    expect(module).toContain("services.frigate.settings.proxy.header_map = mkIf external {");
    expect(module).toContain("warnings = mkIf external (optional (frigateAuthEnabled == true) ''");
    expect(module).not.toContain("The virtual host: one location per Frigate endpoint.");

    const options = await git(
      created.root,
      "show",
      `${branch}:nixos/modules/services/video/frigate/nginx-options.nix`,
    );
    expect(options).toContain("check = import ./validate.nix;");
    const vhost = await git(
      created.root,
      "show",
      `${branch}:nixos/modules/services/video/frigate/nginx-vhost.nix`,
    );
    expect(vhost).toContain("check = import ./validate.nix;");
  });

  it("registers test in keep-sorted order", async () => {
    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);

    const allTests = (await git(created.root, "show", `${branch}:nixos/tests/all-tests.nix`)).split(
      "\n",
    );
    const frigate = allTests.indexOf("  frigate = runTest ./frigate.nix;");
    const sso = allTests.indexOf("  frigate-sso = runTest ./frigate-sso.nix;");
    const froide = allTests.indexOf("  froide-govplan = runTest ./web-apps/froide-govplan.nix;");
    expect(frigate).toBeGreaterThan(-1);
    expect(sso).toBe(frigate + 1);
    expect(froide).toBe(sso + 1);
  });

  it("adds release note to newest file only", async () => {
    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);

    const released = await git(
      created.root,
      "diff",
      `master...${branch}`,
      "--",
      "nixos/doc/manual/release-notes/rl-2605.section.md",
    );
    expect(released).toBe("");

    const notes = (
      await git(created.root, "show", `${branch}:nixos/doc/manual/release-notes/rl-2611.section.md`)
    ).split("\n");
    const item = notes.findIndex((line) =>
      line.includes("(#opt-services.frigate.nginx.authRequestUrl)"),
    );
    const section = notes.indexOf("## Other Notable Changes {#sec-release-26.11-notable-changes}");
    const nextSection = notes.indexOf("## Nixpkgs Library {#sec-release-26.11-nixpkgs-lib}");
    expect(item).toBeGreaterThan(section);
    expect(item).toBeLessThan(nextSection);
    expect(notes.join("\n")).toContain(
      "[services.frigate.nginx.authRequestUrl](#opt-services.frigate.nginx.authRequestUrl)",
    );
  });

  it("leaves touched Nix files parseable", async (context) => {
    const nixInstantiate = await findExecutable("nix-instantiate");
    if (nixInstantiate === undefined) {
      context.skip("nix-instantiate not found on PATH");
      return;
    }

    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);

    const files = (await git(created.root, "diff", "--name-only", `master...${branch}`)).split(
      "\n",
    );
    const nixFiles = files.filter((file) => file.endsWith(".nix"));
    expect(nixFiles.length).toBe(7);
    const scratch = await mkdtemp(path.join(created.parent, "parse-"));
    for (const file of nixFiles) {
      const copy = path.join(scratch, file.replaceAll("/", "_"));
      await writeFile(copy, await git(created.root, "show", `${branch}:${file}`));
      const parsed = await execa(nixInstantiate, ["--parse", copy], { reject: false });
      expect(parsed.stderr, file).toBe("");
      expect(parsed.exitCode, file).toBe(0);
    }
  });

  it("reports second run as already applied", async () => {
    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);
    const before = await snapshot(created.root);

    const second = await runPr(prArgs(created));

    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`already applied: ${branch} has the change; nothing changed`);
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("reports change merged into base", async () => {
    const created = await checkout();
    expect((await runPr(prArgs(created))).exitCode).toBe(0);
    await git(created.root, "merge", "--quiet", "--ff-only", branch);
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created, "--branch", "second-try"));

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("already applied: master has the change; nothing changed");
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("rejects existing branch with other content", async () => {
    const created = await checkout();
    await git(created.root, "branch", branch);
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created));

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      `branch ${branch} already exists in ${created.root} with different content`,
    );
    expect(result.stderr).toContain(`hint: delete it (git -C ${created.root} branch -D ${branch})`);
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("rejects dirty tree without touching it", async () => {
    const created = await checkout();
    await writeFile(path.join(created.root, "untracked.txt"), "work in progress\n");
    await replaceInFile(path.join(created.root, "lib/default.nix"), "{ }", "{ dirty = true; }");
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created));

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${created.root} has uncommitted changes`);
    expect(result.stderr).toContain("untracked.txt");
    expect(result.stderr).toContain("hint: commit or stash them first");
    expect(result.stdout).toBe("");
    expect(await snapshot(created.root)).toEqual(before);
    expect(existsSync(path.join(created.parent, "description.md"))).toBe(false);
  });

  it("rejects missing base branch", async () => {
    const created = await checkout();
    const result = await runPr(prArgs(created, "--base", "nixos-unstable"));

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`base branch "nixos-unstable" not found in ${created.root}`);
  });

  it("stops at missing anchor unchanged", async () => {
    const created = await checkout(async (root) => {
      await replaceInFile(
        path.join(root, frigateModule),
        `      upstreams = {
        frigate-api.servers = {
          "127.0.0.1:5001" = { };
        };
      };
`,
        "",
      );
    });
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created));

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /anchor services\.nginx\.upstreams at nixos\/modules\/services\/video\/frigate\.nix:\d+: not found \(E_UNSUPPORTED_UPSTREAM\)/,
    );
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("stops at ambiguous anchor unchanged", async () => {
    const created = await checkout(async (root) => {
      await replaceInFile(
        path.join(root, frigateModule),
        "    systemd.services.frigate = {",
        '    services.nginx.appendHttpConfig = "";\n\n    systemd.services.frigate = {',
      );
    });
    const before = await snapshot(created.root);

    const result = await runPr(prArgs(created));

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /anchor services\.nginx\.appendHttpConfig at .*frigate\.nix:\d+: ambiguous, defined at/,
    );
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("rolls back injected failure after commits", async () => {
    const created = await checkout();
    const before = await snapshot(created.root);

    await expect(
      assemblePullRequest({
        nixpkgs: created.root,
        base: "master",
        branch,
        dryRun: false,
        projectRoot: fixtureProject,
        descriptionFile: path.join(created.parent, "description.md"),
        failAfter: "tests",
      }),
    ).rejects.toThrow("injected failure after step tests");

    expect(await snapshot(created.root)).toEqual(before);
    expect(await git(created.root, "branch", "--list", branch)).toBe("");
    expect(existsSync(path.join(created.parent, "description.md"))).toBe(false);
  });

  it("prints diff and description on dry run", async () => {
    const created = await checkout();
    const before = await snapshot(created.root);

    const result = await runPr([
      "--nixpkgs",
      created.root,
      "--project",
      fixtureProject,
      "--dry-run",
    ]);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("diff --git a/nixos/modules/services/video/frigate.nix");
    expect(result.stdout).toContain("+  frigate-sso = runTest ./frigate-sso.nix;");
    expect(result.stdout).toContain("## Motivation for this change");
    expect(result.stdout).toContain("dry run: 3 commits, 8 files; nothing was created");
    expect(await snapshot(created.root)).toEqual(before);
  });

  it("writes description with evidence and checklist", async () => {
    const created = await checkout();
    const evidence = path.join(created.parent, "verify.json");
    await writeFile(
      evidence,
      JSON.stringify({
        results: [
          { name: "oauth2-proxy: anonymous /api/ gets 401", status: "passed" },
          { name: "authelia: forged Remote-User is dropped", status: "failed" },
        ],
      }),
    );
    const vmResults = path.join(created.parent, "vm.json");
    await writeFile(vmResults, JSON.stringify({ tests: [{ name: "frigate-sso", passed: true }] }));

    const result = await runPr(prArgs(created, "--evidence", evidence, "--vm-results", vmResults));
    expect(result.exitCode).toBe(0);

    const description = await readFile(path.join(created.parent, "description.md"), "utf8");
    expect(description).toContain(
      "**nginx verification matrix:** 1 passed, 1 failed (from `verify.json`).",
    );
    expect(description).toContain("| authelia: forged Remote-User is dropped | **failed** |");
    expect(description).toContain("- [x] [NixOS tests] in [nixos/tests].");
    expect(description).toContain(
      "- [x] Added a release notes entry if the change is significant.",
    );
    expect(description).toContain(
      "- [x] Follows the automation and AI policy: automated or AI help is disclosed.",
    );
    expect(description).toContain("- [ ] Fits CONTRIBUTING.md.");
    expect(description).toContain("  - [ ] x86_64-linux");
    expect(description).not.toContain("A comment the description must not repeat.");
  });

  it("rejects description inside checkout", async () => {
    const created = await checkout();
    const result = await runPr([
      "--nixpkgs",
      created.root,
      "--project",
      fixtureProject,
      "--description",
      path.join(created.root, "pr.md"),
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("is inside the nixpkgs checkout");
    expect(await git(created.root, "branch", "--list", branch)).toBe("");
  });
});

describe("frigate-auth pr with the repository's own Nix files", () => {
  it("dry-runs against miniature nixpkgs", async (context) => {
    const root = path.resolve(fixtureProject, "../../../..");
    const needed = [
      "nixos/lib/vhost.nix",
      "nixos/options.nix",
      "nixos/lib/generator-args.nix",
      "nixos/module.nix",
    ];
    const missing = needed.filter((file) => !existsSync(path.join(root, file)));
    if (missing.length > 0) {
      context.skip(`repository files not written yet: ${missing.join(", ")}`);
      return;
    }

    const created = await checkout();
    const result = await runPr(["--nixpkgs", created.root, "--project", root, "--dry-run"]);

    expect(result.stderr).not.toContain("error:");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("+++ b/nixos/modules/services/video/frigate/nginx-vhost.nix");
  });
});
