import { describe, expect, it } from "vitest";

import { registerTests } from "../../scripts/pr/all-tests.ts";
import { lintCommitSubject } from "../../scripts/pr/commit-lint.ts";
import { generatorCall } from "../../scripts/pr/frigate-module.ts";
import { NixFile } from "../../scripts/pr/nix-bindings.ts";
import { tokenizeNix } from "../../scripts/pr/nix-tokens.ts";
import {
  addReleaseNote,
  newestReleaseNotes,
  releaseNoteMarker,
} from "../../scripts/pr/release-notes.ts";

describe("tokenizeNix", () => {
  const identifiers = (source: string): string[] =>
    tokenizeNix(source)
      .filter((token) => token.kind === "identifier")
      .map((token) => token.text);

  it.each([
    ["escaped quote in string", '"a \\" ${b} c"', ["b"]],
    ["nested interpolation", '"${f "${g}"}"', ["f", "g"]],
    ["indented string escapes", "'' '''x ''${notInterpolated} ''\\n ${y} ''", ["y"]],
    ["dollar dollar brace", '"$${literal}"', []],
    ["line comment", "a # b { c\n", ["a"]],
    ["block comment", "a /* b } c */ d", ["a", "d"]],
    ["paths and uris", "import ./a/b.nix https://x.org/y", ["import"]],
  ])("finds identifiers with %s", (_name, source, expected) => {
    expect(identifiers(source)).toEqual(expected);
  });

  it.each([
    ["unterminated string", '"abc'],
    ["unterminated indented string", "'' abc"],
    ["unbalanced brace", "{ a = 1;"],
    ["unterminated comment", "/* a"],
  ])("rejects %s", (_name, source) => {
    expect(() => new NixFile(source)).toThrow();
  });
});

describe("NixFile bindings", () => {
  it("normalises quoted attribute names", () => {
    const file = new NixFile(
      '{ proxyCachePath."frigate" = { }; virtualHosts."${cfg.hostname}" = x; inherit (lib) a b; }',
    );
    const block = file.parseAttrset(0);
    expect(block.bindings.map((binding) => binding.path)).toEqual([
      ["proxyCachePath", "frigate"],
      ["virtualHosts", "${cfg.hostname}"],
      [],
    ]);
    expect(block.bindings[2]!.inherited).toEqual(["a", "b"]);
  });

  it("skips with and let inside values", () => {
    const file = new NixFile("{ a = with types; { b = 1; }; c = let d = 2; in d; e = 3; }");
    const block = file.parseAttrset(0);
    expect(block.bindings.map((binding) => binding.path.join("."))).toEqual(["a", "c", "e"]);
    expect(file.valueAttrsetOpen(block.bindings[0]!)).toBe(6);
  });

  it("ignores function patterns as attribute sets", () => {
    const file = new NixFile("{ f = { x }: x; }");
    const block = file.parseAttrset(0);
    expect(file.valueAttrsetOpen(block.bindings[0]!)).toBeUndefined();
  });
});

describe("generatorCall", () => {
  it.each([
    ["cfg: { }", "(import ./frigate/nginx-args.nix cfg)"],
    ["{ cfg, lib }: { }", "(import ./frigate/nginx-args.nix { inherit cfg lib; })"],
    ["{ cfg, lib ? null, ... }: { }", "(import ./frigate/nginx-args.nix { inherit cfg lib; })"],
  ])("passes what %s declares", (header, expected) => {
    expect(generatorCall(header)).toBe(`import ./frigate/nginx-vhost.nix ${expected}`);
  });
});

describe("lintCommitSubject", () => {
  it.each([
    ["nixos/frigate: add nginx.authRequestUrl and reverse-proxy options", [], []],
    ["nixos/frigate add options", [], ['does not contain ": " (a colon and a space)']],
    ["nixos/frigate: add options.", [], ["ends in a period"]],
    ["fixup! nixos/frigate: add options", [], ['starts with "fixup!"']],
    [
      "feat(frigate): add options",
      [],
      ["uses conventional-commit form, which nixpkgs does not use"],
    ],
    ["doc: fix typo", ["nixos/doc/manual/x.md"], []],
    [
      "docs: fix typo",
      ["nixos/doc/manual/x.md"],
      ["uses conventional-commit form, which nixpkgs does not use"],
    ],
  ])("judges %s", (subject, paths, expected) => {
    expect(lintCommitSubject(subject, paths)).toEqual(expected);
  });
});

describe("registerTests", () => {
  const allTests = [
    "{",
    "  # keep-sorted start case=no numeric=no block=yes",
    "  Forgejo = runTest {",
    "    imports = [ ./forgejo.nix ];",
    "  };",
    "  frigate = runTest ./frigate.nix;",
    "  zammad = runTest ./zammad.nix;",
    "  # keep-sorted end",
    "}",
  ].join("\n");

  it("inserts after multi-line entry", () => {
    const { content, added } = registerTests(
      allTests,
      [
        { name: "frigate-sso", file: "frigate-sso.nix" },
        { name: "frigate-authelia", file: "frigate-authelia.nix" },
      ],
      "all-tests.nix",
    );
    expect(added).toEqual(["frigate-sso", "frigate-authelia"]);
    expect(content.split("\n").slice(5, 9)).toEqual([
      "  frigate = runTest ./frigate.nix;",
      "  frigate-authelia = runTest ./frigate-authelia.nix;",
      "  frigate-sso = runTest ./frigate-sso.nix;",
      "  zammad = runTest ./zammad.nix;",
    ]);
  });

  it("skips entry already registered", () => {
    const once = registerTests(
      allTests,
      [{ name: "frigate-sso", file: "frigate-sso.nix" }],
      "x",
    ).content;
    const twice = registerTests(once, [{ name: "frigate-sso", file: "frigate-sso.nix" }], "x");
    expect(twice.added).toEqual([]);
    expect(twice.content).toBe(once);
  });

  it("rejects conflicting registration", () => {
    const conflicting = allTests.replace(
      "  zammad",
      "  frigate-sso = runTest ./other.nix;\n  zammad",
    );
    expect(() =>
      registerTests(
        conflicting,
        [{ name: "frigate-sso", file: "frigate-sso.nix" }],
        "all-tests.nix",
      ),
    ).toThrow(/anchor all-tests.nix entry frigate-sso at all-tests.nix:7: already registered/);
  });

  it("rejects file without frigate block", () => {
    expect(() => registerTests("{ }", [{ name: "a", file: "a.nix" }], "all-tests.nix")).toThrow(
      /no keep-sorted block contains/,
    );
  });
});

describe("release notes", () => {
  it("picks newest YYMM file", () => {
    expect(
      newestReleaseNotes([
        "rl-2605.section.md",
        "rl-2611.section.md",
        "rl-2505.section.md",
        "release-notes.md",
      ]),
    ).toBe("rl-2611.section.md");
  });

  it("adds item inside notable changes", () => {
    const source = [
      "# Release",
      "## Other Notable Changes {#sec-release-26.11-notable-changes}",
      "",
      "- one",
      "",
      "## Nixpkgs Library {#x}",
    ].join("\n");
    const { content, changed } = addReleaseNote(source, "rl.md");
    expect(changed).toBe(true);
    const lines = content.split("\n");
    const item = lines.findIndex((line) => line.includes(releaseNoteMarker));
    expect(item).toBeGreaterThan(1);
    expect(item).toBeLessThan(lines.indexOf("## Nixpkgs Library {#x}"));
    expect(addReleaseNote(content, "rl.md")).toEqual({ content, changed: false });
  });

  it("rejects file without the section", () => {
    expect(() => addReleaseNote("# Release\n## Highlights\n", "rl-2611.section.md")).toThrow(
      /anchor ## Other Notable Changes at rl-2611.section.md: section heading not found/,
    );
  });
});
