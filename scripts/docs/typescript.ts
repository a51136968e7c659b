/**
 * Generates TypeScript interfaces for the options in options.json, nested by
 * their attribute path, with each option's description as TSDoc. Scenario
 * files type their module settings with these interfaces, so a misspelt
 * option name fails to compile.
 */
import { Project, type InterfaceDeclaration, type SourceFile } from "ts-morph";
import * as prettier from "prettier";

import { ConfigError } from "../lib/errors.ts";
import { mapNixType } from "./nix-types.ts";
import { isLiteralValue, type OptionDoc, type OptionsJson } from "./options-json.ts";

/** The command that regenerates the file from nixos/options.nix rather than a prebuilt JSON file. */
export const regenerateCommand = "npm run docs";

/** Options are grouped below this attribute path; its children become the root interfaces. */
const rootPath = ["services", "frigate"];

interface OptionNode {
  option?: OptionDoc;
  children: Map<string, OptionNode>;
}

export interface GenerateTypesOptions {
  /** Source of the options for the header comment, e.g. "nixos/options.nix". */
  source: string;
  /** The command that regenerates the file. */
  command: string;
}

/** Returns the formatted text of scripts/generated/options.ts. */
export async function generateOptionTypes(
  options: OptionsJson,
  settings: GenerateTypesOptions,
): Promise<string> {
  const root = buildOptionTree(options);
  if (root.children.size === 0) {
    throw new ConfigError(`options.json has no option under ${rootPath.join(".")}`, {
      hint: "check that nixos/options.nix declares services.frigate.nginx options",
    });
  }

  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile("options.ts", "");
  file.insertStatements(0, [
    `// Generated from ${settings.source} by \`${settings.command}\`. Do not edit.`,
    `// To regenerate from the module's declarations, run \`${regenerateCommand}\` (needs Nix).`,
  ]);

  for (const [key, node] of [...root.children].sort(([a], [b]) => compare(a, b))) {
    addInterface(file, node, [key]);
  }

  const config = (await prettier.resolveConfig("options.ts")) ?? {};
  return prettier.format(file.getFullText(), { ...config, parser: "typescript" });
}

function buildOptionTree(options: OptionsJson): OptionNode {
  const root: OptionNode = { children: new Map() };

  for (const option of Object.values(options)) {
    const prefix = option.loc.slice(0, rootPath.length);
    if (prefix.join(".") !== rootPath.join(".")) continue;

    let node = root;
    for (const part of option.loc.slice(rootPath.length)) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.option = option;
  }

  return root;
}

/** Adds the interface for a group of options and returns its name. */
function addInterface(file: SourceFile, node: OptionNode, path: string[]): string {
  const name = `Frigate${path.map(toPascalCase).join("")}Options`;
  const declaration = file.addInterface({ name, isExported: true });
  if (node.option?.description) {
    declaration.addJsDoc({ description: toDocText(node.option.description) });
  }

  const keys = [...node.children.keys()].filter((key) => key !== "<name>" && key !== "*");
  for (const key of keys.sort(compare)) {
    addProperty(file, declaration, node.children.get(key) as OptionNode, [...path, key]);
  }

  return name;
}

function addProperty(
  file: SourceFile,
  declaration: InterfaceDeclaration,
  node: OptionNode,
  path: string[],
): void {
  const key = path[path.length - 1] as string;
  const option = node.option;

  if (option === undefined) {
    declaration.addProperty({
      name: key,
      hasQuestionToken: true,
      type: addInterface(file, node, path),
    });
    return;
  }

  const mapped = mapNixType(option.type);
  let type = mapped.text;
  if (mapped.submodule) {
    const element = node.children.get("<name>") ?? node.children.get("*") ?? node;
    type = type.replace(/\bobject\b/g, addInterface(file, element, path));
  }

  const docs = [toDocText(option.description ?? "")];
  if (mapped.unmapped.length > 0) {
    docs.push(`NOTE: no TypeScript mapping for the Nix type "${mapped.unmapped.join('", "')}".`);
  }
  const tags = [];
  if ("default" in option)
    tags.push({ tagName: "defaultValue", text: literalText(option.default) });
  if ("example" in option) tags.push({ tagName: "example", text: literalText(option.example) });

  declaration.addProperty({
    name: key,
    type,
    hasQuestionToken: "default" in option,
    isReadonly: option.readOnly,
    docs: [{ description: docs.filter(Boolean).join("\n\n"), tags }],
  });
}

/** Converts description Markdown to TSDoc text: roles become code spans, admonitions labels. */
function toDocText(markdown: string): string {
  return markdown
    .trim()
    .replace(/\{\w+\}(`[^`]+`)/g, "$1")
    .replace(/^:::\s*\{\.(\w+)\}\s*$/gm, (_match, kind: string) => `${toPascalCase(kind)}:`)
    .replace(/^:::\s*$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .replaceAll("*/", "*\\/");
}

function literalText(value: unknown): string {
  const text = isLiteralValue(value) ? value.text : JSON.stringify(value, null, 2);
  return text.trim().replaceAll("*/", "*\\/");
}

function toPascalCase(part: string): string {
  return part
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
