/**
 * A small HTTP client for probing nginx on loopback: no redirects followed,
 * raw headers kept, websocket upgrades returned with their status, and a hard
 * timeout on every request so a hanging location fails instead of blocking.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";

export interface ProbeRequest {
  port: number;
  path: string;
  method?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** Speak TLS; the test certificate is self-signed, so it is not verified. */
  tls?: boolean;
}

export interface ProbeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  milliseconds: number;
}

export class ProbeTimeoutError extends Error {
  constructor(request: ProbeRequest) {
    super(`${request.method ?? "GET"} ${request.path} timed out after ${request.timeoutMs} ms`);
    this.name = "ProbeTimeoutError";
  }
}

/** Reads a whole response body; `started` is when the request was sent. */
function collectResponse(response: http.IncomingMessage, started: number): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (chunk: Buffer) => chunks.push(chunk));
    response.on("end", () =>
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks),
        milliseconds: performance.now() - started,
      }),
    );
    response.on("error", reject);
  });
}

/** Sends one HTTP request to 127.0.0.1:port and collects the whole response. */
export function sendRequest(request: ProbeRequest): Promise<ProbeResponse> {
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      Host: request.host ?? "frigate.example.com",
      ...request.headers,
    };
    if (request.body !== undefined) headers["Content-Length"] = request.body.length;

    const outgoing = (request.tls ? https : http).request({
      host: "127.0.0.1",
      port: request.port,
      servername: request.tls ? "frigate.example.com" : undefined,
      rejectUnauthorized: false,
      method: request.method ?? "GET",
      path: request.path,
      headers,
      agent: false,
    });

    const timer = setTimeout(() => {
      outgoing.destroy(new ProbeTimeoutError(request));
    }, request.timeoutMs);

    outgoing.on("response", (response) => {
      collectResponse(response, started)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });

    outgoing.end(request.body);
  });
}

/**
 * Sends a websocket upgrade request. Resolves with 101 and the response
 * headers when the upgrade succeeds (the socket is closed right away), or with
 * the ordinary response otherwise.
 */
export function sendUpgrade(request: ProbeRequest): Promise<ProbeResponse> {
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const outgoing = (request.tls ? https : http).request({
      host: "127.0.0.1",
      port: request.port,
      servername: request.tls ? "frigate.example.com" : undefined,
      rejectUnauthorized: false,
      method: "GET",
      path: request.path,
      agent: false,
      headers: {
        Host: request.host ?? "frigate.example.com",
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        ...request.headers,
      },
    });

    const timer = setTimeout(() => {
      outgoing.destroy(new ProbeTimeoutError(request));
    }, request.timeoutMs);

    outgoing.on("upgrade", (response, socket: Socket) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.alloc(0),
        milliseconds: performance.now() - started,
      });
    });
    outgoing.on("response", (response) => {
      collectResponse(response, started)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });

    outgoing.end();
  });
}

/** Returns the single value of a response header, or undefined. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}
