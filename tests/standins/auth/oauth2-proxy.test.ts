import { afterEach, describe, expect, it } from "vitest";

import { startOAuth2Proxy } from "../../../scripts/standins/auth/oauth2-proxy.ts";
import type { OAuth2ProxyOptions } from "../../../scripts/standins/auth/oauth2-proxy.ts";
import type { AuthStandInHandle } from "../../../scripts/standins/auth/session.ts";
import { headerOf, isPortClosed, makeKilobyteBody, sendRequest, sha256Hex } from "../helpers.ts";
import { sessions } from "./fixtures.ts";

let handle: AuthStandInHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

async function start(options: OAuth2ProxyOptions = {}): Promise<AuthStandInHandle> {
  handle = await startOAuth2Proxy({ sessions, ...options });
  return handle;
}

describe("oauth2-proxy /oauth2/auth", () => {
  it("returns 202 with X-Auth-Request headers", async () => {
    const proxy = await start();

    const response = await sendRequest(`${proxy.url}/oauth2/auth`, {
      headers: [["Cookie", "_oauth2_proxy=cookie-alice"]],
    });

    expect(response.status).toBe(202);
    expect(headerOf(response, "x-auth-request-user")).toBe("3f1c0a9e-sub-alice");
    expect(headerOf(response, "x-auth-request-preferred-username")).toBe("alice");
    expect(headerOf(response, "x-auth-request-email")).toBe("alice@example.test");
    expect(headerOf(response, "x-auth-request-groups")).toBe("frigate-admins,staff");
  });

  it("omits headers for empty claims", async () => {
    const proxy = await start();

    const response = await sendRequest(`${proxy.url}/oauth2/auth`, {
      headers: [["Cookie", "_oauth2_proxy=cookie-bob"]],
    });

    expect(response.status).toBe(202);
    expect(headerOf(response, "x-auth-request-user")).toBe("bob");
    expect(headerOf(response, "x-auth-request-email")).toBeUndefined();
    expect(headerOf(response, "x-auth-request-groups")).toBeUndefined();
  });

  it("returns 401 without a session", async () => {
    const proxy = await start();

    const missing = await sendRequest(`${proxy.url}/oauth2/auth`);
    const forged = await sendRequest(`${proxy.url}/oauth2/auth`, {
      headers: [["Cookie", "_oauth2_proxy=forged"]],
    });

    expect(missing.status).toBe(401);
    expect(forged.status).toBe(401);
    expect(headerOf(forged, "x-auth-request-user")).toBeUndefined();
  });

  it("returns 403 for failed allowed_groups", async () => {
    const proxy = await start();
    const cookie: [string, string] = ["Cookie", "_oauth2_proxy=cookie-alice"];

    const denied = await sendRequest(`${proxy.url}/oauth2/auth?allowed_groups=ops,root`, {
      headers: [cookie],
    });
    const allowed = await sendRequest(`${proxy.url}/oauth2/auth?allowed_groups=ops,staff`, {
      headers: [cookie],
    });

    expect(denied.status).toBe(403);
    expect(allowed.status).toBe(202);
  });

  it("returns 401 for failed global groups", async () => {
    const proxy = await start({ allowedGroups: ["ops"] });

    const response = await sendRequest(`${proxy.url}/oauth2/auth`, {
      headers: [["Cookie", "_oauth2_proxy=cookie-alice"]],
    });

    expect(response.status).toBe(401);
    expect(headerOf(response, "set-cookie")).toMatch(/^_oauth2_proxy=;/);
  });

  it("records the POST body it read", async () => {
    const proxy = await start();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${proxy.url}/oauth2/auth`, {
      method: "POST",
      headers: [
        ["Cookie", "_oauth2_proxy=cookie-alice"],
        ["Content-Length", "1024"],
      ],
      body,
    });

    expect(response.status).toBe(202);
    expect(proxy.requests[0]?.contentLength).toBe("1024");
    expect(proxy.requests[0]?.bodyLength).toBe(1024);
    expect(proxy.requests[0]?.bodySha256).toBe(sha256Hex(body));
  });

  it("answers late in slow mode", async () => {
    const proxy = await start({ delayMs: 300 });
    const started = Date.now();

    const response = await sendRequest(`${proxy.url}/oauth2/auth`);

    expect(response.status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers 500 in failure mode", async () => {
    const proxy = await start({ fail: true });

    const response = await sendRequest(`${proxy.url}/oauth2/auth`, {
      headers: [["Cookie", "_oauth2_proxy=cookie-alice"]],
    });

    expect(response.status).toBe(500);
  });

  it("refuses connections after stop", async () => {
    const proxy = await start();

    await proxy.stop();

    expect(await isPortClosed(proxy.port)).toBe(true);
  });
});

describe("oauth2-proxy sign-in", () => {
  it("serves the sign-in page", async () => {
    const proxy = await start();

    const response = await sendRequest(`${proxy.url}/oauth2/sign_in?rd=%2Fapi%2Fstats`);

    expect(response.status).toBe(200);
    expect(headerOf(response, "content-type")).toBe("text/html; charset=utf-8");
    expect(response.body).toContain('value="/api/stats"');
  });

  it("redirects start to the provider", async () => {
    const proxy = await start({ loginUrl: "https://idp.example.test/auth" });

    const response = await sendRequest(`${proxy.url}/oauth2/start?rd=%2Freview`);

    expect(response.status).toBe(302);
    const location = new URL(headerOf(response, "location") ?? "");
    expect(location.origin + location.pathname).toBe("https://idp.example.test/auth");
    expect(location.searchParams.get("state")).toMatch(/^[\w-]+:\/review$/);
  });

  it("drops absolute targets off the whitelist", async () => {
    const proxy = await start({ whitelistDomains: ["frigate.example.test"] });

    const evil = await sendRequest(`${proxy.url}/oauth2/start?rd=https%3A%2F%2Fevil.test%2F`);
    const good = await sendRequest(
      `${proxy.url}/oauth2/start?rd=https%3A%2F%2Ffrigate.example.test%2Fx`,
    );

    const stateOf = (value: string | undefined) =>
      new URL(value ?? "").searchParams.get("state")?.replace(/^[^:]*:/, "");
    expect(stateOf(headerOf(evil, "location"))).toBe("/");
    expect(stateOf(headerOf(good, "location"))).toBe("https://frigate.example.test/x");
  });

  it("redirects sign_in with skipProviderButton", async () => {
    const proxy = await start({ skipProviderButton: true });

    const response = await sendRequest(`${proxy.url}/oauth2/sign_in?rd=%2F`);

    expect(response.status).toBe(302);
  });
});
