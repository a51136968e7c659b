/**
 * Turns the Markdown dialect of NixOS option descriptions into plain
 * CommonMark/GitHub Markdown: {option}`…` roles become links, the other roles
 * inline code, and `::: {.note}` blocks quoted paragraphs with a bold label.
 */

/** Where an option's documentation lives: an anchor in the same page, or the NixOS manual. */
export type OptionLinker = (name: string) => string;

/** The anchor id of an option, as the NixOS manual builds it (`opt-` + the name). */
export function optionAnchor(name: string): string {
  return `opt-${name.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/** Links options documented on this page to their anchors and the rest to the NixOS manual. */
export function createOptionLinker(documented: ReadonlySet<string>): OptionLinker {
  return (name) =>
    documented.has(name)
      ? `#${optionAnchor(name)}`
      : `https://nixos.org/manual/nixos/unstable/options#${optionAnchor(name)}`;
}

const admonitionLabels: Record<string, string> = {
  note: "Note",
  warning: "Warning",
  caution: "Caution",
  important: "Important",
  tip: "Tip",
  example: "Example",
};

/** Renders a description (or a literalMD text) as GitHub-flavoured Markdown. */
export function renderDescription(markdown: string, linkOption: OptionLinker): string {
  const output: string[] = [];
  let fence: string | undefined;
  let admonition: string[] | undefined;

  for (const line of markdown.replace(/\s+$/, "").split("\n")) {
    const target = admonition ?? output;
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);

    if (fence !== undefined) {
      target.push(line);
      if (fenceMatch && (fenceMatch[1] as string).startsWith(fence)) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      target.push(line);
      continue;
    }

    const open = /^:::\s*\{\.(\w+)\}\s*$/.exec(line);
    if (open && admonition === undefined) {
      const kind = open[1] as string;
      admonition = [`**${admonitionLabels[kind] ?? capitalize(kind)}**`, ""];
      continue;
    }
    if (/^:::\s*$/.test(line) && admonition !== undefined) {
      output.push(...admonition.map((text) => (text === "" ? ">" : `> ${text}`)));
      admonition = undefined;
      continue;
    }

    target.push(renderRoles(line, linkOption));
  }

  // An unclosed admonition still renders, rather than losing its text.
  if (admonition !== undefined) {
    output.push(...admonition.map((text) => (text === "" ? ">" : `> ${text}`)));
  }

  return output.join("\n");
}

/** Replaces `{role}`text`` outside inline code spans. */
export function renderRoles(line: string, linkOption: OptionLinker): string {
  return line.replace(/\{(\w+)\}`([^`]+)`|(`+)[^`]*?\3/g, (match, role, text) => {
    if (role === undefined) return match;
    if (role === "option") return `[\`${text}\`](${linkOption(text)})`;

    return `\`${text}\``;
  });
}

/** Returns the first sentence of a description, roles rendered, for one-line summaries. */
export function summarizeDescription(markdown: string, linkOption: OptionLinker): string {
  const paragraph = markdown.trim().split(/\n\s*\n/)[0] ?? "";
  const text = paragraph.replace(/\s*\n\s*/g, " ");
  const sentence = /^(.*?[.!?])(\s|$)/.exec(maskCode(text));
  const summary = sentence ? text.slice(0, (sentence[1] as string).length) : text;

  return renderRoles(summary, linkOption);
}

// Replaces the content of code spans with spaces, so a '.' inside `…` does not end a sentence.
function maskCode(text: string): string {
  return text.replace(/`[^`]*`/g, (code) => " ".repeat(code.length));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
