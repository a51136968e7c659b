/** Helpers shared by the stand-in tests: raw HTTP requests and port probes. */
import { createHash } from "node:crypto";
import http from "node:http";
import net from "node:net";

export interface RawResponse {
  status: number;
  /** Response header name/value pairs as received, duplicates kept. */
  headers: [string, string][];
  body: string;
}

/**
 * Sends one request with node:http so the test controls duplicate headers and
 * the exact Content-Length, which fetch does not allow.
 */
export function sendRequest(
  url: string,
  options: { method?: string; headers?: [string, string][]; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = options.headers ?? [];
    // Node adds no Host header when headers are given as a raw list.
    const hasHost = headers.some(([name]) => name.toLowerCase() === "host");
    const flatHeaders = [...(hasHost ? [] : [["Host", new URL(url).host]]), ...headers].flat();
    const request = http.request(url, {
      method: options.method ?? "GET",
      headers: flatHeaders,
      agent: false,
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const pairs: [string, string][] = [];
        for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) {
          pairs.push([response.rawHeaders[index]!, response.rawHeaders[index + 1]!]);
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: pairs,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    request.end(options.body);
  });
}

/** Returns the first value of a response header (case-insensitive). */
export function headerOf(response: RawResponse, name: string): string | undefined {
  return response.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/** Resolves true when a TCP connection to 127.0.0.1:port is refused. */
export function isPortClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Returns a 1 KiB body of varied bytes, so a truncated or reordered body changes the checksum. */
export function makeKilobyteBody(): Buffer {
  return Buffer.from(Array.from({ length: 1024 }, (_, index) => (index * 7 + 3) % 256));
}
