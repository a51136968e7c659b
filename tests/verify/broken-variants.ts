/**
 * Deliberately broken copies of the generated vhost, one per nginx trap the
 * project guards against. The verify tests run the matrix on each and require
 * the listed checks to fail, which shows that those checks can fail.
 */
import type { GeneratedVhost } from "../../scripts/nix/evaluate.ts";

export interface BrokenVariant {
  name: string;
  trap: string;
  mutate(vhost: GeneratedVhost): GeneratedVhost;
  /** Checks that must fail on this variant. */
  mustFail: string[];
}

function clone(vhost: GeneratedVhost): GeneratedVhost {
  return structuredClone(vhost);
}

function editLocations(
  vhost: GeneratedVhost,
  edit: (path: string, extraConfig: string) => string,
): GeneratedVhost {
  const copy = clone(vhost);
  for (const [path, location] of Object.entries(copy.virtualHost.locations)) {
    location.extraConfig = edit(path, location.extraConfig ?? "");
  }
  return copy;
}

export const brokenVariants: BrokenVariant[] = [
  {
    name: "set-copies-auth-values",
    trap: "auth values copied through `set`, which runs before the auth subrequest",
    mutate: (vhost) =>
      editLocations(vhost, (_, config) =>
        config.replace(
          "proxy_set_header Remote-User $frigate_remote_user;",
          "set $frigate_copied_user $frigate_auth_user;\nproxy_set_header Remote-User $frigate_copied_user;",
        ),
      ),
    mustFail: ["session-identity", "viewer-identity", "websocket-upgrade"],
  },
  {
    name: "auth-location-with-body",
    trap: "the auth location without proxy_pass_request_body off",
    mutate: (vhost) =>
      editLocations(vhost, (path, config) =>
        path === "/auth"
          ? config
              .replace("proxy_pass_request_body off;", "")
              .replace('proxy_set_header Content-Length "";', "")
          : config,
      ),
    mustFail: ["body-methods"],
  },
  {
    name: "location-without-identity",
    trap: "one location (/api/stats) without the identity headers",
    mutate: (vhost) =>
      editLocations(vhost, (path, config) =>
        path === "/api/stats"
          ? config
              .split("\n")
              .filter((line) => !/^proxy_set_header (Remote-|X-)/.test(line))
              .join("\n")
          : config,
      ),
    mustFail: ["session-identity", "forged-with-session"],
  },
  {
    name: "stats-left-nested",
    trap: "/api/stats nested inside /api/ with the stock module's snippet (no Remote-Role)",
    mutate: (vhost) => {
      const copy = clone(vhost);
      delete copy.virtualHost.locations["/api/stats"];
      const api = copy.virtualHost.locations["/api/"]!;
      api.extraConfig += `
location /api/stats {
  auth_request /auth;
  auth_request_set $user $upstream_http_remote_user;
  proxy_set_header Remote-User $user;
  access_log off;
  rewrite ^/api(/.*)$ $1 break;
  proxy_pass http://frigate-api;
}
`;
      return copy;
    },
    mustFail: ["session-identity", "forged-with-session"],
  },
  {
    name: "client-headers-passed",
    trap: "identity headers a client sends passed through to Frigate",
    mutate: (vhost) =>
      editLocations(vhost, (_, config) =>
        config
          .split("\n")
          .filter((line) => !/^proxy_set_header [A-Za-z-]+ "";$/.test(line))
          .join("\n"),
      ),
    mustFail: ["forged-with-session"],
  },
  {
    name: "cache-shared-between-users",
    trap: "the /api/ cache keyed without user and role",
    mutate: (vhost) =>
      editLocations(vhost, (_, config) =>
        config.replace(
          /^proxy_cache_key .*$/m,
          'proxy_cache_key "$scheme$proxy_host$request_uri";',
        ),
      ),
    mustFail: ["cache-per-user"],
  },
  {
    name: "login-as-prefix",
    trap: "/api/login as a prefix location, which makes every path under it public",
    mutate: (vhost) => {
      const copy = clone(vhost);
      copy.virtualHost.locations["/api/login"] = copy.virtualHost.locations["= /api/login"]!;
      delete copy.virtualHost.locations["= /api/login"];
      return copy;
    },
    mustFail: ["no-session-api"],
  },
  {
    name: "webrtc-any-method",
    trap: "/api/go2rtc/webrtc without its POST-only limit",
    mutate: (vhost) =>
      editLocations(vhost, (path, config) =>
        path === "/api/go2rtc/webrtc" ? config.replace(/limit_except POST \{[^}]*\}/, "") : config,
      ),
    mustFail: ["webrtc-get-denied"],
  },
  {
    name: "absolute-sign-out",
    trap: "the sign-out redirect made absolute with nginx's own scheme and port",
    mutate: (vhost) =>
      editLocations(vhost, (path, config) =>
        path === "= /api/logout" ? config.replace("absolute_redirect off;", "") : config,
      ),
    mustFail: ["sign-out-relative"],
  },
];
