/**
 * The structured edit of nixpkgs' nixos/modules/services/video/frigate.nix:
 * declare the project's options, call the vhost generator from a let binding,
 * replace the four stock services.nginx attributes with its output, drop the
 * stock let bindings nothing uses any more, and add the settings defaults and
 * warnings of the project module. Every place the edit relies on is an
 * anchor; a missing or ambiguous anchor stops the edit with its name and line.
 */
import path from "node:path";

import { AnchorError } from "./frigate-module-errors.ts";
import { moduleFile, projectInputs } from "./layout.ts";
import { NixFile, type Binding, type BindingBlock } from "./nix-bindings.ts";
import {
  extractProjectSettings,
  libInherits,
  normalise,
  parseModuleFile,
  type SettingsDefinition,
} from "./project-module.ts";
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

/**
 * Returns the generator call for the let binding. generator-args.nix is
 * either `cfg: …` or `{ cfg, lib, … }: …`; the call passes what it declares.
 */
export function generatorCall(generatorArgsSource: string): string {
  const file = new NixFile(generatorArgsSource);
  let argument = "cfg";
  if (file.is(0, "{") && file.is(file.match(0) + 1, ":")) {
    const names = file.tokens
      .slice(1, file.match(0))
      .filter(
        (token, index, tokens) => token.kind === "identifier" && tokens[index - 1]?.text !== "?",
      )
      .map((token) => token.text);
    argument = `{ inherit ${names.join(" ")}; }`;
  }

  return (
    `import ${relativeToModule(projectInputs.generator.nixpkgs)} ` +
    `(import ${relativeToModule(projectInputs.generatorArgs.nixpkgs)} ${argument})`
  );
}

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

export interface ModuleEditInput {
  /** nixpkgs' frigate.nix. */
  upstream: string;
  /** Path shown in errors, e.g. nixos/modules/services/video/frigate.nix. */
  upstreamPath: string;
  /** The project's nixos/module.nix. */
  projectModule: string;
  projectModulePath: string;
  /** The project's nixos/lib/generator-args.nix, to see which arguments it takes. */
  generatorArgs: string;
}

export type ModuleEditResult =
  { status: "applied"; content: string; removedBindings: string[] } | { status: "already-applied" };

interface Located {
  binding: Binding;
  /** Attribute path of the set that contains the binding. */
  context: string[];
  block: BindingBlock;
}

/** Applies the module change to nixpkgs' frigate.nix. */
export function editFrigateModule(input: ModuleEditInput): ModuleEditResult {
  const upstream = parseModuleFile(input.upstream, input.upstreamPath);
  const call = generatorCall(input.generatorArgs);
  const project = extractProjectSettings(input.projectModule, input.projectModulePath);
  const where = (index: number): string => `${input.upstreamPath}:${upstream.file.line(index)}`;
  const { file, letBlock, body } = upstream;

  const existing = letBlock.bindings.find((binding) => pathIs(binding.path, [generatorBinding]));
  if (existing !== undefined) {
    const value = file.text(existing.valueFirst, existing.semicolon - 1);
    if (normalise(value) === normalise(call)) return { status: "already-applied" };
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
  const newBindings = [`${generatorBinding} = ${call};`];
  for (const carried of project.letBindings) {
    const same = letBlock.bindings.find(
      (binding) => binding.path.length === 1 && binding.path[0] === carried.name,
    );
    if (same === undefined) {
      newBindings.push(carried.text);
      continue;
    }
    if (normalise(file.text(same.valueFirst, same.semicolon - 1)) !== carried.value) {
      throw new AnchorError(
        `let ${carried.name}`,
        where(same.first),
        `nixpkgs defines it differently from ${input.projectModulePath}; rename it in the project module`,
      );
    }
  }
  edits.push(insertAfter(file, cfg, newBindings.join("\n\n"), "let bindings"));

  const libEdit = addLibInherits(file, letBlock, project.libNames, where);
  if (libEdit !== undefined) edits.push(libEdit);

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
  const snippets = project.definitions;
  if (snippets.length > 0) {
    for (const snippet of snippets) {
      const clash = locate(file, configBlock, ["config", ...snippet.path], ["config"]);
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
  const indented = text
    .split("\n")
    .map((line) => (line === "" ? "" : `${indent}${line}`))
    .join("\n");
  return { start: end, end, text: `${separator}${indented}\n`, label };
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

function appendToBlock(
  file: NixFile,
  block: BindingBlock,
  snippets: SettingsDefinition[],
): TextEdit {
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

/** Adds `names` to the upstream `inherit (lib) …;` list, sorted, one name per line. */
function addLibInherits(
  file: NixFile,
  letBlock: BindingBlock,
  names: string[],
  where: (index: number) => string,
): TextEdit | undefined {
  const { binding, names: present } = libInherits(file, letBlock);
  const missing = names.filter((name) => !present.includes(name));
  if (missing.length === 0) return undefined;
  if (binding === undefined) {
    throw new AnchorError(
      "inherit (lib) …;",
      where(letBlock.open),
      `not found, but ${missing.join(", ")} must be added to it`,
    );
  }

  const source = file.source;
  const indent = indentationAt(source, file.token(binding.first).start);
  const all = [...new Set([...present, ...missing])].sort();
  const text = [`inherit (lib)`, ...all.map((name) => `${indent}  ${name}`), `${indent}  ;`].join(
    "\n",
  );
  return {
    start: file.token(binding.first).start,
    end: file.token(binding.semicolon).end,
    text,
    label: "inherit (lib)",
  };
}

function pathIs(path: string[], target: string[]): boolean {
  return path.length === target.length && path.every((part, index) => part === target[index]);
}

function isPrefix(prefix: string[], path: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => part === path[index]);
}
