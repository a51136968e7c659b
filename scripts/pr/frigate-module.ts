/**
 * The structured edit of nixpkgs' nixos/modules/services/video/frigate.nix:
 * declare the project's options, call the vhost generator from a let binding,
 * replace the four stock services.nginx attributes with its output, drop the
 * stock let bindings nothing uses any more, and add the settings defaults and
 * warnings of the project module. Every place the edit relies on is an
 * anchor; a missing or ambiguous anchor stops the edit with its name and line.
 */
import { exitCodes, ToolkitError } from "../lib/errors.ts";
import path from "node:path";

import { moduleFile, projectInputs } from "./layout.ts";
import { NixFile, type Binding, type BindingBlock } from "./nix-bindings.ts";
import { NixSyntaxError } from "./nix-tokens.ts";
import {
  applyEdits,
  followedByBlankLine,
  includeLeadingComments,
  indentationAt,
  lineEnd,
  lineStart,
  reindent,
  type TextEdit,
} from "./text-edits.ts";

/** Name of the let binding that holds the generator's output in the upstream module. */
export const generatorBinding = "frigateNginx";

const relativeToModule = (nixpkgsPath: string): string =>
  `./${path.posix.relative(path.posix.dirname(moduleFile), nixpkgsPath)}`;

export const generatorCall =
  `import ${relativeToModule(projectInputs.generator.nixpkgs)} ` +
  `(import ${relativeToModule(projectInputs.generatorArgs.nixpkgs)} { inherit cfg lib; })`;

export const optionsInherit = `inherit (import ${relativeToModule(projectInputs.options.nixpkgs)} { inherit lib; }) nginx;`;

/** The stock attributes under services.nginx that the generator's output replaces. */
const replacedAttributes: Array<{ anchor: string[]; writeAt: string[]; value: string }> = [
  { anchor: ["upstreams"], writeAt: ["upstreams"], value: `${generatorBinding}.upstreams` },
  {
    anchor: ["proxyCachePath", "frigate"],
    writeAt: ["proxyCachePath"],
    value: `${generatorBinding}.proxyCachePath`,
  },
  {
    anchor: ["virtualHosts", "${cfg.hostname}"],
    writeAt: ["virtualHosts", '"${cfg.hostname}"'],
    value: `${generatorBinding}.virtualHost`,
  },
  {
    anchor: ["appendHttpConfig"],
    writeAt: ["appendHttpConfig"],
    value: `${generatorBinding}.appendHttpConfig`,
  },
];

/** Names the NixOS module system or Nix itself provides; used to judge copied snippets. */
const nixpkgsScope = new Set(["cfg", "config", "lib", "pkgs", "options", "builtins"]);

export interface ModuleEditInput {
  /** nixpkgs' frigate.nix. */
  upstream: string;
  /** Path shown in errors, e.g. nixos/modules/services/video/frigate.nix. */
  upstreamPath: string;
  /** The project's nixos/module.nix. */
  projectModule: string;
  projectModulePath: string;
}

export type ModuleEditResult =
  { status: "applied"; content: string; removedBindings: string[] } | { status: "already-applied" };

/** Raised when nixpkgs' file no longer has the shape an anchor expects. */
export class AnchorError extends ToolkitError {
  constructor(anchor: string, location: string, detail: string) {
    super("E_UNSUPPORTED_UPSTREAM", `anchor ${anchor} at ${location}: ${detail}`, {
      hint:
        "nixpkgs' frigate.nix changed in a way this tool cannot edit; update scripts/pr/frigate-module.ts " +
        "or apply the change by hand",
      exitCode: exitCodes.checksFailed,
    });
  }
}

interface Located {
  binding: Binding;
  /** Attribute path of the set that contains the binding. */
  context: string[];
  block: BindingBlock;
}

/** Applies the module change to nixpkgs' frigate.nix. */
export function editFrigateModule(input: ModuleEditInput): ModuleEditResult {
  const upstream = parseFile(input.upstream, input.upstreamPath);
  const where = (index: number): string => `${input.upstreamPath}:${upstream.file.line(index)}`;
  const { file, letBlock, body } = upstream;

  const existing = letBlock.bindings.find((binding) => pathIs(binding.path, [generatorBinding]));
  if (existing !== undefined) {
    const value = file.text(existing.valueFirst, existing.semicolon - 1);
    if (normalise(value) === normalise(generatorCall)) return { status: "already-applied" };
    throw new AnchorError(
      `let ${generatorBinding}`,
      where(existing.first),
      "already defined with a different value",
    );
  }

  const edits: TextEdit[] = [];

  // Options: declare services.frigate.nginx next to services.frigate.hostname.
  const options = locateOne(
    file,
    body,
    ["options", "services", "frigate"],
    where,
    "options.services.frigate",
  );
  const optionsOpen = file.valueAttrsetOpen(options.binding);
  if (optionsOpen === undefined) {
    throw new AnchorError(
      "options.services.frigate",
      where(options.binding.first),
      "value is not an attribute set",
    );
  }

  const optionsBlock = file.parseAttrset(optionsOpen);
  const optionPath = [...options.context, ...options.binding.path];
  if (locate(file, optionsBlock, [...optionPath, "nginx"], optionPath).length > 0) {
    throw new AnchorError(
      "options.services.frigate.nginx",
      where(optionsBlock.open),
      "nixpkgs already declares services.frigate.nginx",
    );
  }

  const hostname = locateOne(
    file,
    optionsBlock,
    [...optionPath, "hostname"],
    where,
    "options.services.frigate.hostname",
    optionPath,
  );
  edits.push(insertAfter(file, hostname.binding, optionsInherit, "options"));

  // Let binding: the generator's output, next to `cfg`.
  const cfg = letBlock.bindings.find((binding) => pathIs(binding.path, ["cfg"]));
  if (cfg === undefined) {
    throw new AnchorError(
      "let cfg",
      where(letBlock.open),
      "no `cfg = config.services.frigate;` binding",
    );
  }
  edits.push(insertAfter(file, cfg, `${generatorBinding} = ${generatorCall};`, "let binding"));

  // services.nginx: replace the stock attributes.
  const config = locateOne(file, body, ["config"], where, "config");
  const configOpen = file.valueAttrsetOpen(config.binding);
  if (configOpen === undefined) {
    throw new AnchorError(
      "config = mkIf cfg.enable { … }",
      where(config.binding.first),
      "value is not an attribute set",
    );
  }

  const configBlock = file.parseAttrset(configOpen);
  const removedTokens: Array<[number, number]> = [];
  for (const attribute of replacedAttributes) {
    const nginxPath = ["config", "services", "nginx"];
    const anchorName = `services.nginx.${attribute.anchor.join(".")}`;
    const found = locateOne(
      file,
      configBlock,
      [...nginxPath, ...attribute.anchor],
      where,
      anchorName,
      ["config"],
    );
    const writeAt = [...nginxPath, ...attribute.writeAt];
    if (!isPrefix(found.context, writeAt)) {
      throw new AnchorError(
        anchorName,
        where(found.binding.first),
        "nested in an attribute set the tool cannot replace",
      );
    }

    const relative = writeAt.slice(found.context.length).join(".");
    edits.push(
      replaceBinding(file, found.binding, `${relative} = ${attribute.value};`, anchorName),
    );
    removedTokens.push([found.binding.first, found.binding.semicolon]);
  }

  // Settings defaults and warnings from the project module.
  const snippets = extractProjectSnippets(input.projectModule, input.projectModulePath);
  if (snippets.length > 0) {
    for (const snippet of snippets) {
      const clash = locate(file, configBlock, snippet.path, ["config"]);
      if (clash.length > 0) {
        throw new AnchorError(
          snippet.path.join("."),
          where(clash[0]!.binding.first),
          "nixpkgs already defines it; merge the project's definition by hand",
        );
      }
    }
    edits.push(appendToBlock(file, configBlock, snippets));
  }

  // Stock let bindings that only the replaced attributes used.
  const usedByReplaced = new Set(
    removedTokens.flatMap(([first, last]) => file.variableReferences(first, last)),
  );
  const removedBindings: string[] = [];
  for (const binding of letBlock.bindings) {
    const name = binding.path[0];
    if (binding.kind !== "attribute" || binding.path.length !== 1 || name === undefined) continue;
    if (!usedByReplaced.has(name)) continue;

    const stillUsed = countReferences(file, name, removedTokens, binding) > 0;
    if (stillUsed) continue;

    removedBindings.push(name);
    edits.push(removeBinding(file, binding, `let ${name}`));
  }

  return { status: "applied", content: applyEdits(input.upstream, edits), removedBindings };
}

function parseFile(
  source: string,
  label: string,
): { file: NixFile; letBlock: BindingBlock; body: BindingBlock } {
  let file: NixFile;
  try {
    file = new NixFile(source);
  } catch (error) {
    if (error instanceof NixSyntaxError) {
      throw new AnchorError("Nix syntax", label, error.message);
    }
    throw error;
  }

  // Skip the module's function header(s): `{ config, lib, ... }:` or `args:`.
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

/** Bindings whose full attribute path is `target`, descending into attribute-set values. */
function locate(
  file: NixFile,
  block: BindingBlock,
  target: string[],
  context: string[] = [],
): Located[] {
  const found: Located[] = [];
  for (const binding of block.bindings) {
    if (binding.kind !== "attribute") continue;

    const full = [...context, ...binding.path];
    if (pathIs(full, target)) {
      found.push({ binding, context, block });
      continue;
    }

    if (!isPrefix(full, target) || full.length >= target.length) continue;

    const open = file.valueAttrsetOpen(binding);
    if (open === undefined) continue;
    found.push(...locate(file, file.parseAttrset(open), target, full));
  }
  return found;
}

function locateOne(
  file: NixFile,
  block: BindingBlock,
  target: string[],
  where: (index: number) => string,
  anchor: string,
  context: string[] = [],
): Located {
  const found = locate(file, block, target, context);
  if (found.length === 0) throw new AnchorError(anchor, where(block.open), "not found");
  if (found.length > 1) {
    const lines = found.map((match) => where(match.binding.first)).join(", ");
    throw new AnchorError(anchor, where(found[1]!.binding.first), `ambiguous, defined at ${lines}`);
  }
  return found[0]!;
}

function insertAfter(file: NixFile, binding: Binding, text: string, label: string): TextEdit {
  const source = file.source;
  const semicolon = file.token(binding.semicolon);
  const end = lineEnd(source, semicolon.end);
  const indent = indentationAt(source, file.token(binding.first).start);
  const separator = followedByBlankLine(source, semicolon.end) ? "\n" : "";
  return { start: end, end, text: `${separator}${indent}${text}\n`, label };
}

function replaceBinding(file: NixFile, binding: Binding, text: string, label: string): TextEdit {
  const source = file.source;
  const start = includeLeadingComments(source, file.token(binding.first).start);
  const end = lineEnd(source, file.token(binding.semicolon).end);
  const indent = indentationAt(source, file.token(binding.first).start);
  return { start, end, text: `${indent}${text}\n`, label };
}

function removeBinding(file: NixFile, binding: Binding, label: string): TextEdit {
  const source = file.source;
  const start = includeLeadingComments(source, file.token(binding.first).start);
  let end = lineEnd(source, file.token(binding.semicolon).end);
  const previousLineBlank =
    start === 0 || source.slice(lineStart(source, start - 1), start).trim() === "";
  if (previousLineBlank && followedByBlankLine(source, file.token(binding.semicolon).end)) {
    end = lineEnd(source, end);
  }
  return { start, end, text: "", label };
}

interface Snippet {
  /** Full path, starting with `config`. */
  path: string[];
  text: string;
}

function appendToBlock(file: NixFile, block: BindingBlock, snippets: Snippet[]): TextEdit {
  const source = file.source;
  const close = file.token(block.close);
  const firstBinding = block.bindings[0];
  const indent =
    firstBinding === undefined
      ? `${indentationAt(source, close.start)}  `
      : indentationAt(source, file.token(firstBinding.first).start);
  const start = lineStart(source, close.start);
  const text = snippets
    .map((snippet) =>
      snippet.text
        .split("\n")
        .map((line) => (line === "" ? "" : `${indent}${line}`))
        .join("\n"),
    )
    .join("\n\n");
  return { start, end: start, text: `\n${text}\n`, label: "settings defaults" };
}

/**
 * Returns the `services.frigate.settings…` and `warnings` definitions under
 * `config` of the project module, as text re-based to column 0.
 */
export function extractProjectSnippets(source: string, label: string): Snippet[] {
  const { file, letBlock, body } = parseFile(source, label);
  const projectLetNames = new Set(
    letBlock.bindings.flatMap((binding) =>
      binding.kind === "attribute" ? [binding.path[0]!] : binding.inherited,
    ),
  );

  const snippets: Snippet[] = [];
  const visit = (block: BindingBlock, context: string[]): void => {
    for (const binding of block.bindings) {
      if (binding.kind !== "attribute") continue;

      const full = [...context, ...binding.path];
      const wanted =
        isPrefix(["config", "services", "frigate", "settings"], full) ||
        pathIs(full, ["config", "warnings"]);
      if (wanted) {
        snippets.push(toSnippet(file, binding, full, projectLetNames, label));
        continue;
      }

      const leadsToWanted =
        isPrefix(full, ["config", "services", "frigate", "settings"]) ||
        isPrefix(full, ["config", "warnings"]);
      if (!leadsToWanted) continue;

      const open = file.valueAttrsetOpen(binding);
      if (open !== undefined) visit(file.parseAttrset(open), full);
    }
  };
  visit(body, []);

  if (snippets.length === 0) {
    throw new AnchorError(
      "config.services.frigate.settings / config.warnings",
      label,
      "the project module defines neither under config = … { … }",
    );
  }
  return snippets;
}

function toSnippet(
  file: NixFile,
  binding: Binding,
  full: string[],
  projectLetNames: Set<string>,
  label: string,
): Snippet {
  const foreign = file
    .variableReferences(binding.valueFirst, binding.semicolon - 1)
    .filter((name) => projectLetNames.has(name) && !nixpkgsScope.has(name));
  if (foreign.length > 0) {
    throw new AnchorError(
      full.join("."),
      `${label}:${file.line(binding.first)}`,
      `uses the module's let binding(s) ${[...new Set(foreign)].join(", ")}, which nixpkgs' frigate.nix does not have; ` +
        "write it with cfg, config and lib. only",
    );
  }

  const source = file.source;
  const start = includeLeadingComments(source, file.token(binding.first).start);
  const bindingIndent = indentationAt(source, file.token(binding.first).start);
  const comments = source.slice(start, lineStart(source, file.token(binding.first).start));
  const value = file.text(binding.valueFirst, binding.semicolon - 1);
  const relativePath = full.slice(1).map(quoteAttribute).join(".");
  const commentLines = comments
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim());
  const text = [...commentLines, `${relativePath} = ${reindent(value, bindingIndent, "")};`].join(
    "\n",
  );
  return { path: full, text };
}

function quoteAttribute(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) || name.startsWith("${")
    ? name
    : JSON.stringify(name);
}

function countReferences(
  file: NixFile,
  name: string,
  removed: Array<[number, number]>,
  own: Binding,
): number {
  let count = 0;
  const inRemoved = (index: number): boolean =>
    removed.some(([first, last]) => index >= first && index <= last) ||
    (index >= own.first && index <= own.semicolon);
  const references = file.variableReferences(0, file.tokens.length - 1);
  // variableReferences returns names only, so walk the tokens again to know where each one is.
  if (!references.includes(name)) return 0;
  for (let index = 0; index < file.tokens.length; index += 1) {
    if (inRemoved(index)) continue;
    if (file.variableReferences(index, index).includes(name)) count += 1;
  }
  return count;
}

function pathIs(path: string[], target: string[]): boolean {
  return path.length === target.length && path.every((part, index) => part === target[index]);
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
