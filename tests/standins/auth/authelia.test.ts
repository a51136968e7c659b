import { afterEach, describe, expect, it } from "vitest";

import { escapeQueryComponent, startAuthelia } from "../../../scripts/standins/auth/authelia.ts";
import type { AutheliaOptions } from "../../../scripts/standins/auth/authelia.ts";
import type { AuthStandInHandle } from "../../../scripts/standins/auth/session.ts";
import { headerOf, isPortClosed, makeKilobyteBody, sendRequest, sha256Hex } from "../helpers.ts";
import { sessions } from "./fixtures.ts";

let handle: AuthStandInHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

async function start(options: AutheliaOptions = {}): Promise<AuthStandInHandle> {
  handle = await startAuthelia({ sessions, portalUrl: "https://auth.example.test", ...options });
  return handle;
}

const target: [string, string][] = [
  ["X-Original-URL", "https://frigate.example.test/api/stats?x=1"],
  ["X-Original-Method", "GET"],
];
const alice: [string, string] = ["Cookie", "authelia_session=cookie-alice"];

describe("Authelia AuthRequest", () => {
  it("returns 200 with Remote headers", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: [...target, alice],
    });

    expect(response.status).toBe(200);
    expect(headerOf(response, "remote-user")).toBe("3f1c0a9e-sub-alice");
    expect(headerOf(response, "remote-groups")).toBe("frigate-admins,staff");
    expect(headerOf(response, "remote-name")).toBe("Alice Admin");
    expect(headerOf(response, "remote-email")).toBe("alice@example.test");
  });

  it("returns 401 with the portal Location", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: target,
    });

    expect(response.status).toBe(401);
    expect(headerOf(response, "location")).toBe(
      "https://auth.example.test/?rd=https%3A%2F%2Ffrigate.example.test%2Fapi%2Fstats%3Fx%3D1&rm=GET",
    );
    expect(response.body).toContain("401 Unauthorized</a>");
  });

  it("sends no body for HEAD targets", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: [
        ["X-Original-URL", "https://frigate.example.test/"],
        ["X-Original-Method", "HEAD"],
      ],
    });

    expect(response.status).toBe(401);
    expect(headerOf(response, "location")).toContain("rm=HEAD");
    expect(response.body).toBe("");
  });

  it("uses the authelia_url query parameter", async () => {
    const authelia = await start();

    const response = await sendRequest(
      `${authelia.url}/api/authz/auth-request?authelia_url=https%3A%2F%2Flogin.example.test%2Fportal`,
      { headers: target },
    );

    expect(headerOf(response, "location")).toMatch(/^https:\/\/login\.example\.test\/portal\?rd=/);
  });

  const badRequests: { name: string; headers: [string, string][] }[] = [
    { name: "missing X-Original-URL", headers: [["X-Original-Method", "GET"]] },
    {
      name: "missing X-Original-Method",
      headers: [["X-Original-URL", "https://frigate.example.test/"]],
    },
    {
      name: "lower-case method",
      headers: [
        ["X-Original-URL", "https://frigate.example.test/"],
        ["X-Original-Method", "get"],
      ],
    },
    {
      name: "http target",
      headers: [
        ["X-Original-URL", "http://frigate.example.test/"],
        ["X-Original-Method", "GET"],
      ],
    },
    {
      name: "relative target",
      headers: [
        ["X-Original-URL", "/api/stats"],
        ["X-Original-Method", "GET"],
      ],
    },
  ];

  for (const badRequest of badRequests) {
    it(`returns 400 for ${badRequest.name}`, async () => {
      const authelia = await start();

      const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
        headers: [...badRequest.headers, alice],
      });

      expect(response.status).toBe(400);
      expect(response.body).toBe("400 Bad Request");
    });
  }

  it("returns 400 outside the cookie domain", async () => {
    const authelia = await start({ cookieDomain: "other.test" });

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: [...target, alice],
    });

    expect(response.status).toBe(400);
  });

  it("records the POST body it read", async () => {
    const authelia = await start();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      method: "POST",
      headers: [...target, alice, ["Content-Length", "1024"]],
      body,
    });

    expect(response.status).toBe(200);
    expect(authelia.requests[0]?.contentLength).toBe("1024");
    expect(authelia.requests[0]?.bodySha256).toBe(sha256Hex(body));
  });

  it("answers late in slow mode", async () => {
    const authelia = await start({ delayMs: 300 });
    const started = Date.now();

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: [...target, alice],
    });

    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("answers 500 in failure mode", async () => {
    const authelia = await start({ fail: true });

    const response = await sendRequest(`${authelia.url}/api/authz/auth-request`, {
      headers: [...target, alice],
    });

    expect(response.status).toBe(500);
  });

  it("refuses connections after stop", async () => {
    const authelia = await start();

    await authelia.stop();

    expect(await isPortClosed(authelia.port)).toBe(true);
  });
});

describe("Authelia legacy /api/verify", () => {
  const legacyTarget: [string, string][] = [
    ["X-Forwarded-Proto", "https"],
    ["X-Forwarded-Host", "frigate.example.test"],
    ["X-Forwarded-URI", "/review"],
  ];

  it("returns 200 for a session", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/verify`, {
      headers: [...legacyTarget, alice],
    });

    expect(response.status).toBe(200);
    expect(headerOf(response, "remote-user")).toBe("3f1c0a9e-sub-alice");
  });

  it("returns 401 without a portal", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/verify`, { headers: legacyTarget });

    expect(response.status).toBe(401);
    expect(headerOf(response, "location")).toBeUndefined();
  });

  it("redirects browsers to the rd portal", async () => {
    const authelia = await start();

    const response = await sendRequest(
      `${authelia.url}/api/verify?rd=https%3A%2F%2Fauth.example.test%2F`,
      { headers: [...legacyTarget, ["Accept", "text/html,*/*"]] },
    );

    expect(response.status).toBe(302);
    expect(headerOf(response, "location")).toBe(
      "https://auth.example.test/?rd=https%3A%2F%2Ffrigate.example.test%2Freview&rm=GET",
    );
  });

  it("returns 401 with Location to XHR", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/verify`, {
      headers: [
        ...legacyTarget,
        ["Accept", "text/html"],
        ["X-Requested-With", "XMLHttpRequest"],
        ["X-Authelia-URL", "https://auth.example.test/"],
      ],
    });

    expect(response.status).toBe(401);
    expect(headerOf(response, "location")).toMatch(/^https:\/\/auth\.example\.test\/\?rd=/);
  });

  it("answers 303 for POST targets", async () => {
    const authelia = await start();

    const response = await sendRequest(`${authelia.url}/api/verify`, {
      headers: [
        ...legacyTarget,
        ["X-Forwarded-Method", "POST"],
        ["Accept", "text/html"],
        ["X-Authelia-URL", "https://auth.example.test/"],
      ],
    });

    expect(response.status).toBe(303);
    expect(headerOf(response, "location")).toContain("rm=POST");
  });
});

describe("escapeQueryComponent", () => {
  it("matches Go's url.QueryEscape", () => {
    expect(escapeQueryComponent("a b!*'()~-_.:/?&=")).toBe("a+b%21%2A%27%28%29~-_.%3A%2F%3F%26%3D");
  });
});
