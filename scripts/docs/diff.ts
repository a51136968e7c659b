/** A line-based unified diff for showing how a committed generated file drifted. */

/** Returns a unified diff of two texts with `context` lines around each change, or "" when equal. */
export function unifiedDiff(
  oldText: string,
  newText: string,
  oldLabel: string,
  newLabel: string,
  context = 3,
): string {
  if (oldText === newText) return "";

  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  const edits = diffLines(oldLines, newLines);

  const hunks: string[] = [];
  let index = 0;
  while (index < edits.length) {
    if ((edits[index] as Edit).kind === " ") {
      index++;
      continue;
    }

    // Grow the hunk while the next change is within 2 × context unchanged lines.
    const start = Math.max(0, index - context);
    let end = index;
    let last = index;
    while (end < edits.length) {
      if ((edits[end] as Edit).kind !== " ") last = end;
      else if (end - last > 2 * context) break;
      end++;
    }
    const stop = Math.min(edits.length, last + context + 1);
    hunks.push(formatHunk(edits.slice(start, stop)));
    index = stop;
  }

  return [`--- ${oldLabel}`, `+++ ${newLabel}`, ...hunks].join("\n") + "\n";
}

interface Edit {
  kind: " " | "-" | "+";
  line: string;
  oldNumber: number;
  newNumber: number;
}

function splitLines(text: string): string[] {
  if (text === "") return [];

  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Computes a shortest edit script through the longest common subsequence table. */
function diffLines(oldLines: string[], newLines: string[]): Edit[] {
  const rows = oldLines.length;
  const columns = newLines.length;
  const common: Uint32Array[] = Array.from(
    { length: rows + 1 },
    () => new Uint32Array(columns + 1),
  );
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      const row = common[i] as Uint32Array;
      row[j] =
        oldLines[i] === newLines[j]
          ? ((common[i + 1] as Uint32Array)[j + 1] as number) + 1
          : Math.max((common[i + 1] as Uint32Array)[j] as number, row[j + 1] as number);
    }
  }

  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && oldLines[i] === newLines[j]) {
      edits.push({ kind: " ", line: oldLines[i] as string, oldNumber: i++, newNumber: j++ });
    } else if (
      j < columns &&
      (i === rows ||
        ((common[i] as Uint32Array)[j + 1] as number) >
          ((common[i + 1] as Uint32Array)[j] as number))
    ) {
      edits.push({ kind: "+", line: newLines[j] as string, oldNumber: i, newNumber: j++ });
    } else {
      edits.push({ kind: "-", line: oldLines[i] as string, oldNumber: i++, newNumber: j });
    }
  }

  return edits;
}

function formatHunk(edits: Edit[]): string {
  const first = edits[0] as Edit;
  const oldCount = edits.filter((edit) => edit.kind !== "+").length;
  const newCount = edits.filter((edit) => edit.kind !== "-").length;
  const oldStart = oldCount === 0 ? first.oldNumber : first.oldNumber + 1;
  const newStart = newCount === 0 ? first.newNumber : first.newNumber + 1;

  const header = `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`;
  return [header, ...edits.map((edit) => `${edit.kind}${edit.line}`)].join("\n");
}
