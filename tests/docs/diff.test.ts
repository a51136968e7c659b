import { describe, expect, test } from "vitest";

import { unifiedDiff } from "../../scripts/docs/diff.ts";

describe("unifiedDiff", () => {
  test("returns nothing for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "old", "new")).toBe("");
  });

  test("shows a changed line with context", () => {
    const oldText = ["1", "2", "3", "4", "5", "6", "7", "8"].join("\n") + "\n";
    const newText = oldText.replace("5", "five");
    expect(unifiedDiff(oldText, newText, "a/f", "b/f")).toBe(
      ["--- a/f", "+++ b/f", "@@ -2,7 +2,7 @@", "2", "3", "4", "-5", "+five", "6", "7", "8", ""]
        .map((line) => (/^(---|\+\+\+|@@|[-+]|$)/.test(line) ? line : ` ${line}`))
        .join("\n"),
    );
  });

  test("diffs a missing file as additions", () => {
    expect(unifiedDiff("", "x\ny\n", "a/f", "b/f")).toBe(
      "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n",
    );
  });

  test("splits distant changes into hunks", () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index}`);
    const changed = [...lines];
    changed[2] = "changed 2";
    changed[25] = "changed 25";
    const diff = unifiedDiff(lines.join("\n"), changed.join("\n"), "a", "b");
    expect(diff.match(/^@@ /gm)).toHaveLength(2);
    expect(diff).toContain("-line 25\n+changed 25");
  });
});
