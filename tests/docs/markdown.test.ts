import { describe, expect, test } from "vitest";

import { createOptionLinker, renderDescription } from "../../scripts/docs/description.ts";
import {
  renderOptionSection,
  renderOptionsPage,
  renderValue,
  toNixExpression,
} from "../../scripts/docs/markdown.ts";
import type { OptionDoc } from "../../scripts/docs/options-json.ts";
import { loadFixture, plannedOptions } from "./fixture.ts";

const page = renderOptionsPage(loadFixture(), {
  source: "tests/fixtures/options/options.json",
  command: "npm run docs",
  declarationPrefix: "../",
});
const linker = createOptionLinker(new Set(plannedOptions));

function sectionOf(name: string): string {
  const start = page.indexOf(`<a id="opt-${name}"></a>`);
  const end = page.indexOf('<a id="opt-', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

describe("options page", () => {
  test("fixture covers every planned option", () => {
    const names = Object.keys(loadFixture());
    for (const name of plannedOptions) expect(names).toContain(name);
  });

  test("renders one section per option", () => {
    const headings = page.match(/^## .*$/gm) ?? [];
    expect(headings).toHaveLength(plannedOptions.length);
    for (const name of plannedOptions) {
      expect(page).toContain(`<a id="opt-${name}"></a>\n\n## ${name}\n`);
    }
  });

  test("sorts sections by attribute path", () => {
    const headings = (page.match(/^## (.*)$/gm) ?? []).map((line) => line.slice(3));
    expect(headings[0]).toBe("services.frigate.nginx.authRequestTimeout");
    expect(headings.indexOf("services.frigate.nginx.reverseProxy.userHeader")).toBeLessThan(
      headings.indexOf("services.frigate.nginx.signInUrl"),
    );
  });

  test("links option roles to anchors", () => {
    const section = sectionOf("services.frigate.nginx.authRequestUrl");
    expect(section).toContain(
      "[`services.frigate.nginx.reverseProxy.userHeader`](#opt-services.frigate.nginx.reverseProxy.userHeader)",
    );
    expect(section).not.toContain("{option}");
  });

  test("links foreign options to the manual", () => {
    expect(sectionOf("services.frigate.nginx.authRequestUrl")).toContain(
      "[`services.frigate.settings.auth.enabled`](https://nixos.org/manual/nixos/unstable/options#opt-services.frigate.settings.auth.enabled)",
    );
  });

  test("renders file and command roles as code", () => {
    expect(sectionOf("services.frigate.nginx.signOutUrl")).toContain("Where `/api/logout`");
    expect(sectionOf("services.frigate.nginx.reverseProxy.emailHeader")).toContain(
      "`oauth2-proxy --set-xauthrequest`",
    );
    expect(page).not.toMatch(/\{(file|command)\}/);
  });

  test("renders admonitions as labelled quotes", () => {
    const warning = sectionOf("services.frigate.nginx.authRequestUrl");
    expect(warning).toContain("> **Warning**\n>\n> The auth server decides who may use Frigate.");
    const note = sectionOf("services.frigate.nginx.signInUrl");
    expect(note).toContain("> **Note**\n>\n> When this is `null`");
    expect(page).not.toContain(":::");
  });

  test("renders type, default and example", () => {
    const section = sectionOf("services.frigate.nginx.authRequestTimeout");
    expect(section).toContain("*Type:*\npositive integer, meaning \\>0\n");
    expect(section).toContain("*Default:*\n`10`\n");
    expect(section).toContain("*Example:*\n`5`\n");
  });

  test("fences multi-line examples as Nix", () => {
    expect(sectionOf("services.frigate.nginx.reverseProxy.roleMap")).toContain(
      '*Example:*\n```nix\n{\n  admin = [ "frigate_admins" ];\n  viewer = [ "frigate_users" ];\n}\n```',
    );
  });

  test("links declarations relative to the page", () => {
    expect(sectionOf("services.frigate.nginx.signInUrl")).toContain(
      "*Declared by:*\n - [nixos/options.nix](../nixos/options.nix)",
    );
  });

  test("tabulates every option once", () => {
    const rows = page.match(/^\| \[`services\.frigate\.nginx\.[^`]+`\]\(#opt-[^)]+\) \|.*\|$/gm);
    expect(rows).toHaveLength(plannedOptions.length);
    expect(page).toContain("| Option | Type | Default | Summary |");
  });

  test("summarizes options in the table", () => {
    const row = page
      .split("\n")
      .find((line) => line.startsWith("| [`services.frigate.nginx.reverseProxy.separator`]"));
    expect(row).toBe(
      '| [`services.frigate.nginx.reverseProxy.separator`](#opt-services.frigate.nginx.reverseProxy.separator) | one of ",", "\\|", ";", ":", " " | `","` | Character that separates the groups in the role and groups headers. |',
    );
  });

  test("names source and command in header", () => {
    expect(page.split("\n")[2]).toBe(
      "<!-- Generated from tests/fixtures/options/options.json by `npm run docs`. Do not edit. -->",
    );
  });
});

describe("option section details", () => {
  const base: OptionDoc = {
    loc: ["services", "frigate", "nginx", "x"],
    description: "X.",
    declarations: [],
    readOnly: false,
    type: "string",
  };

  test("renders literalMD as Markdown", () => {
    const value = {
      _type: "literalMD",
      text: "the value of {option}`services.frigate.nginx.signInUrl`",
    };
    expect(renderValue(value, linker)).toBe(
      "the value of [`services.frigate.nginx.signInUrl`](#opt-services.frigate.nginx.signInUrl)",
    );
  });

  test("renders plain JSON values as Nix", () => {
    expect(renderValue("a${b}", linker)).toBe('`"a\\${b}"`');
    expect(renderValue(null, linker)).toBe("`null`");
    expect(toNixExpression({ admin: ["a", "b"], "odd key": {} })).toBe(
      '{\n  admin = [\n    "a"\n    "b"\n  ];\n  "odd key" = { };\n}',
    );
  });

  test("links declarations with URLs", () => {
    const section = renderOptionSection(
      "services.frigate.nginx.x",
      {
        ...base,
        declarations: [{ name: "<nixpkgs/nixos/x.nix>", url: "https://example.org/x.nix" }],
      },
      linker,
      { declarationPrefix: "../" },
    );
    expect(section).toContain(" - [\\<nixpkgs/nixos/x.nix\\>](https://example.org/x.nix)");
  });

  test("marks read-only options", () => {
    const section = renderOptionSection(
      "services.frigate.nginx.x",
      { ...base, readOnly: true },
      linker,
      {
        declarationPrefix: "../",
      },
    );
    expect(section).toContain("*Type:*\nstring *(read only)*");
    expect(section).not.toContain("*Default:*");
  });

  test("leaves roles in code blocks alone", () => {
    const text = "Set it:\n\n```nix\n# {option}`x`\n```\n\nUse `{option}` literally.";
    expect(renderDescription(text, linker)).toBe(text);
  });

  test("labels unknown admonition kinds", () => {
    expect(renderDescription("::: {.tip}\nTry it.\n:::", linker)).toBe("> **Tip**\n>\n> Try it.");
  });
});
