/**
 * Line-aware text edits on a source string: splices that are applied from the
 * end so earlier offsets stay valid, and helpers to find the whole lines a
 * binding and its attached comments occupy.
 */

export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** What the edit does, for the overlap error. */
  label: string;
}

/** Applies non-overlapping edits; throws when two edits touch the same range. */
export function applyEdits(source: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = source;
  let previousStart = Number.POSITIVE_INFINITY;
  let previousLabel = "";
  for (const edit of sorted) {
    if (edit.end > previousStart) {
      throw new Error(`edits overlap: "${edit.label}" and "${previousLabel}"`);
    }

    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    previousStart = edit.start;
    previousLabel = edit.label;
  }
  return result;
}

export function lineStart(source: string, offset: number): number {
  return source.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset after the newline that ends the line containing `offset`. */
export function lineEnd(source: string, offset: number): number {
  const newline = source.indexOf("\n", offset);
  return newline === -1 ? source.length : newline + 1;
}

export function indentationAt(source: string, offset: number): string {
  const start = lineStart(source, offset);
  return /^[ \t]*/.exec(source.slice(start))![0];
}

/**
 * Moves `start` up over comment lines directly above it (no blank line in
 * between), so a removed binding takes its why-comment along.
 */
export function includeLeadingComments(source: string, start: number): number {
  let first = lineStart(source, start);
  for (;;) {
    if (first === 0) return first;
    const previous = lineStart(source, first - 1);
    const line = source.slice(previous, first - 1);
    if (!/^\s*(#|\/\*.*\*\/\s*$)/.test(line)) return first;
    first = previous;
  }
}

/** Whether the line after the one containing `offset` is blank. */
export function followedByBlankLine(source: string, offset: number): boolean {
  const next = lineEnd(source, offset);
  const after = source.slice(next, lineEnd(source, next));
  return next < source.length && after.trim() === "";
}

/** Shifts the indentation of every line after the first from `from` to `to`. */
export function reindent(text: string, from: string, to: string): string {
  return text
    .split("\n")
    .map((line, index) => {
      if (index === 0 || line.trim() === "") return index === 0 ? line : "";
      return line.startsWith(from) ? to + line.slice(from.length) : line;
    })
    .join("\n");
}
