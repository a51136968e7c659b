import net from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { sendText, startStandIn } from "../../scripts/standins/server.ts";
import type { StandInHandle } from "../../scripts/standins/server.ts";
import { headerOf, isPortClosed, makeKilobyteBody, sendRequest, sha256Hex } from "./helpers.ts";

let handle: StandInHandle | undefined;

afterEach(async () => {
  await handle?.stop();
  handle = undefined;
});

function startPlain(options: { delayMs?: number; fail?: boolean } = {}) {
  return startStandIn({
    name: "plain",
    fault: options,
    handleRequest: (request, response) => sendText(response, 200, `ok ${request.bodyLength}`),
  });
}

describe("startStandIn", () => {
  it("listens on loopback with a free port", async () => {
    handle = await startPlain();

    expect(handle.port).toBeGreaterThan(0);
    expect(handle.url).toBe(`http://127.0.0.1:${handle.port}`);
  });

  it("records duplicate headers in order", async () => {
    handle = await startPlain();

    await sendRequest(`${handle.url}/x?y=1`, {
      headers: [
        ["X-Dup", "first"],
        ["x-dup", "second"],
      ],
    });

    const [recorded] = handle.requests;
    expect(recorded?.path).toBe("/x?y=1");
    expect(recorded?.headers).toContainEqual(["X-Dup", "first"]);
    expect(recorded?.headers).toContainEqual(["x-dup", "second"]);
    const names = recorded?.headers.map(([name]) => name) ?? [];
    expect(names.indexOf("X-Dup")).toBeLessThan(names.indexOf("x-dup"));
  });

  it("records POST body length and checksum", async () => {
    handle = await startPlain();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${handle.url}/upload`, {
      method: "POST",
      headers: [["Content-Length", "1024"]],
      body,
    });

    expect(response.body).toBe("ok 1024");
    const [recorded] = handle.requests;
    expect(recorded?.method).toBe("POST");
    expect(recorded?.contentLength).toBe("1024");
    expect(recorded?.bodyLength).toBe(1024);
    expect(recorded?.bodySha256).toBe(sha256Hex(body));
    expect(recorded?.bodyComplete).toBe(true);
  });

  it("reads a chunked body fully", async () => {
    handle = await startPlain();
    const body = makeKilobyteBody();

    const response = await sendRequest(`${handle.url}/chunked`, {
      method: "POST",
      headers: [["Transfer-Encoding", "chunked"]],
      body,
    });

    expect(response.body).toBe("ok 1024");
    expect(handle.requests[0]?.contentLength).toBeUndefined();
    expect(handle.requests[0]?.bodySha256).toBe(sha256Hex(body));
  });

  it("waits for an announced body before answering", async () => {
    handle = await startPlain();
    const socket = net.connect(handle.port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => socket.once("connect", resolve));

    socket.write("POST /auth HTTP/1.1\r\nHost: test\r\nContent-Length: 1024\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(received).toHaveLength(0);
    expect(handle.requests[0]?.bodyComplete).toBe(false);
    socket.write(makeKilobyteBody());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Buffer.concat(received).toString()).toContain("200 OK");
    socket.destroy();
  });

  it("empties the record on reset", async () => {
    handle = await startPlain();
    await sendRequest(`${handle.url}/`);

    handle.reset();

    expect(handle.requests).toHaveLength(0);
  });

  it("answers 500 in failure mode", async () => {
    handle = await startPlain({ fail: true });

    const response = await sendRequest(`${handle.url}/`);

    expect(response.status).toBe(500);
  });

  it("delays answers in slow mode", async () => {
    handle = await startPlain({ delayMs: 400 });
    const started = Date.now();

    const response = await sendRequest(`${handle.url}/`);

    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("switches fault mode with setFault", async () => {
    handle = await startPlain();

    handle.setFault({ fail: true });
    const failed = await sendRequest(`${handle.url}/`);
    handle.setFault({});
    const passed = await sendRequest(`${handle.url}/`);

    expect(failed.status).toBe(500);
    expect(passed.status).toBe(200);
  });

  it("stops promptly with a pending slow answer", async () => {
    handle = await startPlain({ delayMs: 30_000 });
    const pending = sendRequest(`${handle.url}/`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();

    await handle.stop();

    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    expect(await isPortClosed(handle.port)).toBe(true);
  });

  it("closes idle keep-alive sockets on stop", async () => {
    handle = await startPlain();
    const socket = net.connect(handle.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    await new Promise((resolve) => socket.once("data", resolve));
    const closed = new Promise((resolve) => socket.once("close", resolve));

    await handle.stop();

    await closed;
    expect(socket.destroyed).toBe(true);
    expect(await isPortClosed(handle.port)).toBe(true);
  });

  it("rejects upgrades without a handler", async () => {
    handle = await startPlain();

    const response = await sendRequest(`${handle.url}/ws`, {
      headers: [
        ["Connection", "Upgrade"],
        ["Upgrade", "websocket"],
      ],
    });

    expect(response.status).toBe(400);
    expect(headerOf(response, "connection")).toBe("close");
  });
});
