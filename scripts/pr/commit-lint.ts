/**
 * Commit subject rules of nixpkgs' CI (ci/github-script/lint-commits.ts, read
 * at nixpkgs master in 2026): the subject contains ": ", does not end in a
 * period, does not start with amend!/fixup!/squash!, and is not a
 * conventional-commit subject. A conventional type is ignored when a changed
 * path has a segment of that name, so `doc: …` passes for a commit that
 * touches a `doc/` directory.
 */

export const conventionalCommitTypes = [
  "build",
  "chore",
  "ci",
  "doc",
  "docs",
  "feat",
  "feature",
  "fix",
  "perf",
  "refactor",
  "services",
  "style",
  "test",
  "update",
];

/** Returns the rule violations of a subject; empty when it passes. */
export function lintCommitSubject(subject: string, changedPaths: string[] = []): string[] {
  const problems: string[] = [];
  if (!subject.includes(": ")) problems.push('does not contain ": " (a colon and a space)');
  if (subject.endsWith(".")) problems.push("ends in a period");

  const fixup = ["amend!", "fixup!", "squash!"].find((prefix) => subject.startsWith(prefix));
  if (fixup !== undefined) problems.push(`starts with "${fixup}"`);

  const segments = new Set(changedPaths.flatMap((file) => file.split("/")));
  const types = conventionalCommitTypes.filter((type) => !segments.has(type));
  const conventional = new RegExp(`^(${types.join("|")})!?(\\(.*\\))?!?:`);
  if (types.length > 0 && conventional.test(subject)) {
    problems.push("uses conventional-commit form, which nixpkgs does not use");
  }

  return problems;
}
