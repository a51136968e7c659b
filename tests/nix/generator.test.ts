import { beforeAll, describe, expect, it } from "vitest";

import { evaluateVhost, type GeneratedVhost } from "../../scripts/nix/evaluate.ts";
import { bundledScenarios, backendNames } from "../../scripts/verify/scenarios/index.ts";

const formerlyNested = [
  "/api/vod/",
  "= /api/login",
  "= /api/auth/first_time_login",
  "/api/stats",
  "/api/version",
];

const evaluated: Record<string, GeneratedVhost> = {};

beforeAll(async () => {
  for (const backend of backendNames) {
    const scenario = bundledScenarios[backend];
    evaluated[backend] = await evaluateVhost({
      nginx: { ...scenario.nginx },
      settings: scenario.settings,
      webRoot: "/srv/frigate-web",
    });
  }
});

function vhostOf(backend: string): GeneratedVhost {
  const vhost = evaluated[backend];
  if (vhost === undefined) throw new Error(`no evaluation for ${backend}`);
  return vhost;
}

function locationConfig(vhost: GeneratedVhost, path: string): string {
  const location = vhost.virtualHost.locations[path];
  if (location === undefined) throw new Error(`location ${path} is missing`);
  return location.extraConfig ?? "";
}

describe.each(backendNames)("generated vhost for %s", (backend) => {
  it("protects every protected location", () => {
    const vhost = vhostOf(backend);
    expect(vhost.meta.protectedLocations.length).toBeGreaterThan(15);

    for (const path of vhost.meta.protectedLocations) {
      expect(locationConfig(vhost, path), path).toMatch(/^auth_request \/auth;$/m);
    }
  });

  it("sets identity headers on proxied protected locations", () => {
    const vhost = vhostOf(backend);

    for (const path of vhost.meta.protectedLocations) {
      const location = vhost.virtualHost.locations[path]!;
      if (!location.proxyPass) continue;

      const config = location.extraConfig ?? "";
      expect(config, path).toContain("proxy_set_header Remote-User $frigate_remote_user;");
      expect(config, path).toContain("proxy_set_header Remote-Role $frigate_remote_role;");
    }
  });

  it("strips forged identity headers everywhere", () => {
    const vhost = vhostOf(backend);

    for (const [path, location] of Object.entries(vhost.virtualHost.locations)) {
      if (!location.proxyPass || path === "/auth") continue;

      for (const header of ["X-Proxy-Secret", "X-Forwarded-User", "X-authentik-username"]) {
        expect(location.extraConfig, `${path} ${header}`).toContain(
          `proxy_set_header ${header} "";`,
        );
      }
    }
  });

  it("lifts the formerly nested locations", () => {
    const vhost = vhostOf(backend);

    for (const path of formerlyNested) {
      expect(vhost.virtualHost.locations, path).toHaveProperty([path]);
    }
    for (const [path, location] of Object.entries(vhost.virtualHost.locations)) {
      expect(location.extraConfig ?? "", path).not.toMatch(/^\s*location\s/m);
    }
  });

  it("keeps the body away from the auth server", () => {
    const auth = locationConfig(vhostOf(backend), "/auth");

    expect(auth).toMatch(/^internal;$/m);
    expect(auth).toMatch(/^proxy_pass_request_body off;$/m);
    expect(auth).toMatch(/^proxy_set_header Content-Length "";$/m);
  });

  it("copies no auth value through set", () => {
    const vhost = vhostOf(backend);
    const everything = [
      vhost.appendHttpConfig,
      vhost.virtualHost.extraConfig,
      ...Object.values(vhost.virtualHost.locations).map((location) => location.extraConfig ?? ""),
    ].join("\n");

    expect(everything).not.toMatch(/^\s*set\s+\$/m);
    expect(everything).toMatch(/auth_request_set \$frigate_auth_user /);
  });

  it("answers the internal listener as admin", () => {
    const vhost = vhostOf(backend);

    expect(vhost.virtualHost.extraConfig).toMatch(/^listen 127\.0\.0\.1:5000;$/m);
    expect(vhost.appendHttpConfig).toMatch(
      /map \$server_port \$frigate_remote_role \{\n\s+5000 admin;/,
    );
    expect(vhost.appendHttpConfig).toMatch(
      /map \$server_port \$frigate_remote_user \{\n\s+5000 anonymous;/,
    );
  });

  it("keys the API cache per user and role", () => {
    expect(locationConfig(vhostOf(backend), "/api/")).toMatch(
      /proxy_cache_key "[^"]*\$frigate_remote_user[^"]*\$frigate_remote_role";/,
    );
  });
});

describe("external SSO versus Frigate's own login", () => {
  it("bypasses the SSO on the internal listener", () => {
    expect(locationConfig(vhostOf("oauth2-proxy"), "/auth")).toMatch(
      /if \(\$server_port = 5000\) \{\n\s+return 202;\n\}/,
    );
    expect(locationConfig(vhostOf("frigate"), "/auth")).not.toContain("return 202");
    expect(locationConfig(vhostOf("frigate"), "/auth")).toContain(
      "proxy_set_header X-Server-Port $server_port;",
    );
  });

  it("protects the UI only behind an SSO", () => {
    expect(vhostOf("oauth2-proxy").meta.protectedLocations).toContain("/");
    expect(vhostOf("frigate").meta.publicLocations).toContain("/");
  });

  it("sends the auth subrequest to the configured URL", () => {
    expect(vhostOf("authelia").virtualHost.locations["/auth"]?.proxyPass).toBe(
      "http://127.0.0.1:9091/api/authz/auth-request",
    );
    expect(vhostOf("frigate").virtualHost.locations["/auth"]?.proxyPass).toBe(
      "http://frigate-api/auth",
    );
  });

  it("redirects with the sign-in URL and return URL", () => {
    const locations = vhostOf("oauth2-proxy").virtualHost.locations;

    expect(locations["@frigate_sign_in"]?.extraConfig).toContain(
      "return 302 /oauth2/sign_in?rd=$scheme://$http_host$request_uri;",
    );
    expect(locations["@frigate_unauthorized"]?.extraConfig).toContain(
      'add_header Location "/oauth2/sign_in?rd=$scheme://$http_host/" always;',
    );
  });

  it("follows Authelia's Location without signInUrl", () => {
    const locations = vhostOf("authelia").virtualHost.locations;

    expect(locations["@frigate_sign_in"]?.extraConfig).toContain(
      "return 302 $frigate_auth_location;",
    );
  });

  it("leaves Frigate's own 401 alone", () => {
    const vhost = vhostOf("frigate");

    expect(vhost.virtualHost.locations).not.toHaveProperty(["@frigate_sign_in"]);
    expect(locationConfig(vhost, "/api/")).not.toContain("error_page 401");
  });

  it("escapes pipe-separated authentik groups", () => {
    expect(vhostOf("authentik").appendHttpConfig).toContain(
      'map "|$frigate_auth_groups|" $frigate_role {',
    );
    expect(vhostOf("authentik").appendHttpConfig).toContain('"~\\|authentik Admins\\|" admin;');
  });
});

const invalidInputs: { name: string; nginx: Record<string, unknown>; message: RegExp }[] = [
  {
    name: "header name with space",
    nginx: { reverseProxy: { userHeader: "X Auth" } },
    message: /services\.frigate\.nginx\.reverseProxy\.userHeader: invalid value "X Auth"/,
  },
  {
    name: "header name injecting config",
    nginx: { reverseProxy: { emailHeader: "X-Email;\nallow all" } },
    message: /services\.frigate\.nginx\.reverseProxy\.emailHeader: invalid value/,
  },
  {
    name: "unknown default role",
    nginx: { reverseProxy: { defaultRole: "superuser" } },
    message:
      /reverseProxy\.defaultRole: invalid value "superuser"; use one of \["admin","viewer"\]/,
  },
  {
    name: "role name with dash",
    nginx: { reverseProxy: { roleMap: { "power-user": ["a"] } } },
    message: /reverseProxy\.roleMap\.<name>: invalid value "power-user"/,
  },
  {
    name: "group with quote",
    nginx: { reverseProxy: { roleMap: { admin: ['x" y'] } } },
    message: /reverseProxy\.roleMap\.admin: invalid value "x\\" y"/,
  },
  {
    name: "group containing separator",
    nginx: { reverseProxy: { separator: " ", roleMap: { admin: ["authentik Admins"] } } },
    message:
      /roleMap\.admin: invalid value "authentik Admins"; a group name cannot contain the separator " "/,
  },
  {
    name: "auth URL with variable",
    nginx: { authRequestUrl: "http://127.0.0.1/$host" },
    message:
      /services\.frigate\.nginx\.authRequestUrl: invalid value "http:\/\/127\.0\.0\.1\/\$host"/,
  },
  {
    name: "auth URL without scheme",
    nginx: { authRequestUrl: "127.0.0.1:4180/oauth2/auth" },
    message: /nginx\.authRequestUrl: invalid value .*absolute http/,
  },
  {
    name: "sign-in URL with semicolon",
    nginx: { signInUrl: "/sign_in;return 200" },
    message: /nginx\.signInUrl: invalid value/,
  },
  {
    name: "auth URL with user information",
    nginx: { authRequestUrl: "http://user:pw@127.0.0.1:4180/oauth2/auth" },
    message: /nginx\.authRequestUrl: invalid value "http:\/\/user:pw@/,
  },
  {
    name: "auth URL without host",
    nginx: { authRequestUrl: "http:///oauth2/auth" },
    message: /nginx\.authRequestUrl: invalid value "http:\/\/\/oauth2\/auth"/,
  },
  {
    name: "auth URL with port out of range",
    nginx: { authRequestUrl: "http://127.0.0.1:99999/oauth2/auth" },
    message: /nginx\.authRequestUrl: invalid value .*port from 1 to 65535/,
  },
  {
    name: "auth URL with fragment",
    nginx: { authRequestUrl: "http://127.0.0.1:4180/oauth2/auth#x" },
    message: /nginx\.authRequestUrl: invalid value "http:\/\/127\.0\.0\.1:4180\/oauth2\/auth#x"/,
  },
  {
    name: "misspelt top-level option",
    nginx: { sigInUrl: "/oauth2/sign_in" },
    message: /services\.frigate\.nginx: unknown option \["sigInUrl"\]/,
  },
  {
    name: "two-character separator",
    nginx: { reverseProxy: { separator: ", " } },
    message: /nginx\.reverseProxy\.separator: invalid value ", "/,
  },
  {
    name: "misspelt reverseProxy setting",
    nginx: { reverseProxy: { userHeaders: "Remote-User" } },
    message: /reverseProxy: unknown setting \["userHeaders"\]/,
  },
];

describe("generator details", () => {
  it("accepts an IPv6 auth URL", async () => {
    const vhost = await evaluateVhost({
      nginx: { authRequestUrl: "https://[::1]:4180/oauth2/auth" },
    });

    expect(vhost.virtualHost.locations["/auth"]?.proxyPass).toBe("https://[::1]:4180/oauth2/auth");
  });

  it("sends no role without a user", () => {
    expect(vhostOf("oauth2-proxy").appendHttpConfig).toMatch(
      /map \$frigate_remote_user \$frigate_role_if_user \{\n\s+"" "";\n\s+default \$frigate_role;/,
    );
  });

  it("allows only POST on go2rtc webrtc", () => {
    expect(locationConfig(vhostOf("oauth2-proxy"), "/api/go2rtc/webrtc")).toMatch(
      /limit_except POST \{\n\s+deny all;\n\}/,
    );
  });

  it("matches public login paths exactly", () => {
    const locations = vhostOf("oauth2-proxy").virtualHost.locations;

    expect(locations).toHaveProperty(["= /api/login"]);
    expect(locations).not.toHaveProperty(["/api/login"]);
  });
});

describe("generator input validation", () => {
  it.each(invalidInputs)("rejects $name", async ({ nginx, message }) => {
    await expect(evaluateVhost({ nginx })).rejects.toThrow(message);
  });

  it("accepts custom roles from Frigate settings", async () => {
    const vhost = await evaluateVhost({
      nginx: { reverseProxy: { defaultRole: "operator", roleMap: { operator: ["ops"] } } },
      settings: { auth: { roles: { operator: ["front"] } } },
    });

    expect(vhost.meta.roles).toEqual(["admin", "viewer", "operator"]);
    expect(vhost.appendHttpConfig).toContain('"~,ops," operator;');
  });
});
