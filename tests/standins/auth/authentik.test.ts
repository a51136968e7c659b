import { afterEach, describe, expect, it } from "vitest";

import { authentikCookieName, startAuthentik } from "../../../scripts/standins/auth/authentik.ts";
import type { AuthentikOptions } from "../../../scripts/standins/auth/authentik.ts";
import type { AuthStandInHandle } from "../../../scripts/standins/auth/session.ts";
import { headerOf, isPortClosed, makeKilobyteBody, sendRequest, sha256Hex } from "../helpers.ts";
import { sessions } from "./fixtures.ts";

let handle: AuthStandInHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

async function start(options: AuthentikOptions = {}): Promise<AuthStandInHandle> {
  handle = await startAuthentik({ sessions, clientId: "AbCdEfGh1234567890", ...options });
  return handle;
}

const target: [string, string] = ["X-Original-URL", "https://frigate.example.test/api/stats"];
const authPath = "/outpost.goauthentik.io/auth/nginx";

describe("authentik outpost", () => {
  it("derives the cookie name from the client ID", () => {
    expect(authentikCookieName("AbCdEfGh1234567890")).toBe("authentik_proxy_AbCdEfGh");
    expect(() => authentikCookieName("short")).toThrow(/shorter than 8 characters/);
  });

  it("returns 200 with X-authentik headers", async () => {
    const outpost = await start();

    const response = await sendRequest(`${outpost.url}${authPath}`, {
      headers: [
        target,
        ["Cookie", `${outpost.cookieName}=cookie-alice`],
        ["User-Agent", "probe/1"],
      ],
    });

    expect(response.status).toBe(200);
    expect(headerOf(response, "x-authentik-username")).toBe("alice");
    expect(headerOf(response, "x-authentik-groups")).toBe("frigate-admins|staff");
    expect(headerOf(response, "x-authentik-email")).toBe("alice@example.test");
    expect(headerOf(response, "x-authentik-name")).toBe("Alice Admin");
    expect(headerOf(response, "x-authentik-uid")).toBe("3f1c0a9e-sub-alice");
    expect(headerOf(response, "user-agent")).toBe("probe/1");
  });

  it("returns 401 without a session", async () => {
    const outpost = await start();

    const missing = await sendRequest(`${outpost.url}${authPath}`, { headers: [target] });
    const wrongName = await sendRequest(`${outpost.url}${authPath}`, {
      headers: [target, ["Cookie", "authentik_proxy_other=cookie-alice"]],
    });

    expect(missing.status).toBe(401);
    expect(missing.body).toBe("unauthorized request\n");
    expect(wrongName.status).toBe(401);
  });

  it("allows outpost paths without a session", async () => {
    const outpost = await start();

    const response = await sendRequest(`${outpost.url}${authPath}`, {
      headers: [["X-Original-URI", "/outpost.goauthentik.io/callback"]],
    });

    expect(response.status).toBe(200);
    expect(headerOf(response, "x-authentik-username")).toBeUndefined();
  });

  it("returns 500 without a forward URL", async () => {
    const outpost = await start();

    const response = await sendRequest(`${outpost.url}${authPath}`, {
      headers: [["Cookie", `${outpost.cookieName}=cookie-alice`]],
    });

    expect(response.status).toBe(500);
    expect(response.body).toBe("configuration error\n");
  });

  it("redirects start to the provider", async () => {
    const outpost = await start({ authorizeUrl: "https://authentik.example.test/authorize/" });

    const response = await sendRequest(
      `${outpost.url}/outpost.goauthentik.io/start?rd=https%3A%2F%2Ffrigate.example.test%2F`,
    );

    expect(response.status).toBe(302);
    const location = new URL(headerOf(response, "location") ?? "");
    expect(location.origin + location.pathname).toBe("https://authentik.example.test/authorize/");
    expect(location.searchParams.get("client_id")).toBe("AbCdEfGh1234567890");
  });

  it("records the POST body it read", async () => {
    const outpost = await start();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${outpost.url}${authPath}`, {
      method: "POST",
      headers: [target, ["Content-Length", "1024"]],
      body,
    });

    expect(response.status).toBe(401);
    expect(outpost.requests[0]?.contentLength).toBe("1024");
    expect(outpost.requests[0]?.bodyLength).toBe(1024);
    expect(outpost.requests[0]?.bodySha256).toBe(sha256Hex(body));
  });

  it("answers late in slow mode", async () => {
    const outpost = await start({ delayMs: 300 });
    const started = Date.now();

    const response = await sendRequest(`${outpost.url}${authPath}`, { headers: [target] });

    expect(response.status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers 500 in failure mode", async () => {
    const outpost = await start({ fail: true });

    const response = await sendRequest(`${outpost.url}${authPath}`, { headers: [target] });

    expect(response.status).toBe(500);
    expect(response.body).not.toBe("configuration error\n");
  });

  it("refuses connections after stop", async () => {
    const outpost = await start();

    await outpost.stop();

    expect(await isPortClosed(outpost.port)).toBe(true);
  });
});
