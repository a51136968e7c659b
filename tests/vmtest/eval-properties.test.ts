import { describe, expect, it } from "vitest";

import { evalJson, nixInstantiate } from "./nix.ts";

// A hand-written stand-in for an evaluated NixOS config: only the attributes
// nixos/tests/lib/eval-properties.nix reads.
const goodConfig = `{
  services.frigate = {
    enable = true;
    hostname = "frigate.example.test";
    nginx.authRequestUrl = "http://127.0.0.1:4180/oauth2/auth";
    nginx.reverseProxy.userHeader = "X-Auth-Request-Preferred-Username";
  };
  services.nginx.virtualHosts."frigate.example.test".locations = {
    "/api/".extraConfig = "auth_request /auth;\\nproxy_set_header Remote-User $frigate_remote_user;";
    "/auth".proxyPass = "http://127.0.0.1:4180/oauth2/auth";
  };
  services.oauth2-proxy = {
    enable = true;
    cookie = { secret = "0123456789abcdef0123456789abcdef"; secretFile = null; };
    keyFile = null;
    setXauthrequest = true;
    extraConfig.code-challenge-method = "S256";
  };
  services.kanidm.provision = {
    enable = true;
    systems.oauth2.frigate.preferShortUsername = true;
  };
}`;

const failuresOf = (change: string, name = "oauth2-proxy-kanidm.nix") =>
  evalJson(`
    let
      properties = import ./nixos/tests/lib/eval-properties.nix;
      config = lib.recursiveUpdate ${goodConfig} (${change});
      lib.recursiveUpdate = a: b: builtins.foldl' (acc: n:
        acc // { \${n} = if builtins.isAttrs (a.\${n} or null) && builtins.isAttrs b.\${n}
          then lib.recursiveUpdate a.\${n} b.\${n} else b.\${n}; }) a (builtins.attrNames b);
    in properties.failures config ++ properties.serverFailures "${name}" config
  `) as Promise<string[]>;

describe.skipIf(nixInstantiate === undefined)("eval properties (needs nix-instantiate)", () => {
  it("accepts a working oauth2-proxy and Kanidm config", async () => {
    expect(await failuresOf("{ }")).toEqual([]);
  });

  it.each([
    ["a 44-character base64 secret with +", "a+b/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ["a 20-character secret", "01234567890123456789"],
  ])("rejects %s as cookie secret", async (_label, secret) => {
    expect(await failuresOf(`{ services.oauth2-proxy.cookie.secret = "${secret}"; }`)).toEqual([
      "services.oauth2-proxy.cookie.secret must decode to 16, 24 or 32 bytes (use `openssl rand -hex 16`)",
    ]);
  });

  it("accepts a secret file instead", async () => {
    const change = `{ services.oauth2-proxy.cookie = { secret = null; secretFile = "/run/secrets/cookie"; }; }`;
    expect(await failuresOf(change)).toEqual([]);
  });

  it("requires PKCE S256 with Kanidm", async () => {
    const failures = await failuresOf(
      `{ services.oauth2-proxy.extraConfig.code-challenge-method = "plain"; }`,
    );
    expect(failures).toEqual([
      'services.oauth2-proxy.extraConfig.code-challenge-method must be "S256": Kanidm rejects clients without PKCE',
    ]);
  });

  it("requires preferShortUsername on Kanidm clients", async () => {
    const change = `{ services.kanidm.provision.systems.oauth2.frigate.preferShortUsername = false; }`;
    expect(await failuresOf(change)).toEqual([
      "services.kanidm.provision.systems.oauth2.frigate.preferShortUsername must be true, or preferred_username is name@domain",
    ]);
  });

  it("rejects the opaque sub as user name", async () => {
    const change = `{ services.frigate.nginx.reverseProxy.userHeader = "X-Auth-Request-User"; }`;
    const failures = await failuresOf(change);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(
      /^services\.frigate\.nginx\.reverseProxy\.userHeader is X-Auth-Request-User/,
    );
  });

  it("rejects an auth location that ignores authRequestUrl", async () => {
    const change = `{ services.nginx.virtualHosts."frigate.example.test".locations."/auth".proxyPass = "http://frigate-api/auth"; }`;
    const failures = await failuresOf(change);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain("location /auth proxies to http://frigate-api/auth");
  });

  it("requires the server an example is named after", async () => {
    const change = `{ services.oauth2-proxy.enable = false; services.kanidm.provision.enable = false; }`;
    expect(await failuresOf(change)).toEqual([
      "oauth2-proxy-kanidm.nix does not enable services.oauth2-proxy",
      "oauth2-proxy-kanidm.nix provisions no Kanidm OAuth2 client",
    ]);
  });
});
