/** The summary of a `vm-test` run: a table on stdout and summary files in the reports directory. */
import { writeFile } from "node:fs/promises";
import path from "node:path";

export type Outcome = "passed" | "failed" | "not run";

export interface CheckResult {
  name: string;
  outcome: Outcome;
  seconds: number;
  logFile: string | undefined;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;

  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function formatSummary(results: readonly CheckResult[]): string {
  const rows = results.map((result) => [
    result.name,
    result.outcome,
    result.outcome === "not run" ? "-" : formatDuration(result.seconds),
    result.logFile ?? "-",
  ]);
  const header = ["check", "result", "time", "log"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();

  const counts = countOutcomes(results);
  return [
    format(header),
    format(widths.map((width) => "-".repeat(width))),
    ...rows.map(format),
    "",
    `${counts.passed} passed, ${counts.failed} failed, ${counts.notRun} not run`,
  ].join("\n");
}

export function countOutcomes(results: readonly CheckResult[]) {
  return {
    passed: results.filter((result) => result.outcome === "passed").length,
    failed: results.filter((result) => result.outcome === "failed").length,
    notRun: results.filter((result) => result.outcome === "not run").length,
  };
}

export async function writeSummaryFiles(
  reportDir: string,
  results: readonly CheckResult[],
): Promise<void> {
  await writeFile(
    path.join(reportDir, "summary.json"),
    `${JSON.stringify({ results, counts: countOutcomes(results) }, null, 2)}\n`,
  );
  await writeFile(
    path.join(reportDir, "summary.md"),
    `# vm-test summary\n\n\`\`\`\n${formatSummary(results)}\n\`\`\`\n`,
  );
}
