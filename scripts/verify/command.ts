/**
 * `frigate-auth verify`: proves the generated Frigate vhost with real nginx
 * and stand-in servers, and prints the matrix.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { UsageError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { repositoryRoot } from "../nix/evaluate.ts";
import { loadConfigScenario, parseBackend } from "./config.ts";
import { runVerify } from "./pipeline.ts";
import { formatMarkdown, formatSummary, formatTable } from "./report.ts";
import { backendNames, bundledScenarios } from "./scenarios/index.ts";

export const verifyUsage = `usage: frigate-auth verify [options]

Evaluates the Frigate vhost with Nix, runs it in real nginx on 127.0.0.1 with
stand-ins for Frigate, go2rtc and the forward-auth server, and checks every
protected and public path. Without options it checks the bundled example:
oauth2-proxy in front of Kanidm.

options:
  --backend NAME     auth server to stand in for: ${backendNames.join(", ")}
                     (default: oauth2-proxy, or the "backend" of --config)
  --config FILE      your services.frigate.nginx values: a .json or .nix file,
                     or a .ts/.js module with a default export, shaped as
                     { backend, nginx: { … }, settings?, users? }
  --json             print the report as JSON on stdout instead of the table
  --report-dir DIR   where to write report.md and report.json
                     (default: reports/verify/<backend>)
  --keep             keep the temporary nginx prefix and print its path
  --verbose          print every command and probe
  --quiet            print only the result
  -h, --help         show this help`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        backend: { type: "string" },
        config: { type: "string" },
        json: { type: "boolean", default: false },
        "report-dir": { type: "string" },
        keep: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { hint: "run `frigate-auth verify --help`" });
  }
  const options = parsed.values;

  if (options.help) {
    log.result(verifyUsage);
    return 0;
  }
  if (options.verbose) log.level = "debug";
  if (options.quiet || options.json) log.level = "warn";

  const backend = options.backend === undefined ? undefined : parseBackend(options.backend);
  const scenario = options.config
    ? await loadConfigScenario(options.config, backend)
    : bundledScenarios[backend ?? "oauth2-proxy"];

  const { report, prefix } = await runVerify({
    scenario,
    keep: options.keep,
    onResult: (result, index, total) => {
      const mark = result.ok ? log.paint("green", "ok") : log.paint("red", "FAIL");
      log.info(`[${index}/${total}] ${mark} ${result.path} ${result.label} → ${result.status}`);
    },
  });

  const reportDir = path.resolve(
    options["report-dir"] ?? path.join(repositoryRoot, "reports/verify", scenario.backend),
  );
  await mkdir(reportDir, { recursive: true });
  await writeFile(path.join(reportDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(reportDir, "report.md"), formatMarkdown(report));

  if (options.json) {
    log.result(JSON.stringify(report, null, 2));
  } else {
    log.result(formatTable(report.results, (ok, text) => (ok ? text : log.paint("red", text))));
    log.result("");
    log.result(formatSummary(report));
  }
  log.info(`report: ${path.join(reportDir, "report.md")}`);
  // A warning, so that --quiet and --json still show where the files are.
  if (options.keep) log.warn(`nginx prefix kept at ${prefix}`);

  return report.failed === 0 ? 0 : 1;
}
