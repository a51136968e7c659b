import { createHash } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { startAuthelia } from "../../scripts/standins/auth/authelia.ts";
import { startAuthentik } from "../../scripts/standins/auth/authentik.ts";
import { startOAuth2Proxy } from "../../scripts/standins/auth/oauth2-proxy.ts";
import type { SessionMap } from "../../scripts/standins/auth/session-users.ts";
import { startFrigateApi } from "../../scripts/standins/frigate-api.ts";
import type { StandIn } from "../../scripts/standins/server.ts";
import { startWebsocketEcho } from "../../scripts/standins/websocket-echo.ts";

const sessions: SessionMap = {
  s1: {
    subject: "uuid-1",
    username: "alice",
    email: "alice@example.com",
    name: "Alice",
    groups: ["admins", "Frigate Users"],
  },
};

const running: StandIn[] = [];
async function track(server: Promise<StandIn>): Promise<StandIn> {
  const handle = await server;
  running.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("Frigate API stand-in", () => {
  it("answers /auth with the JWT's identity", async () => {
    const api = await track(
      startFrigateApi({ sessions: { jwt1: { user: "alice", role: "admin" } } }),
    );
    const response = await fetch(`${api.url}/auth`, { headers: { Cookie: "frigate_token=jwt1" } });

    expect(response.status).toBe(202);
    expect(response.headers.get("remote-user")).toBe("alice");
    expect(response.headers.get("remote-role")).toBe("admin");
  });

  it("rejects /auth without a token", async () => {
    const api = await track(startFrigateApi());

    expect((await fetch(`${api.url}/auth`)).status).toBe(401);
    expect(
      (await fetch(`${api.url}/auth`, { headers: { Authorization: "Bearer nope" } })).status,
    ).toBe(401);
  });

  it("answers the internal port as admin", async () => {
    const api = await track(startFrigateApi({ internalPort: 5000 }));
    const response = await fetch(`${api.url}/auth`, { headers: { "X-Server-Port": "5000" } });

    expect(response.status).toBe(202);
    expect(response.headers.get("remote-user")).toBe("anonymous");
    expect(response.headers.get("remote-role")).toBe("admin");
  });

  it("rejects /profile for anonymous", async () => {
    const api = await track(startFrigateApi());

    expect(
      (await fetch(`${api.url}/profile`, { headers: { "Remote-User": "anonymous" } })).status,
    ).toBe(401);
    expect((await fetch(`${api.url}/profile`)).status).toBe(401);
  });

  it("echoes and records a request body", async () => {
    const api = await track(startFrigateApi());
    const body = Buffer.alloc(1024, 7);
    const response = await fetch(`${api.url}/config?x=1`, { method: "POST", body });
    const echo = (await response.json()) as {
      path: string;
      bodyLength: number;
      bodySha256: string;
    };
    const checksum = createHash("sha256").update(body).digest("hex");

    expect(response.headers.get("content-type")).toBe("application/json");
    expect(echo.path).toBe("/config?x=1");
    expect(echo.bodyLength).toBe(1024);
    expect(echo.bodySha256).toBe(checksum);
    expect(api.requests[0]?.bodySha256).toBe(checksum);
  });

  it("refuses connections after stop", async () => {
    const api = await startFrigateApi();
    await api.stop();

    expect(await refuses(api.port)).toBe(true);
  });
});

describe("oauth2-proxy stand-in", () => {
  it("returns the X-Auth-Request headers", async () => {
    const proxy = await track(startOAuth2Proxy({ sessions }));
    const response = await fetch(`${proxy.url}/oauth2/auth`, {
      headers: { Cookie: "_oauth2_proxy=s1" },
    });

    expect(response.status).toBe(202);
    expect(response.headers.get("x-auth-request-user")).toBe("uuid-1");
    expect(response.headers.get("x-auth-request-preferred-username")).toBe("alice");
    expect(response.headers.get("x-auth-request-email")).toBe("alice@example.com");
    expect(response.headers.get("x-auth-request-groups")).toBe("admins,Frigate Users");
  });

  it("answers 401 without a session", async () => {
    const proxy = await track(startOAuth2Proxy({ sessions }));

    expect((await fetch(`${proxy.url}/oauth2/auth`)).status).toBe(401);
  });

  it("answers 403 outside allowed groups", async () => {
    const proxy = await track(startOAuth2Proxy({ sessions, allowedGroups: ["nvr"] }));
    const response = await fetch(`${proxy.url}/oauth2/auth`, {
      headers: { Cookie: "_oauth2_proxy=s1" },
    });

    expect(response.status).toBe(403);
  });

  it("waits for a slow answer", async () => {
    const proxy = await track(startOAuth2Proxy({ sessions, delayMs: 300 }));
    const started = performance.now();
    await fetch(`${proxy.url}/oauth2/auth`);

    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("Authelia stand-in", () => {
  it("redirects through the portal's Location", async () => {
    const authelia = await track(
      startAuthelia({ sessions, portalUrl: "https://auth.example.com" }),
    );
    const response = await fetch(`${authelia.url}/api/authz/auth-request`, {
      headers: {
        "X-Original-URL": "https://nvr.example.com/api/stats?a=1",
        "X-Original-Method": "GET",
      },
    });

    expect(response.status).toBe(401);
    expect(response.headers.get("location")).toBe(
      "https://auth.example.com/?rd=https%3A%2F%2Fnvr.example.com%2Fapi%2Fstats%3Fa%3D1&rm=GET",
    );
  });

  it("returns Remote-* headers for a session", async () => {
    const authelia = await track(startAuthelia({ sessions }));
    const response = await fetch(`${authelia.url}/api/authz/auth-request`, {
      headers: {
        Cookie: "authelia_session=s1",
        "X-Original-URL": "https://x/",
        "X-Original-Method": "GET",
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get("remote-user")).toBe("alice");
    expect(response.headers.get("remote-groups")).toBe("admins,Frigate Users");
    expect(response.headers.get("remote-name")).toBe("Alice");
  });

  it("rejects a request without X-Original-URL", async () => {
    const authelia = await track(startAuthelia({ sessions }));

    expect((await fetch(`${authelia.url}/api/authz/auth-request`)).status).toBe(400);
  });
});

describe("authentik stand-in", () => {
  it("joins groups with a pipe", async () => {
    const authentik = await track(startAuthentik({ sessions }));
    const response = await fetch(`${authentik.url}/outpost.goauthentik.io/auth/nginx`, {
      headers: { Cookie: "other=1; authentik_proxy_abcd=s1" },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get("x-authentik-username")).toBe("alice");
    expect(response.headers.get("x-authentik-groups")).toBe("admins|Frigate Users");
    expect(response.headers.get("x-authentik-uid")).toBe("uuid-1");
  });
});

describe("websocket echo stand-in", () => {
  it("sends the upgrade request first", async () => {
    const echo = await track(startWebsocketEcho("go2rtc"));
    const socket = new WebSocket(`ws://127.0.0.1:${echo.port}/api/ws?src=front`, {
      headers: { "Remote-User": "alice" },
    });
    const first = await new Promise<string>((resolve, reject) => {
      socket.once("message", (data) => resolve(String(data)));
      socket.once("error", reject);
    });
    const echoed = JSON.parse(first) as { path: string; headers: [string, string][] };

    expect(echoed.path).toBe("/api/ws?src=front");
    expect(echoed.headers).toContainEqual(["Remote-User", "alice"]);

    socket.send("ping");
    const second = await new Promise<string>((resolve) =>
      socket.once("message", (data) => resolve(String(data))),
    );
    expect(second).toBe("ping");
    socket.close();
  });
});
