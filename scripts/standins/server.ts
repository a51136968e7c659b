/**
 * The common part of every stand-in: an HTTP server on 127.0.0.1 that reads
 * each request body completely, records the request, and closes every socket
 * when stopped.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import type { RecordedRequest } from "../verify/matrix.ts";
import { log } from "../lib/log.ts";

export type { RecordedRequest };

export interface IncomingRequest {
  request: http.IncomingMessage;
  recorded: RecordedRequest;
  body: Buffer;
}

export type Handler = (
  incoming: IncomingRequest,
  response: http.ServerResponse,
) => void | Promise<void>;

export interface StandInOptions {
  name: string;
  port?: number;
  handler: Handler;
  /** Handles websocket upgrades; without it an upgrade gets 400. */
  onUpgrade?: (
    request: http.IncomingMessage,
    socket: Socket,
    head: Buffer,
    recorded: RecordedRequest,
  ) => void;
  /** Delay before each response, in milliseconds (slow mode). */
  delayMs?: number;
}

export interface StandIn {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly requests: RecordedRequest[];
  delayMs: number;
  reset(): void;
  stop(): Promise<void>;
}

function pairs(rawHeaders: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    result.push([rawHeaders[index]!, rawHeaders[index + 1]!]);
  }
  return result;
}

/** Records a request whose body has been read. */
export function recordRequest(request: http.IncomingMessage, body: Buffer): RecordedRequest {
  return {
    method: request.method ?? "GET",
    path: request.url ?? "/",
    headers: pairs(request.rawHeaders),
    bodyLength: body.length,
    bodySha256: createHash("sha256").update(body).digest("hex"),
  };
}

/** Starts a stand-in server; resolves once it is listening. */
export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let delayMs = options.delayMs ?? 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const recorded = recordRequest(request, body);
      requests.push(recorded);

      const answer = () => {
        Promise.resolve(options.handler({ request, recorded, body }, response)).catch(
          (error: unknown) => {
            log.error(
              `${options.name} stand-in failed on ${recorded.method} ${recorded.path}: ${String(error)}`,
            );
            if (!response.headersSent) response.writeHead(500);
            response.end();
          },
        );
      };

      if (delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  server.on("upgrade", (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const recorded = recordRequest(request, Buffer.alloc(0));
    requests.push(recorded);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));

    if (options.onUpgrade === undefined) {
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    options.onUpgrade(request, socket, head, recorded);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    name: options.name,
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    get delayMs() {
      return delayMs;
    },
    set delayMs(value: number) {
      delayMs = value;
    },
    reset() {
      requests.length = 0;
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a JSON body with the status and extra headers given. */
export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** The JSON echo that every upstream stand-in sends as its response body. */
export function echoOf(recorded: RecordedRequest): Record<string, unknown> {
  return {
    method: recorded.method,
    path: recorded.path,
    headers: recorded.headers,
    bodyLength: recorded.bodyLength,
    bodySha256: recorded.bodySha256,
  };
}

/** Returns the values of a request header, case-insensitively, duplicates kept. */
export function headerValues(recorded: RecordedRequest, name: string): string[] {
  const lower = name.toLowerCase();
  return recorded.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

/** Returns the value of one cookie in the request's Cookie headers. */
export function cookieValue(recorded: RecordedRequest, name: string): string | undefined {
  for (const header of headerValues(recorded, "cookie")) {
    for (const part of header.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return rest.join("=");
    }
  }
  return undefined;
}
