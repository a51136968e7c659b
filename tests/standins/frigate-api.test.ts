import { afterEach, describe, expect, it } from "vitest";

import { startFrigateApi } from "../../scripts/standins/frigate-api.ts";
import type { FrigateApiHandle, FrigateApiOptions } from "../../scripts/standins/frigate-api.ts";
import { headerOf, isPortClosed, makeKilobyteBody, sendRequest, sha256Hex } from "./helpers.ts";

let handle: FrigateApiHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

async function start(options: FrigateApiOptions = {}): Promise<FrigateApiHandle> {
  handle = await startFrigateApi(options);
  return handle;
}

const sessions = {
  "token-admin": { user: "alice", role: "admin" },
  "token-viewer": { user: "bob", role: "viewer" },
};

describe("Frigate API echo", () => {
  it("echoes method, path and headers", async () => {
    const api = await start();

    const response = await sendRequest(`${api.url}/events/x/snapshot.jpg?h=100`, {
      headers: [
        ["Remote-User", "alice"],
        ["remote-user", "mallory"],
      ],
    });

    expect(response.status).toBe(200);
    expect(headerOf(response, "content-type")).toBe("application/json");
    const echo = JSON.parse(response.body);
    expect(echo.standIn).toBe("frigate-api");
    expect(echo.method).toBe("GET");
    expect(echo.path).toBe("/events/x/snapshot.jpg?h=100");
    expect(echo.headers).toContainEqual(["Remote-User", "alice"]);
    expect(echo.headers).toContainEqual(["remote-user", "mallory"]);
  });

  it("echoes POST body length and checksum", async () => {
    const api = await start();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${api.url}/login`, {
      method: "POST",
      headers: [["Content-Length", "1024"]],
      body,
    });

    const echo = JSON.parse(response.body);
    expect(echo.bodyLength).toBe(1024);
    expect(echo.bodySha256).toBe(sha256Hex(body));
    expect(api.requests[0]?.bodySha256).toBe(sha256Hex(body));
  });

  it("refuses connections after stop", async () => {
    const api = await start();

    await api.stop();

    expect(await isPortClosed(api.port)).toBe(true);
  });
});

describe("Frigate /auth with auth enabled", () => {
  const cases: {
    name: string;
    headers: [string, string][];
    status: number;
    user?: string;
    role?: string;
  }[] = [
    {
      name: "cookie token",
      headers: [["Cookie", "a=b; frigate_token=token-admin"]],
      status: 202,
      user: "alice",
      role: "admin",
    },
    {
      name: "bearer token",
      headers: [["Authorization", "Bearer token-viewer"]],
      status: 202,
      user: "bob",
      role: "viewer",
    },
    {
      name: "bearer before cookie",
      headers: [
        ["Authorization", "Bearer token-viewer"],
        ["Cookie", "frigate_token=token-admin"],
      ],
      status: 202,
      user: "bob",
      role: "viewer",
    },
    { name: "unknown token", headers: [["Cookie", "frigate_token=forged"]], status: 401 },
    { name: "no token", headers: [], status: 401 },
    {
      name: "ignored proxy headers",
      headers: [
        ["Remote-User", "alice"],
        ["Remote-Role", "admin"],
      ],
      status: 401,
    },
    {
      name: "internal port",
      headers: [["X-Server-Port", "5000"]],
      status: 202,
      user: "anonymous",
      role: "admin",
    },
    { name: "external port", headers: [["X-Server-Port", "8971"]], status: 401 },
  ];

  for (const testCase of cases) {
    it(`answers ${testCase.status} for ${testCase.name}`, async () => {
      const api = await start({ sessions });

      const response = await sendRequest(`${api.url}/auth`, { headers: testCase.headers });

      expect(response.status).toBe(testCase.status);
      expect(headerOf(response, "remote-user")).toBe(testCase.user);
      expect(headerOf(response, "remote-role")).toBe(testCase.role);
      if (testCase.status === 401) expect(headerOf(response, "location")).toBe("/login");
    });
  }

  it("uses the configured internal port", async () => {
    const api = await start({ sessions, config: { networking: { listen: { internal: 5055 } } } });

    const internal = await sendRequest(`${api.url}/auth`, { headers: [["X-Server-Port", "5055"]] });
    const formerDefault = await sendRequest(`${api.url}/auth`, {
      headers: [["X-Server-Port", "5000"]],
    });

    expect(internal.status).toBe(202);
    expect(formerDefault.status).toBe(401);
  });

  it("fails on a non-integer server port", async () => {
    const api = await start({ sessions });

    const response = await sendRequest(`${api.url}/auth`, { headers: [["X-Server-Port", "abc"]] });

    expect(response.status).toBe(500);
  });

  it("checks the proxy secret with auth enabled", async () => {
    const api = await start({ sessions, config: { proxy: { auth_secret: "s3cret" } } });
    const cookie: [string, string] = ["Cookie", "frigate_token=token-admin"];

    const without = await sendRequest(`${api.url}/auth`, { headers: [cookie] });
    const withSecret = await sendRequest(`${api.url}/auth`, {
      headers: [cookie, ["X-Proxy-Secret", "s3cret"]],
    });

    expect(without.status).toBe(401);
    expect(withSecret.status).toBe(202);
  });

  it("rejects POST with 405", async () => {
    const api = await start({ sessions });

    const response = await sendRequest(`${api.url}/auth`, { method: "POST" });

    expect(response.status).toBe(405);
  });
});

describe("Frigate /auth in proxy mode", () => {
  const base = { auth: { enabled: false, roles: ["operator"] } };
  const cases: {
    name: string;
    config: FrigateApiOptions["config"];
    headers: [string, string][];
    status: number;
    user?: string;
    role?: string;
  }[] = [
    {
      name: "maps the user header",
      config: { ...base, proxy: { header_map: { user: "x-forwarded-user" } } },
      headers: [["X-Forwarded-User", "carol"]],
      status: 202,
      user: "carol",
      role: "viewer",
    },
    {
      name: "defaults a missing user to viewer",
      config: { ...base, proxy: { header_map: { user: "x-forwarded-user" } } },
      headers: [],
      status: 202,
      user: "viewer",
      role: "viewer",
    },
    {
      name: "reads role names directly",
      config: { ...base, proxy: { header_map: { user: "remote-user", role: "remote-groups" } } },
      headers: [
        ["Remote-User", "carol"],
        ["Remote-Groups", "staff, Admin"],
      ],
      status: 202,
      user: "carol",
      role: "admin",
    },
    {
      name: "maps groups through role_map",
      config: {
        ...base,
        proxy: {
          separator: "|",
          header_map: {
            user: "x-authentik-username",
            role: "x-authentik-groups",
            role_map: { operator: ["cctv"], admin: ["root"] },
          },
        },
      },
      headers: [
        ["X-authentik-username", "dave"],
        ["X-authentik-groups", "users|cctv"],
      ],
      status: 202,
      user: "dave",
      role: "operator",
    },
    {
      name: "prefers admin in role_map",
      config: {
        ...base,
        proxy: {
          header_map: {
            user: "remote-user",
            role: "remote-groups",
            role_map: { operator: ["cctv"], admin: ["root"] },
          },
        },
      },
      headers: [
        ["Remote-User", "erin"],
        ["Remote-Groups", "cctv,root"],
      ],
      status: 202,
      user: "erin",
      role: "admin",
    },
    {
      name: "falls back to default_role",
      config: {
        ...base,
        proxy: {
          default_role: "operator",
          header_map: { user: "remote-user", role: "remote-groups", role_map: { admin: ["root"] } },
        },
      },
      headers: [
        ["Remote-User", "frank"],
        ["Remote-Groups", "users"],
      ],
      status: 202,
      user: "frank",
      role: "operator",
    },
    {
      name: "ignores an unknown default_role",
      config: {
        ...base,
        proxy: { default_role: "superuser", header_map: { user: "remote-user" } },
      },
      headers: [["Remote-User", "gina"]],
      status: 202,
      user: "gina",
      role: "viewer",
    },
    {
      name: "rejects a wrong proxy secret",
      config: { ...base, proxy: { auth_secret: "s3cret", header_map: { user: "remote-user" } } },
      headers: [
        ["Remote-User", "mallory"],
        ["X-Proxy-Secret", "guess"],
      ],
      status: 401,
    },
    {
      name: "accepts the right proxy secret",
      config: { ...base, proxy: { auth_secret: "s3cret", header_map: { user: "remote-user" } } },
      headers: [
        ["Remote-User", "hank"],
        ["X-Proxy-Secret", "s3cret"],
      ],
      status: 202,
      user: "hank",
      role: "viewer",
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const api = await start({ config: testCase.config });

      const response = await sendRequest(`${api.url}/auth`, { headers: testCase.headers });

      expect(response.status).toBe(testCase.status);
      expect(headerOf(response, "remote-user")).toBe(testCase.user);
      expect(headerOf(response, "remote-role")).toBe(testCase.role);
    });
  }
});

describe("Frigate /profile", () => {
  const cases: {
    name: string;
    version?: "0.17" | "0.18";
    headers: [string, string][];
    status: number;
    username?: string;
    role?: string;
  }[] = [
    {
      name: "returns the user and role",
      headers: [
        ["Remote-User", "alice"],
        ["Remote-Role", "admin"],
      ],
      status: 200,
      username: "alice",
      role: "admin",
    },
    { name: "rejects a missing user", headers: [["Remote-Role", "admin"]], status: 401 },
    {
      name: "rejects an empty user",
      headers: [
        ["Remote-User", ""],
        ["Remote-Role", "viewer"],
      ],
      status: 401,
    },
    {
      name: "rejects anonymous viewers",
      headers: [
        ["Remote-User", "anonymous"],
        ["Remote-Role", "viewer"],
      ],
      status: 401,
    },
    {
      name: "accepts anonymous admin",
      headers: [
        ["Remote-User", "anonymous"],
        ["Remote-Role", "admin"],
      ],
      status: 200,
      username: "anonymous",
      role: "admin",
    },
    {
      name: "accepts anonymous viewers in 0.17",
      version: "0.17",
      headers: [
        ["Remote-User", "anonymous"],
        ["Remote-Role", "viewer"],
      ],
      status: 200,
      username: "anonymous",
      role: "viewer",
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const api = await start({ frigateVersion: testCase.version, cameras: ["front"] });

      const response = await sendRequest(`${api.url}/profile`, { headers: testCase.headers });

      expect(response.status).toBe(testCase.status);
      const body = JSON.parse(response.body);
      expect(body.path).toBe("/profile");
      expect(body.username).toBe(testCase.username);
      expect(body.role).toBe(testCase.role);
      if (testCase.status === 200) expect(body.allowed_cameras).toEqual(["front"]);
    });
  }
});
