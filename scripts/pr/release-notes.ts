/**
 * The release-notes item. NixOS keeps one file per release,
 * nixos/doc/manual/release-notes/rl-YYMM.section.md; the newest YYMM is the
 * release in development, and every older file belongs to a released version
 * and is never edited. Items go under `## Other Notable Changes {#…}`.
 */
import { createHash } from "node:crypto";

import { AnchorError } from "./frigate-module-errors.ts";

export const releaseNotesDirectory = "nixos/doc/manual/release-notes";

/** Marker that shows the item is already present. */
export const releaseNoteMarker = "#opt-services.frigate.nginx.authRequestUrl";

export const releaseNoteItem = [
  "- Frigate's nginx virtual host can now authenticate requests with an SSO forward-auth server",
  "  (oauth2-proxy, Authelia, authentik) through",
  "  [services.frigate.nginx.authRequestUrl](#opt-services.frigate.nginx.authRequestUrl).",
  "  Browsers without a session are sent to",
  "  [services.frigate.nginx.signInUrl](#opt-services.frigate.nginx.signInUrl), and the user",
  "  and role reach Frigate as `Remote-User` and `Remote-Role`, mapped from the auth server's",
  "  headers by the `services.frigate.nginx.reverseProxy` options such as",
  "  [services.frigate.nginx.reverseProxy.roleMap](#opt-services.frigate.nginx.reverseProxy.roleMap).",
  "  Overrides of `services.nginx.virtualHosts.<hostname>.locations` written for this can be removed.",
].join("\n");

/** Returns the newest rl-YYMM.section.md among `names`, or undefined. */
export function newestReleaseNotes(names: string[]): string | undefined {
  const releases = names
    .map((name) => /^rl-(\d{4})\.section\.md$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  return releases.at(-1)?.[0];
}

/**
 * Inserts the item into the Other Notable Changes list. The place within the
 * list is derived from a hash of the item, because the file asks contributors
 * to add items at an arbitrary place to avoid merge conflicts, and a hash keeps
 * reruns deterministic.
 */
export function addReleaseNote(
  source: string,
  label: string,
): { content: string; changed: boolean } {
  if (source.includes(releaseNoteMarker)) return { content: source, changed: false };

  const lines = source.split("\n");
  const heading = lines.findIndex((line) => /^## Other Notable Changes\b/.test(line));
  if (heading === -1) {
    throw new AnchorError("## Other Notable Changes", label, "section heading not found");
  }

  let end = lines.findIndex((line, index) => index > heading && /^#{1,2} /.test(line));
  if (end === -1) end = lines.length;

  const items: number[] = [];
  for (let index = heading + 1; index < end; index += 1) {
    if (lines[index]!.startsWith("- ")) items.push(index);
  }

  const digest = createHash("sha256").update(releaseNoteItem).digest();
  const slot = digest.readUInt32BE(0) % (items.length + 1);
  const itemLines = releaseNoteItem.split("\n");

  if (slot < items.length) {
    lines.splice(items[slot]!, 0, ...itemLines, "");
  } else {
    let last = end;
    while (last > heading + 1 && lines[last - 1]!.trim() === "") last -= 1;
    const block = last === heading + 1 ? ["", ...itemLines, ""] : ["", ...itemLines];
    lines.splice(last, 0, ...block);
  }

  return { content: lines.join("\n"), changed: true };
}
