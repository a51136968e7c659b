import { describe, expect, test } from "vitest";

import { mapNixType } from "../../scripts/docs/nix-types.ts";

describe("mapNixType", () => {
  test.each([
    ["string", "string"],
    ["null or string", "string | null"],
    ["boolean", "boolean"],
    ["signed integer", "number"],
    ["positive integer, meaning >0", "number"],
    ["unsigned integer, meaning >=0", "number"],
    ["16 bit unsigned integer; between 0 and 65535 (both inclusive)", "number"],
    ["null or (positive integer, meaning >0)", "number | null"],
    ["attribute set of list of string", "Record<string, string[]>"],
    ["list of (null or string)", "Array<string | null>"],
    ["lazy attribute set of (attribute set of boolean)", "Record<string, Record<string, boolean>>"],
    ['one of "a", "b"', '"a" | "b"'],
    ['one of ",", "|", ";", ":", " "', '"," | "|" | ";" | ":" | " "'],
    ['null or one of "admin", "viewer"', '"admin" | "viewer" | null'],
    ["one of 1, 2, true", "1 | 2 | true"],
    ['value "only" (singular enum)', '"only"'],
    ["string matching the pattern [A-Za-z0-9-]+", "string"],
    ['strings concatenated with "\\n"', "string"],
    ["absolute path", "string"],
    ["boolean or string", "boolean | string"],
    ["string or list of string convertible to it", "string | string[]"],
  ])("maps %s", (description, expected) => {
    const mapped = mapNixType(description);
    expect(mapped.text).toBe(expected);
    expect(mapped.unmapped).toEqual([]);
  });

  test("marks submodules for the caller", () => {
    expect(mapNixType("submodule")).toEqual({ text: "object", unmapped: [], submodule: true });
    expect(mapNixType("attribute set of (submodule)").text).toBe("Record<string, object>");
  });

  test("maps raw values to unknown", () => {
    expect(mapNixType("raw value")).toEqual({ text: "unknown", unmapped: [], submodule: false });
  });

  test("reports unmapped types as unknown", () => {
    const mapped = mapNixType("null or function that evaluates to a(n) string");
    expect(mapped.text).toBe("unknown");
    expect(mapped.unmapped).toEqual(["function that evaluates to a(n) string"]);
  });
});
