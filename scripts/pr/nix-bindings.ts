/**
 * Attribute bindings of a Nix file, found on the token stream of
 * nix-tokens.ts: `a.b."c" = expr;`, `inherit (x) a b;`, let bindings, and the
 * attribute set a value ends in (`mkIf cond { … }`, `with types; { … }`).
 * Nothing is evaluated; an attribute path is kept as written, with quoted
 * plain names unquoted so `proxyCachePath."frigate"` and
 * `proxyCachePath.frigate` compare equal.
 */
import { lineOf, NixSyntaxError, tokenizeNix, type Token } from "./nix-tokens.ts";

export interface Binding {
  kind: "attribute" | "inherit";
  /** Attribute path as written, relative to the enclosing set; empty for `inherit`. */
  path: string[];
  /** Names an `inherit` brings in. */
  inherited: string[];
  /** Index of the first token of the binding in `NixFile.tokens`. */
  first: number;
  /** Index of the terminating `;`. */
  semicolon: number;
  /** Index of the first value token (after `=`); -1 for `inherit`. */
  valueFirst: number;
}

/** A `{ … }` attribute set or a `let … in` block: the tokens that open and close it. */
export interface BindingBlock {
  open: number;
  close: number;
  bindings: Binding[];
}

export class NixFile {
  readonly source: string;
  /** Tokens without comments, the view the parser works on. */
  readonly tokens: Token[];
  readonly comments: Token[];
  private readonly partner: Map<number, number>;

  constructor(source: string) {
    this.source = source;
    const all = tokenizeNix(source);
    this.tokens = all.filter((token) => token.kind !== "comment");
    this.comments = all.filter((token) => token.kind === "comment");
    this.partner = pairBrackets(this.tokens);
  }

  token(index: number): Token {
    const token = this.tokens[index];
    if (token === undefined) throw new NixSyntaxError("unexpected end of file", this.source.length);
    return token;
  }

  is(index: number, text: string): boolean {
    const token = this.tokens[index];
    return token !== undefined && token.text === text && token.kind !== "stringText";
  }

  /** Index of the bracket, string delimiter or `${` that closes or opens the one at `index`. */
  match(index: number): number {
    const other = this.partner.get(index);
    if (other === undefined) {
      throw new NixSyntaxError(`no partner for ${this.token(index).text}`, this.token(index).start);
    }
    return other;
  }

  line(index: number): number {
    return lineOf(this.source, this.token(index).start);
  }

  /**
   * Skips one expression from `index`; returns the index of the token that
   * ends it (`;`, `in`, a closing bracket or `,`), or tokens.length.
   */
  skipExpression(index: number): number {
    let cursor = index;
    while (cursor < this.tokens.length) {
      const token = this.token(cursor);
      if (isOpener(token)) {
        cursor = this.match(cursor) + 1;
        continue;
      }

      if (token.kind === "punct" && [";", "}", "]", ")", ","].includes(token.text)) return cursor;

      if (token.kind === "identifier" && token.text === "in") return cursor;

      if (token.kind === "identifier" && token.text === "let" && !this.is(cursor + 1, "{")) {
        const block = this.parseBindingList(cursor + 1, "in");
        cursor = block.close + 1;
        continue;
      }

      if (token.kind === "identifier" && (token.text === "with" || token.text === "assert")) {
        const end = this.skipExpression(cursor + 1);
        if (!this.is(end, ";")) this.fail(end, `expected ; after ${token.text}`);
        cursor = end + 1;
        continue;
      }

      cursor += 1;
    }

    return cursor;
  }

  /** Parses bindings from `index` up to the `}` or `in` token that ends the list. */
  parseBindingList(index: number, closer: "}" | "in"): BindingBlock {
    const bindings: Binding[] = [];
    let cursor = index;
    while (cursor < this.tokens.length && !this.is(cursor, closer)) {
      const first = cursor;
      if (this.is(cursor, "inherit")) {
        cursor += 1;
        if (this.is(cursor, "(")) cursor = this.match(cursor) + 1;

        const inherited: string[] = [];
        while (!this.is(cursor, ";")) {
          const name = this.token(cursor);
          if (name.kind === "stringOpen") {
            inherited.push(this.attributeName(cursor));
            cursor = this.match(cursor) + 1;
            continue;
          }

          if (name.kind !== "identifier") this.fail(cursor, "expected a name in inherit");
          inherited.push(name.text);
          cursor += 1;
        }

        bindings.push({
          kind: "inherit",
          path: [],
          inherited,
          first,
          semicolon: cursor,
          valueFirst: -1,
        });
        cursor += 1;
        continue;
      }

      const path: string[] = [];
      for (;;) {
        const part = this.token(cursor);
        if (part.kind === "identifier") {
          path.push(part.text);
          cursor += 1;
        } else if (part.kind === "stringOpen" || part.kind === "interpolationOpen") {
          path.push(this.attributeName(cursor));
          cursor = this.match(cursor) + 1;
        } else {
          this.fail(cursor, `expected an attribute name, found ${JSON.stringify(part.text)}`);
        }

        if (this.is(cursor, ".")) {
          cursor += 1;
          continue;
        }

        break;
      }

      if (!this.is(cursor, "=")) this.fail(cursor, `expected = after ${path.join(".")}`);
      const valueFirst = cursor + 1;
      const end = this.skipExpression(valueFirst);
      if (!this.is(end, ";")) this.fail(end, `expected ; after the value of ${path.join(".")}`);
      bindings.push({ kind: "attribute", path, inherited: [], first, semicolon: end, valueFirst });
      cursor = end + 1;
    }

    if (cursor >= this.tokens.length) this.fail(this.tokens.length - 1, `expected ${closer}`);
    return { open: index - 1, close: cursor, bindings };
  }

  /** Parses the bindings of the attribute set whose `{` is at `open`. */
  parseAttrset(open: number): BindingBlock {
    const block = this.parseBindingList(open + 1, "}");
    if (block.close !== this.match(open)) this.fail(block.close, "unbalanced attribute set");
    return { ...block, open };
  }

  /**
   * Returns the `{` of the attribute set a binding's value ends in, skipping
   * function patterns (`{ … }:`); undefined when the value has none at its top level.
   */
  valueAttrsetOpen(binding: Binding): number | undefined {
    let found: number | undefined;
    let cursor = binding.valueFirst;
    while (cursor < binding.semicolon) {
      const token = this.token(cursor);
      if (token.kind === "punct" && token.text === "{") {
        const close = this.match(cursor);
        if (!this.is(close + 1, ":") && !this.is(close + 1, "@")) found = cursor;
        cursor = close + 1;
        continue;
      }

      cursor = isOpener(token) ? this.match(cursor) + 1 : cursor + 1;
    }

    return found;
  }

  /** Source text from the start of token `first` to the end of token `last`. */
  text(first: number, last: number): string {
    return this.source.slice(this.token(first).start, this.token(last).end);
  }

  /** Identifiers used as variables (not attribute names after `.`, not binding names). */
  variableReferences(first: number, last: number): string[] {
    const names: string[] = [];
    for (let index = first; index <= last && index < this.tokens.length; index += 1) {
      const token = this.token(index);
      if (token.kind !== "identifier") continue;
      if (this.is(index - 1, ".")) continue;
      if (this.is(index + 1, "=") || (this.is(index + 1, ".") && isBindingStart(this, index))) {
        continue;
      }
      names.push(token.text);
    }
    return names;
  }

  private attributeName(index: number): string {
    const token = this.token(index);
    const close = this.match(index);
    if (token.kind === "interpolationOpen") {
      return `\${${this.text(index + 1, close - 1).replace(/\s+/g, "")}}`;
    }

    const inner = this.tokens.slice(index + 1, close);
    if (inner.length === 0) return "";
    if (inner.length === 1 && inner[0]!.kind === "stringText" && !inner[0]!.text.includes("\\")) {
      return inner[0]!.text;
    }

    if (inner[0]!.kind === "interpolationOpen" && this.match(index + 1) === close - 1) {
      return `\${${this.text(index + 2, close - 2).replace(/\s+/g, "")}}`;
    }

    return this.text(index, close).replace(/\s+/g, "");
  }

  fail(index: number, message: string): never {
    const token = this.tokens[index];
    const offset = token?.start ?? this.source.length;
    throw new NixSyntaxError(`${message} (line ${lineOf(this.source, offset)})`, offset);
  }
}

function isOpener(token: Token): boolean {
  return (
    token.kind === "stringOpen" ||
    token.kind === "interpolationOpen" ||
    (token.kind === "punct" && ["{", "[", "("].includes(token.text))
  );
}

// A name followed by `.` starts a binding when the path it starts ends in `=`.
function isBindingStart(file: NixFile, index: number): boolean {
  if (!(
    file.is(index - 1, "{") ||
    file.is(index - 1, ";") ||
    file.is(index - 1, "in") ||
    file.is(index - 1, "let")
  )) {
    return false;
  }
  let cursor = index;
  while (cursor < file.tokens.length) {
    const token = file.token(cursor);
    if (token.kind === "stringOpen" || token.kind === "interpolationOpen") {
      cursor = file.match(cursor) + 1;
    } else if (token.kind === "identifier") {
      cursor += 1;
    } else {
      return false;
    }

    if (file.is(cursor, ".")) {
      cursor += 1;
      continue;
    }
    return file.is(cursor, "=");
  }
  return false;
}

function pairBrackets(tokens: Token[]): Map<number, number> {
  const partner = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((token, index) => {
    if (isOpener(token)) {
      stack.push(index);
      return;
    }

    const closes =
      token.kind === "stringClose" ||
      (token.kind === "punct" && ["}", "]", ")"].includes(token.text));
    if (!closes) return;

    const open = stack.pop();
    if (open === undefined) throw new NixSyntaxError(`unbalanced ${token.text}`, token.start);
    partner.set(open, index);
    partner.set(index, open);
  });
  if (stack.length > 0) {
    const open = tokens[stack[stack.length - 1]!]!;
    throw new NixSyntaxError(`unclosed ${open.text}`, open.start);
  }
  return partner;
}
