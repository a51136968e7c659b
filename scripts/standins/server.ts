/**
 * The HTTP server under every stand-in: listens on 127.0.0.1, records each
 * request (raw headers with duplicates, the body's length and SHA-256), reads
 * the whole body before the stand-in responds, and closes every socket on
 * stop(), upgraded websockets included.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";

import { ConfigError } from "../lib/errors.ts";
import { log } from "../lib/log.ts";

/** One request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** The request target: path and query, as sent. */
  path: string;
  /** Header name/value pairs in arrival order; duplicates are kept and names keep their case. */
  headers: [string, string][];
  /** The first Content-Length header received, or undefined when there was none. */
  contentLength: string | undefined;
  bodyLength: number;
  /** Hex SHA-256 of the body bytes received so far. */
  bodySha256: string;
  /** False while the body is still arriving, or when the client went away before its end. */
  bodyComplete: boolean;
  /** True for a websocket (or other) upgrade request. */
  upgrade: boolean;
}

/** A recorded request plus the body and header lookups a handler needs. */
export interface StandInRequest extends RecordedRequest {
  body: Buffer;
  /** The request target parsed against the stand-in's own origin. */
  url: URL;
  /** Returns the first value of a header (case-insensitive), as Go's Header.Get and Starlette do. */
  header(name: string): string | undefined;
  /** Returns every value of a header (case-insensitive) in arrival order. */
  headerValues(name: string): string[];
}

/** Fault injection settings: delayed responses and failing responses. */
export interface Fault {
  /** Milliseconds to wait after the body has arrived and before responding. */
  delayMs?: number;
  /** Respond to every HTTP request with 500. */
  fail?: boolean;
}

export interface StandInHandle {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests in arrival order; reset() empties it. */
  readonly requests: RecordedRequest[];
  reset(): void;
  /** Replaces the fault settings for requests that arrive from now on. */
  setFault(fault: Fault): void;
  /** Closes the listener and every open socket; resolves when the listener is closed. */
  stop(): Promise<void>;
}

export type RequestHandler = (
  request: StandInRequest,
  response: http.ServerResponse,
) => void | Promise<void>;

export type UpgradeHandler = (
  request: StandInRequest,
  incoming: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
) => void;

export interface StandInServerOptions {
  name: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  fault?: Fault;
  handleRequest: RequestHandler;
  /** Without it, upgrade requests get 400 and their sockets are closed. */
  handleUpgrade?: UpgradeHandler;
  /** Runs first in stop(), to close what the stand-in owns (a websocket server). */
  onStop?: () => void;
}

const host = "127.0.0.1";
const emptySha256 = createHash("sha256").digest("hex");

/** Starts a stand-in server and resolves once it listens. */
export async function startStandIn(options: StandInServerOptions): Promise<StandInHandle> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fault: Fault = { ...options.fault };
  let stopping: Promise<void> | undefined;

  const server = http.createServer();
  let origin = `http://${host}`;

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  server.on("request", (incoming: http.IncomingMessage, response: http.ServerResponse) => {
    const request = recordRequest(incoming, origin, false);
    requests.push(request.record);
    const currentFault = fault;

    incoming.on("data", (chunk: Buffer) => request.append(chunk));
    incoming.on("error", () => {
      // The client went away mid-body; the record keeps bodyComplete false.
    });
    incoming.on("end", () => {
      request.finish();
      const answer = () => {
        void respond(options, request.view, response, currentFault);
      };
      const delayMs = currentFault.delayMs ?? 0;
      if (delayMs <= 0) {
        answer();
        return;
      }

      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, delayMs);
      timers.add(timer);
    });
  });

  server.on("upgrade", (incoming: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const request = recordRequest(incoming, origin, true);
    request.finish();
    requests.push(request.record);

    if (!options.handleUpgrade) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }

    options.handleUpgrade(request.view, incoming, socket, head);
  });

  const port = await listen(server, options.name, options.port ?? 0);
  origin = `http://${host}:${port}`;

  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      options.onStop?.();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
    return stopping;
  };

  return {
    name: options.name,
    port,
    url: origin,
    requests,
    reset: () => {
      requests.length = 0;
    },
    setFault: (next) => {
      fault = { ...next };
    },
    stop,
  };
}

async function respond(
  options: StandInServerOptions,
  request: StandInRequest,
  response: http.ServerResponse,
  fault: Fault,
): Promise<void> {
  if (response.destroyed) return;

  if (fault.fail) {
    sendText(response, 500, "stand-in failure mode: every request answers 500\n");
    return;
  }

  try {
    await options.handleRequest(request, response);
  } catch (error) {
    log.error(`stand-in ${options.name}: handler for ${request.method} ${request.path} failed`);
    log.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (!response.headersSent) sendText(response, 500, "stand-in handler error\n");
    else response.destroy();
  }
}

function recordRequest(incoming: http.IncomingMessage, origin: string, upgrade: boolean) {
  const headers = pairHeaders(incoming.rawHeaders);
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
  const path = incoming.url ?? "/";

  const valuesOf = (name: string): string[] => {
    const wanted = name.toLowerCase();
    return headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
  };

  const record: RecordedRequest = {
    method: incoming.method ?? "GET",
    path,
    headers,
    contentLength: valuesOf("content-length")[0],
    bodyLength: 0,
    bodySha256: emptySha256,
    bodyComplete: false,
    upgrade,
  };

  const view: StandInRequest = {
    ...record,
    body: Buffer.alloc(0),
    url: new URL(path, origin),
    header: (name) => valuesOf(name)[0],
    headerValues: valuesOf,
  };

  return {
    record,
    view,
    append(chunk: Buffer) {
      chunks.push(chunk);
      hash.update(chunk);
      record.bodyLength += chunk.length;
    },
    finish() {
      view.body = Buffer.concat(chunks);
      record.bodySha256 = hash.digest("hex");
      record.bodyComplete = true;
      view.bodyLength = record.bodyLength;
      view.bodySha256 = record.bodySha256;
      view.bodyComplete = true;
    },
  };
}

function pairHeaders(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index]!, rawHeaders[index + 1]!]);
  }
  return pairs;
}

function listen(server: http.Server, name: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new ConfigError(
          `stand-in ${name} cannot listen on ${host}:${port}: ${error.code ?? error.message}`,
          {
            hint: "pass port 0 to let the system pick a free port",
            cause: error,
          },
        ),
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Sends a complete text response with a Content-Length. */
export function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
  contentType = "text/plain; charset=utf-8",
): void {
  const body = Buffer.from(text, "utf8");
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": String(body.length),
    ...headers,
  });
  response.end(body);
}

/** Sends a response with no body (Content-Length: 0). */
export function sendEmpty(
  response: http.ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-length": "0", ...headers });
  response.end();
}

/** Escapes text for an HTML attribute or element, as Go's html.EscapeString does. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("'", "&#39;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&#34;");
}
