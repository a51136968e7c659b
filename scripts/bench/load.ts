/**
 * A small closed-loop HTTP load generator: a fixed number of keep-alive
 * connections, each sending the next request as soon as the previous
 * response arrived, for a fixed time.
 */
import http from "node:http";
import https from "node:https";

export interface LoadOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  nonSuccess: number;
  seconds: number;
  requestsPerSecond: number;
  /** Median and 99th percentile latency in milliseconds. */
  p50: number;
  p99: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

export async function generateLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: options.connections,
    rejectUnauthorized: false,
  });
  const latencies: number[] = [];
  let errors = 0;
  let nonSuccess = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const once = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const request = https.request(
        {
          host: "127.0.0.1",
          port: options.port,
          path: options.path,
          agent,
          headers: { Host: "frigate.example.com", ...options.headers },
        },
        (response: http.IncomingMessage) => {
          response.resume();
          response.on("end", () => {
            latencies.push(performance.now() - sent);
            if ((response.statusCode ?? 0) >= 300) nonSuccess += 1;
            resolve();
          });
        },
      );
      request.on("error", () => {
        errors += 1;
        resolve();
      });
      request.end();
    });

  const worker = async () => {
    while (performance.now() < deadline) await once();
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();

  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    nonSuccess,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  };
}
