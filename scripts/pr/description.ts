/**
 * The pull request description: motivation, the new options, migration from
 * hand-written overrides, test evidence, and the checklist of the checkout's
 * .github/PULL_REQUEST_TEMPLATE.md with only the items ticked that this run
 * makes true. The automation disclosure item is always kept and ticked,
 * because this tool wrote the change.
 */
import { ConfigError } from "../lib/errors.ts";

export interface EvidenceSummary {
  source: string;
  passed: number;
  failed: number;
  rows: Array<{ name: string; passed: boolean }>;
}

export interface DescriptionInput {
  title: string;
  branch: string;
  base: string;
  commits: Array<{ subject: string; sha: string }>;
  files: string[];
  template: string | undefined;
  verify: EvidenceSummary | undefined;
  vmTests: EvidenceSummary | undefined;
  testNames: string[];
  releaseNotesFile: string;
}

const passWords = new Set(["pass", "passed", "ok", "success", "succeeded"]);

/** Reads a JSON report with a list of named results (`results`, `cases`, `checks` or `tests`). */
export function summarizeEvidence(text: string, source: string): EvidenceSummary {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON`, {
      hint: "pass the JSON report that `npm run verify -- --report` or `npm run vm-test` writes",
      cause: error,
    });
  }

  const record = (data ?? {}) as Record<string, unknown>;
  const list = ["results", "cases", "checks", "tests"]
    .map((key) => record[key])
    .find((value): value is unknown[] => Array.isArray(value));
  if (list === undefined) {
    throw new ConfigError(`${source} has no results, cases, checks or tests array`, {
      hint: 'expected {"results": [{"name": "...", "status": "passed"}, ...]}',
    });
  }

  const rows = list.map((item, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = String(entry["name"] ?? entry["id"] ?? entry["title"] ?? `#${index + 1}`);
    const status = entry["status"] ?? entry["outcome"] ?? entry["result"];
    const passed =
      entry["passed"] === true ||
      entry["ok"] === true ||
      (typeof status === "string" && passWords.has(status.toLowerCase()));
    return { name, passed };
  });

  const passed = rows.filter((row) => row.passed).length;
  return { source, passed, failed: rows.length - passed, rows };
}

/** Ticks the template items this run makes true and adds the disclosure item when missing. */
export function renderChecklist(template: string | undefined, input: DescriptionInput): string[] {
  const vmTestsPassed =
    input.vmTests !== undefined && input.vmTests.failed === 0 && input.vmTests.passed > 0;
  const disclosure = /\b(AI|LLM|automat|generat)/i;
  const lines = (template ?? "").replace(/<!--[\s\S]*?-->/g, "").split("\n");
  const first = lines.findIndex((line) => /^\s*- /.test(line));
  let last = -1;
  lines.forEach((line, index) => {
    if (/^\s*- \[[ xX]\]/.test(line)) last = index;
  });

  const checklist = first === -1 || last === -1 ? [] : lines.slice(first, last + 1);
  let disclosed = false;
  const ticked = checklist.map((line) => {
    if (!/^\s*- \[[ xX]\]/.test(line)) return line;

    const isDisclosure = disclosure.test(line);
    if (isDisclosure) disclosed = true;

    const tick =
      isDisclosure || /release notes?/i.test(line) || (/NixOS tests?/i.test(line) && vmTestsPassed);
    return tick ? line.replace(/- \[[ xX]\]/, "- [x]") : line.replace(/- \[[xX]\]/, "- [ ]");
  });

  if (!disclosed) {
    ticked.push(
      "- [x] Prepared with automated help (the frigate-auth `pr` command); the submitter reviewed every change and is responsible for it.",
    );
  }
  return ticked;
}

function renderEvidence(
  title: string,
  summary: EvidenceSummary | undefined,
  missing: string,
): string[] {
  if (summary === undefined) return [`**${title}:** ${missing}`, ""];

  return [
    `**${title}:** ${summary.passed} passed, ${summary.failed} failed (from \`${summary.source}\`).`,
    "",
    "| check | result |",
    "| --- | --- |",
    ...summary.rows.map(
      (row) => `| ${row.name.replaceAll("|", "\\|")} | ${row.passed ? "passed" : "**failed**"} |`,
    ),
    "",
  ];
}

export function renderDescription(input: DescriptionInput): string {
  const tests = input.testNames.map((name) => `\`nix-build -A nixosTests.${name}\``).join(", ");
  return [
    `# ${input.title}`,
    "",
    "## Motivation for this change",
    "",
    "Frigate trusts the `Remote-User` and `Remote-Role` headers it receives, so the nginx virtual host",
    "that `services.frigate` writes is the only gate in front of it. Until now that host could only ask",
    "Frigate's own `/auth` endpoint; putting Frigate behind an SSO forward-auth server (oauth2-proxy,",
    "Authelia, authentik) meant overriding the stock locations with `lib.mkForce`, which breaks whenever",
    "the module's locations change and easily leaves a path without `auth_request`.",
    "",
    "This adds options that point nginx's `auth_request` at such a server and map its identity headers",
    "onto Frigate's, with every location generated from one function so none is left unprotected.",
    "",
    "## New options",
    "",
    "- `services.frigate.nginx.authRequestUrl` (default `null`: Frigate's own `/auth`, as before)",
    "- `services.frigate.nginx.authRequestTimeout`",
    "- `services.frigate.nginx.signInUrl`, `services.frigate.nginx.signOutUrl`",
    "- `services.frigate.nginx.reverseProxy.{userHeader,roleHeader,groupsHeader,emailHeader,nameHeader}`",
    "- `services.frigate.nginx.reverseProxy.{defaultRole,roleMap,separator}`",
    "",
    "With `authRequestUrl` unset, the generated virtual host keeps today's behaviour.",
    "",
    "## Migration from manual overrides",
    "",
    "Remove `lib.mkForce` overrides of `services.nginx.virtualHosts.<hostname>.locations` and of the",
    "`nginxAuthRequest` snippet, then set `services.frigate.nginx.authRequestUrl` (for oauth2-proxy",
    '`"http://127.0.0.1:4180/oauth2/auth"`), `signInUrl` and the `reverseProxy` header names of your auth',
    "server. `services.frigate.settings.auth.enabled` now defaults to `false` when `authRequestUrl` is set.",
    "",
    "## Test evidence",
    "",
    ...renderEvidence(
      "nginx verification matrix",
      input.verify,
      "not attached (run `npm run verify` in the frigate-auth repository and pass `--evidence`).",
    ),
    ...renderEvidence(
      "NixOS VM tests",
      input.vmTests,
      `not run for this description; run ${tests || "the new tests"} on a builder with KVM.`,
    ),
    "## Commits",
    "",
    ...input.commits.map((commit) => `- ${commit.sha.slice(0, 12)} ${commit.subject}`),
    "",
    "## Things done",
    "",
    ...renderChecklist(input.template, input),
    "",
  ].join("\n");
}
