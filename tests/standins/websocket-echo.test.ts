import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { startWebSocketEcho } from "../../scripts/standins/websocket-echo.ts";
import type { WebSocketEchoHandle } from "../../scripts/standins/websocket-echo.ts";
import { headerOf, isPortClosed, sendRequest } from "./helpers.ts";

let handle: WebSocketEchoHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

function nextMessage(socket: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    socket.once("message", (data, isBinary) => resolve({ data: data as Buffer, isBinary }));
    socket.once("error", reject);
  });
}

async function connect(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const first = nextMessage(socket);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return { socket, first: await first };
}

describe("websocket echo", () => {
  it("echoes plain HTTP requests as JSON", async () => {
    handle = await startWebSocketEcho({ name: "go2rtc" });

    const response = await sendRequest(`${handle.url}/api/streams?src=front`);

    expect(response.status).toBe(200);
    expect(headerOf(response, "content-type")).toBe("application/json");
    const echo = JSON.parse(response.body);
    expect(echo.standIn).toBe("go2rtc");
    expect(echo.path).toBe("/api/streams?src=front");
  });

  it("sends the upgrade request first", async () => {
    handle = await startWebSocketEcho({ name: "mqtt-ws" });

    const { socket, first } = await connect(`ws://127.0.0.1:${handle.port}/ws?x=1`, {
      "Remote-User": "alice",
    });

    expect(first.isBinary).toBe(false);
    const echo = JSON.parse(first.data.toString("utf8"));
    expect(echo.standIn).toBe("mqtt-ws");
    expect(echo.path).toBe("/ws?x=1");
    expect(echo.headers).toContainEqual(["Remote-User", "alice"]);
    expect(handle.requests[0]?.upgrade).toBe(true);
    socket.close();
  });

  it("echoes text and binary messages", async () => {
    handle = await startWebSocketEcho({ name: "jsmpeg" });
    const { socket } = await connect(`ws://127.0.0.1:${handle.port}/live/jsmpeg/front`);

    const textReply = nextMessage(socket);
    socket.send("hello");
    const text = await textReply;
    const binaryReply = nextMessage(socket);
    socket.send(Buffer.from([0, 1, 2, 255]));
    const binary = await binaryReply;

    expect(text.isBinary).toBe(false);
    expect(text.data.toString("utf8")).toBe("hello");
    expect(binary.isBinary).toBe(true);
    expect([...binary.data]).toEqual([0, 1, 2, 255]);
    socket.close();
  });

  it("closes open websockets on stop", async () => {
    handle = await startWebSocketEcho();
    const { socket } = await connect(`ws://127.0.0.1:${handle.port}/`);
    expect(handle.openSockets()).toBe(1);
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const started = Date.now();

    await handle.stop();
    await closed;

    expect(Date.now() - started).toBeLessThan(1000);
    expect(await isPortClosed(handle.port)).toBe(true);
  });
});
