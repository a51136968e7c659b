/**
 * Registration of VM tests in nixos/tests/all-tests.nix. The entries live in a
 * `# keep-sorted start … # keep-sorted end` block that CI checks with
 * keep-sorted (`case=no block=yes` as of nixpkgs 26.11): an entry is a line at
 * the block's indentation plus its more-indented continuation lines, and
 * entries are ordered by their text, compared case-insensitively.
 */
import { AnchorError } from "./frigate-module-errors.ts";

export interface TestEntry {
  /** Attribute name, e.g. `frigate-sso`. */
  name: string;
  /** File name relative to nixos/tests/, e.g. `frigate-sso.nix`. */
  file: string;
}

export function renderTestEntry(entry: TestEntry): string {
  return `${entry.name} = runTest ./${entry.file};`;
}

/** Inserts the entries in sorted order; returns the new text and the names it added. */
export function registerTests(
  source: string,
  entries: TestEntry[],
  label: string,
): { content: string; added: string[] } {
  const lines = source.split("\n");
  const block = findBlock(lines, label);
  const added: string[] = [];

  for (const entry of entries) {
    const line = `${block.indent}${renderTestEntry(entry)}`;
    const starts = entryStarts(lines, block);
    const existing = starts.find((index) => entryName(lines[index]!) === entry.name);
    if (existing !== undefined) {
      if (lines[existing]!.trim() === renderTestEntry(entry)) continue;
      throw new AnchorError(
        `all-tests.nix entry ${entry.name}`,
        `${label}:${existing + 1}`,
        "already registered with a different definition",
      );
    }

    const key = sortKey(line);
    const before = starts.find((index) => sortKey(lines[index]!) > key);
    lines.splice(before ?? block.end, 0, line);
    block.end += 1;
    added.push(entry.name);
  }

  return { content: lines.join("\n"), added };
}

interface Block {
  /** Index of the first line after `# keep-sorted start`. */
  start: number;
  /** Index of the `# keep-sorted end` line. */
  end: number;
  indent: string;
}

function findBlock(lines: string[], label: string): Block {
  const blocks: Block[] = [];
  lines.forEach((line, index) => {
    if (!/^\s*# keep-sorted start\b/.test(line)) return;
    const end = lines.findIndex(
      (candidate, after) => after > index && /^\s*# keep-sorted end\b/.test(candidate),
    );
    if (end === -1)
      throw new AnchorError("# keep-sorted end", `${label}:${index + 1}`, "block is not closed");
    blocks.push({ start: index + 1, end, indent: /^\s*/.exec(line)![0] });
  });

  const withFrigate = blocks.filter((block) =>
    lines.slice(block.start, block.end).some((line) => /^\s*frigate\s*=/.test(line)),
  );
  if (withFrigate.length === 1) return withFrigate[0]!;
  if (withFrigate.length > 1) {
    throw new AnchorError("# keep-sorted start", label, "several keep-sorted blocks list frigate");
  }
  throw new AnchorError(
    "# keep-sorted start … frigate = …",
    label,
    "no keep-sorted block contains the existing `frigate = …;` entry",
  );
}

function entryStarts(lines: string[], block: Block): number[] {
  const starts: number[] = [];
  for (let index = block.start; index < block.end; index += 1) {
    const line = lines[index]!;
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (/^\s*/.exec(line)![0] === block.indent && entryName(line) !== undefined) starts.push(index);
  }
  return starts;
}

function entryName(line: string): string | undefined {
  return /^\s*([A-Za-z0-9_'-]+|"[^"]+")\s*=/.exec(line)?.[1];
}

function sortKey(line: string): string {
  return line.trim().toLowerCase();
}
