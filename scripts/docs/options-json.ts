/**
 * The options.json format that nixpkgs' nixosOptionsDoc writes (and that
 * options-json.nix reproduces): an object keyed by option name.
 */
import { ConfigError } from "../lib/errors.ts";

/** A rendered default or example: Nix source text, or Markdown for literalMD. */
export interface LiteralValue {
  _type: "literalExpression" | "literalMD";
  text: string;
}

/** A declaring file: a path relative to the repository (or nixpkgs), or a name with a URL. */
export type Declaration = string | { name: string; url?: string };

export interface OptionDoc {
  /** Attribute path of the option, for example ["services", "frigate", "nginx", "signInUrl"]. */
  loc: string[];
  /** Markdown with nixpkgs roles ({option}`…`) and admonitions (::: {.note}). */
  description: string | null;
  declarations: Declaration[];
  readOnly: boolean;
  /** The type's description, for example "null or string". */
  type: string;
  /** Older nixpkgs versions wrote plain JSON values here instead of literals. */
  default?: LiteralValue | unknown;
  example?: LiteralValue | unknown;
}

export type OptionsJson = Record<string, OptionDoc>;

export function isLiteralValue(value: unknown): value is LiteralValue {
  if (typeof value !== "object" || value === null) return false;

  const { _type: kind, text } = value as Record<string, unknown>;
  return (kind === "literalExpression" || kind === "literalMD") && typeof text === "string";
}

/** Parses and checks options.json text; `source` names the file in error messages. */
export function parseOptionsJson(text: string, source: string): OptionsJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON`, {
      hint: "pass the share/doc/nixos/options.json that nixosOptionsDoc builds",
      cause: error,
    });
  }

  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`${source} must contain a JSON object keyed by option name`);
  }

  const options: OptionsJson = {};
  for (const [name, entry] of Object.entries(data)) {
    options[name] = checkOption(name, entry, source);
  }

  return options;
}

function checkOption(name: string, entry: unknown, source: string): OptionDoc {
  const fail = (field: string, expected: string): never => {
    throw new ConfigError(
      `${source}: option ${name} has an invalid "${field}"; expected ${expected}`,
    );
  };

  if (typeof entry !== "object" || entry === null) fail("entry", "an object");

  const option = entry as Record<string, unknown>;
  const loc = option["loc"];
  if (!Array.isArray(loc) || !loc.every((part) => typeof part === "string")) {
    fail("loc", "a list of strings");
  }

  const description = option["description"] ?? null;
  if (description !== null && typeof description !== "string") fail("description", "a string");

  const type = option["type"];
  if (typeof type !== "string") fail("type", 'a string such as "null or string"');

  const declarations = option["declarations"] ?? [];
  if (!Array.isArray(declarations) || !declarations.every(isDeclaration)) {
    fail("declarations", 'a list of paths or { "name", "url" } objects');
  }

  const result: OptionDoc = {
    loc: loc as string[],
    description: description as string | null,
    declarations: declarations as Declaration[],
    readOnly: option["readOnly"] === true,
    type: type as string,
  };
  if ("default" in option) result.default = option["default"];
  if ("example" in option) result.example = option["example"];

  return result;
}

function isDeclaration(value: unknown): value is Declaration {
  if (typeof value === "string") return true;

  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)["name"] === "string"
  );
}

/**
 * Orders options the way the NixOS manual does: by attribute path, with
 * `enable*` and then `package*` components before the others at each level.
 */
export function sortOptionNames(options: OptionsJson): string[] {
  const rank = (part: string): number =>
    part.startsWith("enable") ? 0 : part.startsWith("package") ? 1 : 2;

  const compare = (left: string[], right: string[]): number => {
    for (let index = 0; index < Math.min(left.length, right.length); index++) {
      const a = left[index] as string;
      const b = right[index] as string;
      const byRank = rank(a) - rank(b);
      if (byRank !== 0) return byRank;
      if (a !== b) return a < b ? -1 : 1;
    }

    return left.length - right.length;
  };

  return Object.keys(options).sort((a, b) =>
    compare((options[a] as OptionDoc).loc, (options[b] as OptionDoc).loc),
  );
}
