/**
 * Renders options.json as docs/options.md in the layout of the NixOS manual's
 * option reference: a section per option with its description, then Type,
 * Default, Example and Declared by.
 */
import {
  createOptionLinker,
  optionAnchor,
  renderDescription,
  summarizeDescription,
  type OptionLinker,
} from "./description.ts";
import {
  isLiteralValue,
  sortOptionNames,
  type Declaration,
  type OptionDoc,
  type OptionsJson,
} from "./options-json.ts";

export interface RenderPageOptions {
  /** What the options were generated from, for the header, e.g. "nixos/options.nix". */
  source: string;
  /** The command that regenerates the page. */
  command: string;
  /** Prefix of repository-relative declaration paths, seen from the page (docs/ → "../"). */
  declarationPrefix: string;
}

/** Renders the whole page. The result ends with one newline. */
export function renderOptionsPage(options: OptionsJson, page: RenderPageOptions): string {
  const names = sortOptionNames(options);
  const linkOption = createOptionLinker(new Set(names));

  const parts = [
    "# Options",
    `<!-- Generated from ${page.source} by \`${page.command}\`. Do not edit. -->`,
    "These options are added under `services.frigate` on top of the stock NixOS Frigate module. " +
      "The stock options (`enable`, `hostname`, `settings`, …) are described in the " +
      "[NixOS manual](https://nixos.org/manual/nixos/unstable/options#opt-services.frigate.enable).",
    renderSummaryTable(options, names, linkOption),
    ...names.map((name) => renderOptionSection(name, options[name] as OptionDoc, linkOption, page)),
  ];

  return `${parts.join("\n\n")}\n`;
}

/** A table of every option with its type, default and the first sentence of its description. */
export function renderSummaryTable(
  options: OptionsJson,
  names: string[],
  linkOption: OptionLinker,
): string {
  const rows = names.map((name) => {
    const option = options[name] as OptionDoc;
    const cells = [
      `[\`${name}\`](${linkOption(name)})`,
      escapeMarkdown(option.type),
      "default" in option ? inlineValue(option.default) : "*(required)*",
      summarizeDescription(option.description ?? "", linkOption),
    ];

    return `| ${cells.map(escapeTableCell).join(" | ")} |`;
  });

  return ["| Option | Type | Default | Summary |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** One option: anchor, heading, description and the detail blocks. */
export function renderOptionSection(
  name: string,
  option: OptionDoc,
  linkOption: OptionLinker,
  page: Pick<RenderPageOptions, "declarationPrefix">,
): string {
  const blocks = [`<a id="${optionAnchor(name)}"></a>\n\n## ${escapeMarkdown(name)}`];

  if (option.description) blocks.push(renderDescription(option.description, linkOption));

  const readOnly = option.readOnly ? " *(read only)*" : "";
  blocks.push(`*Type:*\n${escapeMarkdown(option.type)}${readOnly}`);

  if ("default" in option) blocks.push(`*Default:*\n${renderValue(option.default, linkOption)}`);
  if ("example" in option) blocks.push(`*Example:*\n${renderValue(option.example, linkOption)}`);

  if (option.declarations.length > 0) {
    const entries = option.declarations.map((declaration) =>
      renderDeclaration(declaration, page.declarationPrefix),
    );
    blocks.push(["*Declared by:*", ...entries].join("\n"));
  }

  return blocks.join("\n\n");
}

/** Renders a default or example: Nix code for literalExpression, Markdown for literalMD. */
export function renderValue(value: unknown, linkOption: OptionLinker): string {
  if (isLiteralValue(value) && value._type === "literalMD") {
    return renderDescription(value.text, linkOption);
  }

  const code = isLiteralValue(value) ? value.text : toNixExpression(value);
  return code.includes("\n") ? fencedCode(code) : inlineCode(code);
}

function inlineValue(value: unknown): string {
  if (isLiteralValue(value) && value._type === "literalMD") return "*see below*";

  const code = isLiteralValue(value) ? value.text : toNixExpression(value);
  return code.includes("\n") ? "*see below*" : inlineCode(code);
}

function renderDeclaration(declaration: Declaration, prefix: string): string {
  if (typeof declaration === "string") {
    const href = declaration.startsWith("/") ? `file://${declaration}` : `${prefix}${declaration}`;
    return ` - [${escapeMarkdown(declaration)}](${href})`;
  }

  const label = escapeMarkdown(declaration.name);
  return declaration.url ? ` - [${label}](${declaration.url})` : ` - ${label}`;
}

/**
 * Prints a plain JSON value (the format of older nixpkgs versions) as a Nix
 * expression, so every default and example reads as Nix.
 */
export function toNixExpression(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replaceAll("${", "\\${");
  if (typeof value === "number" || typeof value === "boolean") return String(value);

  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";

    return `[\n${value.map((item) => `${inner}${toNixExpression(item, inner)}`).join("\n")}\n${indent}]`;
  }

  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{ }";

  const lines = entries.map(
    ([key, item]) => `${inner}${nixAttributeName(key)} = ${toNixExpression(item, inner)};`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function nixAttributeName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(key) ? key : JSON.stringify(key);
}

function inlineCode(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longestRun + 1);
  const padding = code.startsWith("`") || code.endsWith("`") || code.trim() === "" ? " " : "";

  return `${ticks}${padding}${code}${padding}${ticks}`;
}

function fencedCode(code: string): string {
  const longestRun = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);

  return `${fence}nix\n${code.replace(/\n$/, "")}\n${fence}`;
}

/** Escapes characters that Markdown would read as markup in plain text such as type names. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`);
}

/** Escapes unescaped pipes, which would end a table cell, and joins lines. */
function escapeTableCell(text: string): string {
  return text.replace(/\n/g, " ").replace(/(?<!\\)\|/g, "\\|");
}
