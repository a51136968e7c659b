/**
 * Reads from the project's nixos/module.nix what the upstream module must
 * also define: the `services.frigate.settings…` defaults and the `warnings`
 * under `config`, with the let bindings and `inherit (lib)` names they use.
 *
 * The project module may wrap them in `mkIf`/`mkMerge` (plain or `lib.`);
 * conditions are pushed down onto each definition, which is what the module
 * system does with `mkIf cond { a = x; }` anyway, so the upstream module can
 * keep its flat `config = mkIf cfg.enable { … }`. The outer `mkIf cfg.enable`
 * is dropped because the upstream config already has it.
 */
import { AnchorError } from "./frigate-module-errors.ts";
import { NixFile, type Binding, type BindingBlock } from "./nix-bindings.ts";
import { NixSyntaxError } from "./nix-tokens.ts";
import { includeLeadingComments, indentationAt, lineStart, reindent } from "./text-edits.ts";

export interface SettingsDefinition {
  /** Attribute path relative to `config`, e.g. services.frigate.settings.auth.enabled. */
  path: string[];
  /** `path = value;` with the conditions applied and comments kept, at column 0. */
  text: string;
}

export interface CarriedBinding {
  name: string;
  /** The whole binding with its comments, at column 0. */
  text: string;
  /** The value, for comparing with an existing binding of the same name. */
  value: string;
}

export interface ProjectSettings {
  definitions: SettingsDefinition[];
  letBindings: CarriedBinding[];
  /** Names the definitions take from `inherit (lib)` of the project module. */
  libNames: string[];
}

const settingsPath = ["services", "frigate", "settings"];

interface Condition {
  first: number;
  last: number;
}

/** Parses `{ … }: let … in { … }` and returns the let block and the body. */
export function parseModuleFile(
  source: string,
  label: string,
): { file: NixFile; letBlock: BindingBlock; body: BindingBlock } {
  let file: NixFile;
  try {
    file = new NixFile(source);
  } catch (error) {
    if (error instanceof NixSyntaxError) throw new AnchorError("Nix syntax", label, error.message);
    throw error;
  }

  let cursor = 0;
  while (cursor < file.tokens.length) {
    if (file.is(cursor, "{") && file.is(file.match(cursor) + 1, ":")) {
      cursor = file.match(cursor) + 2;
    } else if (file.token(cursor).kind === "identifier" && file.is(cursor + 1, ":")) {
      cursor += 2;
    } else {
      break;
    }
  }

  if (!file.is(cursor, "let")) {
    throw new AnchorError(
      "let … in { … }",
      `${label}:${file.line(cursor)}`,
      "the module body does not start with let",
    );
  }

  const letBlock = file.parseBindingList(cursor + 1, "in");
  const bodyOpen = letBlock.close + 1;
  if (!file.is(bodyOpen, "{")) {
    throw new AnchorError(
      "let … in { … }",
      `${label}:${file.line(bodyOpen)}`,
      "expected { after in",
    );
  }

  return { file, letBlock, body: file.parseAttrset(bodyOpen) };
}

/** Names in `inherit (lib) …;` bindings of a let block. */
export function libInherits(
  file: NixFile,
  block: BindingBlock,
): { binding: Binding | undefined; names: string[] } {
  const binding = block.bindings.find(
    (candidate) =>
      candidate.kind === "inherit" &&
      file.is(candidate.first + 1, "(") &&
      file.text(candidate.first + 2, file.match(candidate.first + 1) - 1).trim() === "lib",
  );
  return { binding, names: binding?.inherited ?? [] };
}

export function extractProjectSettings(source: string, label: string): ProjectSettings {
  const { file, letBlock, body } = parseModuleFile(source, label);
  const definitions: Array<{ binding: Binding; path: string[]; conditions: Condition[] }> = [];

  const visitBlock = (block: BindingBlock, context: string[], conditions: Condition[]): void => {
    for (const binding of block.bindings) {
      if (binding.kind !== "attribute") continue;

      const full = [...context, ...binding.path];
      if (startsWith(full, settingsPath) || equals(full, ["warnings"])) {
        definitions.push({ binding, path: full, conditions });
        continue;
      }

      if (startsWith(settingsPath, full)) {
        walk(binding.valueFirst, binding.semicolon - 1, full, conditions);
      }
    }
  };

  const walk = (first: number, last: number, context: string[], conditions: Condition[]): void => {
    while (file.is(first, "(") && file.match(first) === last) {
      first += 1;
      last -= 1;
    }

    const callee = calleeAt(file, first);
    if (callee?.name === "mkIf") {
      const conditionLast = atomEnd(file, callee.next);
      const condition = { first: callee.next, last: conditionLast };
      const dropped = normalise(file.text(condition.first, condition.last)) === "cfg.enable";
      walk(conditionLast + 1, last, context, dropped ? conditions : [...conditions, condition]);
      return;
    }

    if (callee?.name === "mkMerge" && file.is(callee.next, "[")) {
      let element = callee.next + 1;
      const close = file.match(callee.next);
      while (element < close) {
        const elementLast = atomEnd(file, element);
        walk(element, elementLast, context, conditions);
        element = elementLast + 1;
      }
      return;
    }

    if (file.is(first, "{") && file.match(first) === last) {
      visitBlock(file.parseAttrset(first), context, conditions);
    }
  };

  const config = body.bindings.find((binding) => equals(binding.path, ["config"]));
  if (config !== undefined) walk(config.valueFirst, config.semicolon - 1, [], []);
  for (const binding of body.bindings) {
    if (binding.kind === "attribute" && binding.path[0] === "config" && binding.path.length > 1) {
      visitBlock(
        { open: -1, close: -1, bindings: [{ ...binding, path: binding.path.slice(1) }] },
        [],
        [],
      );
    }
  }

  if (definitions.length === 0) {
    throw new AnchorError(
      "config.services.frigate.settings / config.warnings",
      label,
      "the project module defines neither under config",
    );
  }

  // Let bindings and lib names the definitions use, followed transitively.
  const letNames = new Map<string, Binding>();
  for (const binding of letBlock.bindings) {
    if (binding.kind === "attribute" && binding.path.length === 1)
      letNames.set(binding.path[0]!, binding);
  }
  const projectLib = new Set(libInherits(file, letBlock).names);

  const carried = new Set<string>();
  const libNames = new Set<string>();
  const queue: Array<[number, number]> = definitions.flatMap((definition) => [
    [definition.binding.valueFirst, definition.binding.semicolon - 1] as [number, number],
    ...definition.conditions.map(
      (condition) => [condition.first, condition.last] as [number, number],
    ),
  ]);
  if (definitions.some((definition) => definition.conditions.length > 0)) libNames.add("mkIf");
  while (queue.length > 0) {
    const [first, last] = queue.shift()!;
    for (const name of file.variableReferences(first, last)) {
      if (projectLib.has(name)) libNames.add(name);
      const binding = letNames.get(name);
      if (binding === undefined || name === "cfg" || carried.has(name)) continue;

      if (
        file.tokens
          .slice(binding.valueFirst, binding.semicolon)
          .some((token) => token.kind === "path")
      ) {
        throw new AnchorError(
          `let ${name}`,
          `${label}:${file.line(binding.first)}`,
          "a settings default or warning uses it, but it refers to a project file",
        );
      }
      carried.add(name);
      queue.push([binding.valueFirst, binding.semicolon - 1]);
    }
  }

  return {
    definitions: definitions.map((definition) => ({
      path: definition.path,
      text: renderDefinition(file, definition.binding, definition.path, definition.conditions),
    })),
    letBindings: [...carried].map((name) => {
      const binding = letNames.get(name)!;
      return {
        name,
        text: bindingText(file, binding),
        value: normalise(file.text(binding.valueFirst, binding.semicolon - 1)),
      };
    }),
    libNames: [...libNames].sort(),
  };
}

function renderDefinition(
  file: NixFile,
  binding: Binding,
  path: string[],
  conditions: Condition[],
): string {
  const source = file.source;
  const indent = indentationAt(source, file.token(binding.first).start);
  const comments = commentLines(file, binding);
  let value = reindent(file.text(binding.valueFirst, binding.semicolon - 1), indent, "");
  if (conditions.length > 0) {
    const condition = conditions
      .map((entry) => {
        const text = file.text(entry.first, entry.last);
        return conditions.length > 1 && !isAtom(file, entry.first, entry.last) ? `(${text})` : text;
      })
      .join(" && ");
    const wrappedCondition = conditions.length > 1 ? `(${condition})` : condition;
    const atomValue = isAtom(file, binding.valueFirst, binding.semicolon - 1)
      ? value
      : `(${value})`;
    value = `mkIf ${wrappedCondition} ${atomValue}`;
  }
  return [...comments, `${path.map(quoteAttribute).join(".")} = ${value};`].join("\n");
}

function bindingText(file: NixFile, binding: Binding): string {
  const source = file.source;
  const indent = indentationAt(source, file.token(binding.first).start);
  const own = reindent(file.text(binding.first, binding.semicolon), indent, "");
  return [...commentLines(file, binding), own].join("\n");
}

function commentLines(file: NixFile, binding: Binding): string[] {
  const source = file.source;
  const firstLine = lineStart(source, file.token(binding.first).start);
  const start = includeLeadingComments(source, file.token(binding.first).start);
  return source
    .slice(start, firstLine)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** `mkIf`, `lib.mkIf`, `mkMerge` or `lib.mkMerge` at `index`; `next` is the first argument. */
function calleeAt(file: NixFile, index: number): { name: string; next: number } | undefined {
  if (file.is(index, "lib") && file.is(index + 1, ".")) {
    const name = file.tokens[index + 2]?.text;
    if (name === "mkIf" || name === "mkMerge") return { name, next: index + 3 };
  }
  const name = file.tokens[index]?.text;
  if (file.tokens[index]?.kind === "identifier" && (name === "mkIf" || name === "mkMerge")) {
    return { name, next: index + 1 };
  }
  return undefined;
}

/** Last token of the argument-sized expression at `index`: a bracketed group, string or select chain. */
function atomEnd(file: NixFile, index: number): number {
  const token = file.token(index);
  let last = index;
  if (
    ["stringOpen", "interpolationOpen"].includes(token.kind) ||
    ["(", "[", "{"].includes(token.text)
  ) {
    last = file.match(index);
  }
  while (file.is(last + 1, ".") && file.tokens[last + 2] !== undefined) {
    last = file.token(last + 2).kind === "stringOpen" ? file.match(last + 2) : last + 2;
  }
  return last;
}

function isAtom(file: NixFile, first: number, last: number): boolean {
  return atomEnd(file, first) === last;
}

function quoteAttribute(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) || name.startsWith("${")
    ? name
    : JSON.stringify(name);
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

function equals(a: string[], b: string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

export function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
