/**
 * Turns probe results into the terminal table, a Markdown report and JSON.
 */
import type { ProbeResult } from "./matrix.ts";

export interface VerifyReport {
  backend: string;
  title: string;
  startedAt: string;
  seconds: number;
  neutralised: { directive: string; context: string }[];
  passed: number;
  failed: number;
  results: ProbeResult[];
}

export function summarise(report: Omit<VerifyReport, "passed" | "failed">): VerifyReport {
  const failed = report.results.filter((result) => !result.ok).length;
  return { ...report, passed: report.results.length - failed, failed };
}

interface Column {
  title: string;
  value: (result: ProbeResult) => string;
  alignRight?: boolean;
}

const columns: Column[] = [
  { title: "path", value: (result) => result.path },
  { title: "case", value: (result) => result.label },
  { title: "status", value: (result) => String(result.status), alignRight: true },
  { title: "expected", value: (result) => result.expectedStatus.join("|") },
  { title: "user", value: (result) => result.seenUser || "-" },
  { title: "role", value: (result) => result.seenRole || "-" },
  { title: "ms", value: (result) => String(Math.round(result.milliseconds)), alignRight: true },
  { title: "result", value: (result) => (result.ok ? "ok" : "FAIL") },
];

/** Formats the results as an aligned text table, one row per probe, failures explained below it. */
export function formatTable(
  results: ProbeResult[],
  paint: (ok: boolean, text: string) => string = (_, text) => text,
): string {
  const widths = columns.map((column) =>
    Math.max(column.title.length, ...results.map((result) => column.value(result).length)),
  );
  const pad = (text: string, index: number) =>
    columns[index]!.alignRight ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);

  const lines = [
    columns.map((column, index) => pad(column.title, index)).join("  "),
    widths.map((width) => "-".repeat(width)).join("  "),
  ];

  for (const result of results) {
    const row = columns.map((column, index) => pad(column.value(result), index)).join("  ");
    lines.push(paint(result.ok, row.trimEnd()));
    for (const failure of result.failures) lines.push(`    ${failure}`);
  }

  return lines.join("\n");
}

export function formatSummary(report: VerifyReport): string {
  const neutralised = report.neutralised.length;
  return [
    `${report.title}: ${report.results.length} probes in ${report.seconds.toFixed(1)} s`,
    neutralised > 0
      ? `${neutralised} directive(s) of nginx modules missing here were neutralised (listed in the report)`
      : "no directive was neutralised",
    `${report.passed} passed, ${report.failed} failed`,
  ].join("\n");
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}

export function formatMarkdown(report: VerifyReport): string {
  const header = `| ${columns.map((column) => column.title).join(" | ")} |`;
  const rule = `| ${columns.map(() => "---").join(" | ")} |`;
  const rows = report.results.map(
    (result) => `| ${columns.map((column) => escapeCell(column.value(result))).join(" | ")} |`,
  );
  const failures = report.results
    .filter((result) => !result.ok)
    .map((result) => `- ${result.path} (${result.label}): ${result.failures.join("; ")}`);
  const neutralised = report.neutralised.map(
    (entry) => `- \`${entry.directive}\` in ${entry.context}`,
  );

  return [
    `# verify: ${report.title}`,
    "",
    `Started ${report.startedAt}, ${report.seconds.toFixed(1)} s, ${report.passed} passed, ${report.failed} failed.`,
    "",
    header,
    rule,
    ...rows,
    "",
    ...(failures.length > 0 ? ["## Failures", "", ...failures, ""] : []),
    ...(neutralised.length > 0 ? ["## Neutralised directives", "", ...neutralised, ""] : []),
  ].join("\n");
}
