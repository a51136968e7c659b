import { describe, expect, it } from "vitest";

import { backends, startStandIns, stopAll } from "../../scripts/standins/index.ts";
import type { Backend } from "../../scripts/standins/index.ts";
import { isPortClosed, sendRequest } from "./helpers.ts";

const authNames: Record<Backend, string | undefined> = {
  frigate: undefined,
  "oauth2-proxy": "oauth2-proxy",
  authelia: "authelia",
  authentik: "authentik",
};

describe("startStandIns", () => {
  for (const backend of backends) {
    it(`starts the ${backend} set`, async () => {
      const set = await startStandIns(backend, { sessions: {} });

      try {
        expect(set.frigateApi.name).toBe("frigate-api");
        expect(set.go2rtc.name).toBe("go2rtc");
        expect(set.mqttWebSocket.name).toBe("mqtt-ws");
        expect(set.jsmpeg.name).toBe("jsmpeg");
        expect(set.auth?.name).toBe(authNames[backend]);
        expect(new Set(set.all.map((handle) => handle.port)).size).toBe(set.all.length);
        const response = await sendRequest(`${set.go2rtc.url}/api/streams`);
        expect(JSON.parse(response.body).standIn).toBe("go2rtc");
      } finally {
        await stopAll(set);
      }

      for (const handle of set.all) expect(await isPortClosed(handle.port)).toBe(true);
    });
  }

  it("rejects an unknown backend", async () => {
    await expect(startStandIns("keycloak" as Backend)).rejects.toThrow(
      /unknown backend "keycloak"/,
    );
  });

  it("rejects a busy auth port", async () => {
    const first = await startStandIns("frigate");
    const busyPort = first.frigateApi.port;

    try {
      await expect(startStandIns("authelia", { ports: { auth: busyPort } })).rejects.toThrow(
        /cannot listen on 127\.0\.0\.1/,
      );
    } finally {
      await stopAll(first);
    }
  });
});
