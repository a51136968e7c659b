/**
 * The JSON echo that the Frigate API and websocket stand-ins send back, so a
 * test behind nginx can see which upstream responded and exactly what nginx
 * forwarded to it.
 */
import type http from "node:http";

import type { StandInRequest } from "./server.ts";

export interface RequestEcho {
  /** Name of the stand-in that responded. */
  standIn: string;
  method: string;
  /** Path and query as received, after any prefix nginx stripped. */
  path: string;
  /** Header name/value pairs in arrival order, duplicates kept. */
  headers: [string, string][];
  bodyLength: number;
  bodySha256: string;
}

export function describeRequest(standIn: string, request: StandInRequest): RequestEcho {
  return {
    standIn,
    method: request.method,
    path: request.path,
    headers: request.headers,
    bodyLength: request.bodyLength,
    bodySha256: request.bodySha256,
  };
}

/**
 * Sends `value` as JSON. The media type is `application/json` without a
 * charset, which is what Starlette's JSONResponse (used by Frigate's FastAPI
 * app) sends: Starlette appends a charset only to `text/*` types.
 */
export function sendJson(
  response: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(body.length),
    ...headers,
  });
  response.end(body);
}
