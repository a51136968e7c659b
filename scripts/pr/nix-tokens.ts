/**
 * A tokenizer for Nix source, enough to find attribute bindings and balance
 * brackets without evaluating anything. Strings are split into their literal
 * parts and `${ … }` interpolations, so identifiers inside an interpolation
 * are tokens like any other and every `${` pairs with a `}` in the stream.
 *
 * Lexical rules follow the Nix 2.x lexer: `"…"` strings with `\` escapes,
 * `''…''` strings with the `'''`, `''$` and `''\x` escapes, `#` and `/* *\/`
 * comments, paths (`./a/b`, `../a`, `~/a`, `<nixpkgs>`) and bare URIs.
 */

export type TokenKind =
  | "identifier"
  | "number"
  | "path"
  | "uri"
  | "punct"
  | "stringOpen"
  | "stringText"
  | "stringClose"
  | "interpolationOpen"
  | "comment";

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the first character in the source. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

export class NixSyntaxError extends Error {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "NixSyntaxError";
    this.offset = offset;
  }
}

const identifierPattern = /[A-Za-z_][A-Za-z0-9_'-]*/y;
const numberPattern = /(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[Ee][+-]?[0-9]+)?/y;
const pathPattern = /(?:[A-Za-z0-9._+-]*(?:\/[A-Za-z0-9._+-]+)+\/?|~(?:\/[A-Za-z0-9._+-]+)+\/?)/y;
const searchPathPattern = /<[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*>/y;
const uriPattern = /[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9%/?:@&=+$,_.!~*'-]+/y;
const punctuation = [
  "...",
  "${",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "->",
  "//",
  "++",
  "|>",
  "<|",
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  ";",
  ":",
  "=",
  ".",
  ",",
  "?",
  "@",
  "+",
  "-",
  "*",
  "/",
  "<",
  ">",
  "!",
];

function matchAt(pattern: RegExp, source: string, offset: number): string | undefined {
  pattern.lastIndex = offset;
  const match = pattern.exec(source);
  return match?.[0];
}

/** Splits Nix source into tokens; whitespace is dropped, comments are kept. */
export function tokenizeNix(source: string): Token[] {
  const tokens: Token[] = [];
  // One entry per open `{`, `${` or string, so a `}` knows what it closes.
  const stack: Array<"brace" | "interpolation"> = [];
  let offset = 0;

  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: source.slice(start, end), start, end });
  };

  // Scans string content up to the closing quote or an interpolation; returns the new offset.
  const scanString = (start: number, indented: boolean): number => {
    let index = start;
    while (index < source.length) {
      if (indented && source.startsWith("''", index)) {
        const next = source[index + 2];
        if (next === "'" || next === "$") {
          index += 3;
          continue;
        }

        if (next === "\\") {
          index += 4;
          continue;
        }

        if (index > start) push("stringText", start, index);
        push("stringClose", index, index + 2);
        return index + 2;
      }

      if (!indented && source[index] === "\\") {
        index += 2;
        continue;
      }

      if (!indented && source[index] === '"') {
        if (index > start) push("stringText", start, index);
        push("stringClose", index, index + 1);
        return index + 1;
      }

      if (source.startsWith("${", index)) {
        if (index > start) push("stringText", start, index);
        push("interpolationOpen", index, index + 2);
        stack.push("interpolation");
        const afterInterpolation = scanExpression(index + 2, stack.length - 1);
        start = afterInterpolation;
        index = afterInterpolation;
        continue;
      }

      if (source.startsWith("$$", index)) {
        index += 2;
        continue;
      }

      index += 1;
    }

    throw new NixSyntaxError(`unterminated ${indented ? "indented " : ""}string`, start);
  };

  // Scans expression tokens until the stack shrinks back to `depth` (a closed interpolation) or the end.
  const scanExpression = (start: number, depth: number): number => {
    let index = start;
    while (index < source.length) {
      const char = source[index]!;
      if (/\s/.test(char)) {
        index += 1;
        continue;
      }

      if (char === "#") {
        const newline = source.indexOf("\n", index);
        const end = newline === -1 ? source.length : newline;
        push("comment", index, end);
        index = end;
        continue;
      }

      if (source.startsWith("/*", index)) {
        const close = source.indexOf("*/", index + 2);
        if (close === -1) throw new NixSyntaxError("unterminated /* comment", index);
        push("comment", index, close + 2);
        index = close + 2;
        continue;
      }

      if (char === '"') {
        push("stringOpen", index, index + 1);
        index = scanString(index + 1, false);
        continue;
      }

      if (source.startsWith("''", index)) {
        push("stringOpen", index, index + 2);
        index = scanString(index + 2, true);
        continue;
      }

      const path = matchAt(pathPattern, source, index) ?? matchAt(searchPathPattern, source, index);
      if (path !== undefined && (path.includes("/") || path.startsWith("<"))) {
        push("path", index, index + path.length);
        index += path.length;
        continue;
      }

      const uri = matchAt(uriPattern, source, index);
      const identifier = matchAt(identifierPattern, source, index);
      if (uri !== undefined && identifier !== undefined && uri.length > identifier.length + 1) {
        push("uri", index, index + uri.length);
        index += uri.length;
        continue;
      }

      if (identifier !== undefined) {
        push("identifier", index, index + identifier.length);
        index += identifier.length;
        continue;
      }

      const number = matchAt(numberPattern, source, index);
      if (number !== undefined && number !== ".") {
        push("number", index, index + number.length);
        index += number.length;
        continue;
      }

      const punct = punctuation.find((candidate) => source.startsWith(candidate, index));
      if (punct === undefined) {
        throw new NixSyntaxError(`unexpected character ${JSON.stringify(char)}`, index);
      }

      if (punct === "{" || punct === "${") {
        stack.push(punct === "{" ? "brace" : "interpolation");
        push(punct === "{" ? "punct" : "interpolationOpen", index, index + punct.length);
        index += punct.length;
        continue;
      }

      if (punct === "}") {
        const opened = stack.pop();
        if (opened === undefined) throw new NixSyntaxError("unbalanced }", index);
        push("punct", index, index + 1);
        index += 1;
        if (opened === "interpolation" && stack.length === depth) return index;
        continue;
      }

      push("punct", index, index + punct.length);
      index += punct.length;
    }

    if (depth >= 0) throw new NixSyntaxError("unterminated ${ interpolation", start);
    return index;
  };

  scanExpression(0, -1);
  if (stack.length > 0) throw new NixSyntaxError("unbalanced {", source.length);
  return tokens;
}

/** Returns 1-based line and column of an offset, for messages. */
export function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < source.length; index += 1) {
    if (source[index] === "\n") line += 1;
  }
  return line;
}
