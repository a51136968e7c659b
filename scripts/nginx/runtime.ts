/**
 * Makes a rendered configuration runnable by an unprivileged user with the
 * nginx at hand: every path under a temporary prefix, and directives of nginx
 * modules this nginx lacks commented out and reported, never dropped silently.
 */
import path from "node:path";

import type { RenderEnvironment } from "./render.ts";

export interface NeutralisedDirective {
  directive: string;
  /** "server", "http" or the location's path. */
  context: string;
  line: string;
  reason: string;
}

/** Optional features of this nginx binary, read from `nginx -V`. */
export interface NginxCapabilities {
  fileAio: boolean;
  threads: boolean;
  vod: boolean;
  secureToken: boolean;
}

export function parseCapabilities(versionOutput: string): NginxCapabilities {
  return {
    fileAio: versionOutput.includes("--with-file-aio"),
    threads: versionOutput.includes("--with-threads"),
    vod: /vod/i.test(versionOutput),
    secureToken: /secure[-_]token/i.test(versionOutput),
  };
}

/** Returns the render environment of a test prefix, with pid, logs, caches and temp files inside it. */
export function prefixEnvironment(prefix: string): RenderEnvironment {
  const temp = (name: string) => path.join(prefix, "temp", name);
  return {
    pidFile: path.join(prefix, "nginx.pid"),
    errorLog: `${path.join(prefix, "error.log")} info`,
    proxyCacheDirectory: path.join(prefix, "cache"),
    recommendedProxyHeadersFile: path.join(prefix, "recommended-proxy-headers.conf"),
    proxyTimeout: "60s",
    // One process that runs as the invoking user, so the prefix's files need
    // no other owner, also when the tests run as root.
    mainPrelude: ["master_process off;"],
    httpPrelude: [
      `access_log ${path.join(prefix, "access.log")};`,
      `client_body_temp_path ${temp("client_body")};`,
      `proxy_temp_path ${temp("proxy")};`,
      `fastcgi_temp_path ${temp("fastcgi")};`,
      `uwsgi_temp_path ${temp("uwsgi")};`,
      `scgi_temp_path ${temp("scgi")};`,
    ],
  };
}

interface Rule {
  pattern: RegExp;
  missing: (capabilities: NginxCapabilities) => boolean;
  reason: string;
}

const rules: Rule[] = [
  {
    pattern: /^(vod|vod_[a-z_]+)\s/,
    missing: (capabilities) => !capabilities.vod,
    reason: "nginx-vod-module is not in this nginx",
  },
  {
    pattern: /^(secure_token|secure_token_[a-z_]+)\s/,
    missing: (capabilities) => !capabilities.secureToken,
    reason: "nginx-secure-token-module is not in this nginx",
  },
  {
    pattern: /^aio\s+on\s*;/,
    missing: (capabilities) => !capabilities.fileAio,
    reason: "this nginx was built without --with-file-aio",
  },
  {
    pattern: /^aio\s+threads/,
    missing: (capabilities) => !capabilities.threads,
    reason: "this nginx was built without --with-threads",
  },
];

const marker = "# neutralised:";

/**
 * Comments out each directive whose module this nginx lacks and returns the
 * new text with the list of what was neutralised and where.
 */
export function neutraliseDirectives(
  text: string,
  capabilities: NginxCapabilities,
): { text: string; neutralised: NeutralisedDirective[] } {
  const neutralised: NeutralisedDirective[] = [];
  const contexts: string[] = [];
  const output: string[] = [];

  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    const opening = /^(server|http|location\s+(.+?)|[a-z_]+(?:\s+[^{]*)?)\s*\{$/.exec(trimmed);

    const rule = rules.find(
      (candidate) => candidate.pattern.test(trimmed) && candidate.missing(capabilities),
    );
    if (rule !== undefined) {
      const context = [...contexts].reverse().find((entry) => entry !== "") ?? "main";
      neutralised.push({
        directive: trimmed.split(/\s/)[0]!,
        context,
        line: trimmed,
        reason: rule.reason,
      });
      output.push(line.replace(trimmed, `${marker} ${trimmed}`));
      continue;
    }

    output.push(line);
    if (opening !== null) {
      const head = opening[1]!;
      let context = "";
      if (head === "server" || head === "http") context = head;
      else if (opening[2]) context = `location ${opening[2]}`;
      contexts.push(context);
    } else if (trimmed === "}") {
      contexts.pop();
    }
  }

  return { text: output.join("\n"), neutralised };
}
