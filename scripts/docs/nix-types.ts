/**
 * Maps a NixOS option type, as described in options.json ("null or string",
 * "attribute set of list of string", …), to a TypeScript type. The wording
 * follows the `description` attributes in nixpkgs lib/types.nix (checked
 * against nixpkgs of 2026-06).
 */

export interface MappedType {
  /** TypeScript type text, for example `string | null`. */
  text: string;
  /** Type descriptions that had no mapping and became `unknown`. */
  unmapped: string[];
  /** True for "submodule": the caller supplies the interface of its sub-options. */
  submodule: boolean;
}

const stringTypes = [
  /^string$/,
  /^non-empty string$/,
  /^\(optionally newline-terminated\) single-line string$/,
  /^string matching the pattern /,
  /^HTTP header name\b/,
  /^Frigate role name\b/,
  /^group name\b/,
  /^http\(s\) URL$/,
  /^strings concatenated with /,
  /^string, not containing newlines or colons$/,
  /^string or path$/,
  /^(absolute |relative )?path( (not )?in the Nix store)?$/,
  /^package$/,
];

const numberTypes = [
  /^signed integer$/,
  /^unsigned integer, meaning >=0$/,
  /^positive integer, meaning >0$/,
  /^integer between .* \(both inclusive\)$/,
  /^(8|16|32) bit (signed|unsigned) integer; between .* \(both inclusive\)$/,
  /^floating point number$/,
  /^(nonnegative |positive )?integer or floating point number(, meaning >=?0| between .*)?$/,
];

const unknownTypes = [
  /^raw value$/,
  /^anything$/,
  /^unspecified value$/,
  /^(JSON|YAML|TOML|INI) value$/,
];

/** Maps one type description to TypeScript. */
export function mapNixType(description: string): MappedType {
  const unmapped: string[] = [];
  let submodule = false;

  const map = (text: string): string => {
    const type = stripParentheses(text.trim());

    if (type === "submodule") {
      submodule = true;
      return "object";
    }
    if (type === "null") return "null";
    if (type === "boolean" || type === "boolean (merged using or)") return "boolean";
    if (stringTypes.some((pattern) => pattern.test(type))) return "string";
    if (numberTypes.some((pattern) => pattern.test(type))) return "number";
    if (unknownTypes.some((pattern) => pattern.test(type))) return "unknown";

    if (type.startsWith("null or ")) return union(["null", map(type.slice("null or ".length))]);
    if (type.startsWith("one of ")) return union(parseEnumValues(type.slice("one of ".length)));

    const singular = /^value (.*) \(singular enum\)$/.exec(type);
    if (singular) return union(parseEnumValues(singular[1] as string));

    for (const prefix of ["non-empty list of ", "list of "]) {
      if (type.startsWith(prefix)) return arrayOf(map(type.slice(prefix.length)));
    }
    for (const prefix of ["lazy attribute set of ", "attribute set of "]) {
      if (type.startsWith(prefix)) return `Record<string, ${map(type.slice(prefix.length))}>`;
    }
    if (type === "attribute set" || type === "lazy attribute set") {
      return "Record<string, unknown>";
    }

    // "A or B" (types.either) and "A or B convertible to it" (types.coercedTo).
    const coerced = /^(.*) convertible to it$/.exec(type);
    const alternatives = splitTopLevel(coerced ? (coerced[1] as string) : type, " or ");
    if (alternatives.length > 1) return union(alternatives.map(map));

    unmapped.push(type);
    return "unknown";
  };

  const text = map(description);
  return { text, unmapped, submodule };
}

function union(members: string[]): string {
  const unique = [...new Set(members.flatMap((member) => splitTopLevel(member, " | ", "ts")))];
  if (unique.includes("unknown")) return "unknown";

  // `string | null` reads better than `null | string`; TypeScript does not care.
  const ordered = [
    ...unique.filter((member) => member !== "null"),
    ...unique.filter((member) => member === "null"),
  ];
  return ordered.join(" | ");
}

function arrayOf(element: string): string {
  return /^[\w<>, ]+$/.test(element) && !element.includes(" | ")
    ? `${element}[]`
    : `Array<${element}>`;
}

function stripParentheses(text: string): string {
  let type = text;
  while (
    type.startsWith("(") &&
    type.endsWith(")") &&
    closingParenthesis(type) === type.length - 1
  ) {
    type = type.slice(1, -1).trim();
  }

  return type;
}

/** Returns the index of the parenthesis that closes the one at index 0, skipping quoted text. */
function closingParenthesis(text: string): number {
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    if (quoted) continue;

    if (char === "(") depth++;
    if (char === ")") depth--;
    if (depth === 0) return index;
  }

  return -1;
}

/**
 * Splits on a separator that is outside quotes and brackets. Nix type
 * descriptions nest with parentheses only ("meaning >0" is not a bracket);
 * TypeScript type text also nests with angle brackets.
 */
function splitTopLevel(text: string, separator: string, language: "nix" | "ts" = "nix"): string[] {
  const opening = language === "ts" ? "(<" : "(";
  const closing = language === "ts" ? ")>" : ")";
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    if (quoted) continue;

    if (opening.includes(char as string)) depth++;
    if (closing.includes(char as string)) depth--;
    if (depth === 0 && text.startsWith(separator, index)) {
      parts.push(text.slice(start, index));
      start = index + separator.length;
      index += separator.length - 1;
    }
  }
  parts.push(text.slice(start));

  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

/**
 * Parses the values of `types.enum`: strings are shown in double quotes
 * without escaping (so `","` is a value), integers and booleans bare.
 */
function parseEnumValues(text: string): string[] {
  const values: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (rest.startsWith('"')) {
      // The closing quote is the one followed by the next value's ", " or the end.
      let end = 1;
      while (end < rest.length) {
        end = rest.indexOf('"', end);
        if (end === -1 || end === rest.length - 1 || rest.startsWith(", ", end + 1)) break;
        end++;
      }
      if (end === -1) return ["string"];

      values.push(JSON.stringify(rest.slice(1, end)));
      rest = rest.slice(end + 1);
    } else {
      const match = /^(-?\d+|true|false)/.exec(rest);
      if (!match) return ["unknown"];

      values.push(match[1] as string);
      rest = rest.slice((match[1] as string).length);
    }

    if (rest.startsWith(", ")) rest = rest.slice(2);
    else if (rest.length > 0) return ["unknown"];
  }

  return values;
}
