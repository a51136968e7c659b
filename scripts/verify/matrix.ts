/**
 * Runs the HTTP checks against a running nginx and judges each probe by what
 * the client received and what the stand-ins recorded.
 */
import { createHash, randomBytes } from "node:crypto";

import type { CaseCheck, CaseFile, IdentityExpectation, Mode, Probe } from "./cases.ts";
import { expandProbes } from "./cases.ts";
import { headerValue, sendRequest, sendUpgrade, type ProbeResponse } from "./http.ts";
import type { Scenario, ScenarioUser } from "./scenarios/index.ts";

/** A request as a stand-in recorded it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Header name and value pairs in arrival order, duplicates kept. */
  headers: [string, string][];
  bodyLength: number;
  bodySha256: string;
}

/** The part of a stand-in server the matrix reads. */
export interface RecordingServer {
  readonly requests: RecordedRequest[];
}

export type StandInRole = "frigate-api" | "go2rtc" | "mqtt-ws" | "jsmpeg";

export interface MatrixEnvironment {
  scenario: Scenario;
  mode: Mode;
  /** nginx's main listener on 127.0.0.1, speaking TLS. */
  port: number;
  /** nginx's internal listener (Frigate's 127.0.0.1:5000) on 127.0.0.1. */
  internalPort: number;
  clientMaxBodySize: number;
  authTimeoutSeconds: number;
  upstreams: Record<StandInRole, RecordingServer>;
  /** The forward-auth stand-in, or Frigate's API in Frigate mode, where it serves /auth. */
  authServer: RecordingServer;
  /** Request headers that carry a user's session at the auth server. */
  sessionHeaders(user: ScenarioUser): Record<string, string>;
  /** Delays the auth server's responses by `milliseconds` (0: none). */
  setAuthDelay(milliseconds: number): void;
  /** Stops the auth server for the rest of the run. */
  stopAuthServer(): Promise<void>;
}

export interface ProbeResult {
  checkId: string;
  title: string;
  path: string;
  label: string;
  method: string;
  status: number | "error";
  expectedStatus: number[];
  ok: boolean;
  failures: string[];
  /** Remote-User and Remote-Role as the upstream received them. */
  seenUser?: string;
  seenRole?: string;
  milliseconds: number;
}

const authSubrequestPath = /^\/auth(\?|$)/;

function headerValues(request: RecordedRequest, name: string): string[] {
  const lower = name.toLowerCase();
  return request.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

function upstreamRequests(server: RecordingServer): RecordedRequest[] {
  return server.requests.filter((request) => !authSubrequestPath.test(request.path));
}

interface ExpectedIdentity {
  user: string | null;
  role: string | null;
  email?: string;
  groups?: string;
  name?: string;
}

function expectedIdentity(
  environment: MatrixEnvironment,
  expectation: IdentityExpectation,
  user: ScenarioUser | undefined,
): ExpectedIdentity {
  if (expectation === "internal") return { user: "anonymous", role: "admin" };
  if (expectation === "none" || user === undefined) return { user: null, role: null };

  const proxy = environment.scenario.nginx.reverseProxy ?? {};
  const identity: ExpectedIdentity = { user: user.username, role: user.expectedRole };
  if (proxy.emailHeader) identity.email = user.email;
  if (proxy.groupsHeader) identity.groups = user.groups.join(proxy.separator ?? ",");
  if (proxy.nameHeader) identity.name = user.name;
  return identity;
}

/** Compares the identity headers one upstream request carried with the expected ones. */
export function judgeIdentity(request: RecordedRequest, expected: ExpectedIdentity): string[] {
  const failures: string[] = [];
  const pairs: [string, string | null | undefined][] = [
    ["Remote-User", expected.user],
    ["Remote-Role", expected.role],
    ["Remote-Email", expected.email],
    ["Remote-Groups", expected.groups],
    ["Remote-Name", expected.name],
  ];

  for (const [header, value] of pairs) {
    if (value === undefined) continue;

    const seen = headerValues(request, header);
    // nginx sends no header at all for an empty proxy_set_header value.
    if (value === null || value === "") {
      if (seen.length > 0)
        failures.push(`${header} should be absent, upstream saw ${JSON.stringify(seen)}`);
      continue;
    }
    if (seen.length !== 1 || seen[0] !== value) {
      failures.push(
        `${header} should be exactly ${JSON.stringify(value)}, upstream saw ${JSON.stringify(seen)}`,
      );
    }
  }

  return failures;
}

function userFor(environment: MatrixEnvironment, session: string): ScenarioUser | undefined {
  if (session === "admin") return environment.scenario.users.admin;
  if (session === "viewer") return environment.scenario.users.viewer;
  return undefined;
}

function locationMatches(environment: MatrixEnvironment, location: string | undefined): string[] {
  const prefix = environment.scenario.signInPrefix;
  if (prefix === null) return [];
  if (location === undefined) return [`expected a Location starting with ${prefix}, got none`];
  if (!location.startsWith(prefix))
    return [`expected a Location starting with ${prefix}, got ${location}`];
  return [];
}

async function send(
  environment: MatrixEnvironment,
  probe: Probe,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<ProbeResponse> {
  const internal = probe.check.request.internal === true;
  const port = internal ? environment.internalPort : environment.port;
  const tls = !internal;
  const timeoutMs = Math.max(5_000, (probe.check.expect.maxSeconds ?? 0) * 1000 + 3_000);

  if (probe.check.request.websocket) {
    return sendUpgrade({ port, path: probe.path.path, headers, timeoutMs, tls });
  }
  return sendRequest({
    port,
    path: probe.path.path,
    method: probe.method,
    headers,
    body,
    timeoutMs,
    tls,
  });
}

/** Runs one probe and judges it. */
export async function runProbe(environment: MatrixEnvironment, probe: Probe): Promise<ProbeResult> {
  const { check, path } = probe;
  const user = userFor(environment, check.request.session);
  // Every probe skips the 5 s API cache, which honours X-Cache-Bypass, so each
  // one reaches the upstream. Only the cache check relies on the cache.
  const headers = {
    "X-Cache-Bypass": "1",
    ...check.request.headers,
    ...(user ? environment.sessionHeaders(user) : {}),
  };
  const body =
    probe.bodyBytes > 0 || probe.method !== "GET" ? randomBytes(probe.bodyBytes) : undefined;
  const upstream = path.upstream === "static" ? undefined : environment.upstreams[path.upstream];

  const upstreamBefore = upstream ? upstreamRequests(upstream).length : 0;
  const authBefore = environment.authServer.requests.length;

  const result: ProbeResult = {
    checkId: check.id,
    title: check.title,
    path: path.path,
    label: probe.label,
    method: probe.method,
    status: "error",
    expectedStatus: check.expect.status,
    ok: false,
    failures: [],
    milliseconds: 0,
  };

  let response: ProbeResponse;
  try {
    response = await send(environment, probe, headers, body);
  } catch (error) {
    result.failures.push(error instanceof Error ? error.message : String(error));
    return result;
  }

  result.status = response.status;
  result.milliseconds = response.milliseconds;
  const failures = result.failures;

  if (!check.expect.status.includes(response.status)) {
    failures.push(`status ${response.status}, expected ${check.expect.status.join(" or ")}`);
  }

  const location = headerValue(response.headers, "location");
  if (check.expect.location === "sign-in") failures.push(...locationMatches(environment, location));
  if (check.expect.location === "sign-out") {
    const expected = environment.scenario.nginx.signOutUrl;
    if (expected && location !== expected) {
      failures.push(`expected Location ${expected}, got ${location ?? "none"}`);
    }
  }
  if (check.expect.location === "absent" && location !== undefined) {
    failures.push(`expected no Location, got ${location}`);
  }

  if (
    check.expect.maxSeconds !== undefined &&
    response.milliseconds > check.expect.maxSeconds * 1000
  ) {
    failures.push(
      `took ${Math.round(response.milliseconds)} ms, limit ${check.expect.maxSeconds} s`,
    );
  }

  const newUpstream = upstream ? upstreamRequests(upstream).slice(upstreamBefore) : [];
  const last = newUpstream.at(-1);
  if (last) {
    result.seenUser = headerValues(last, "Remote-User").join(",");
    result.seenRole = headerValues(last, "Remote-Role").join(",");
  }

  if (upstream !== undefined && check.expect.upstreamReached !== undefined) {
    if (check.expect.upstreamReached && newUpstream.length === 0) {
      failures.push(`${path.upstream} was not reached`);
    }
    if (!check.expect.upstreamReached && newUpstream.length > 0) {
      failures.push(`${path.upstream} was reached ${newUpstream.length} time(s), expected never`);
    }
  }

  if (last && check.expect.identity !== undefined && check.expect.identity !== "each") {
    failures.push(
      ...judgeIdentity(last, expectedIdentity(environment, check.expect.identity, user)),
    );
  }

  for (const header of check.expect.absentHeaders ?? []) {
    if (last && headerValues(last, header).length > 0) {
      failures.push(
        `${header} reached ${path.upstream}: ${JSON.stringify(headerValues(last, header))}`,
      );
    }
  }

  if (check.expect.authServerBody !== undefined) {
    // In Frigate mode the auth server is Frigate's API itself, so only its
    // /auth subrequests count.
    const authRequests = environment.authServer.requests
      .slice(authBefore)
      .filter((request) => environment.mode === "sso" || authSubrequestPath.test(request.path));
    for (const request of authRequests) {
      const announced = headerValues(request, "Content-Length");
      if (request.bodyLength !== check.expect.authServerBody) {
        failures.push(`auth server received ${request.bodyLength} body bytes`);
      }
      if (announced.some((value) => value !== "0")) {
        failures.push(`auth server was told Content-Length ${announced.join(",")}`);
      }
    }
  }

  if (check.expect.upstreamBodyIntact && body !== undefined && response.status < 300) {
    const expected = createHash("sha256").update(body).digest("hex");
    if (!last) failures.push("upstream saw no request to compare the body with");
    else if (last.bodyLength !== body.length || last.bodySha256 !== expected) {
      failures.push(
        `upstream received ${last.bodyLength} of ${body.length} bytes or a different checksum`,
      );
    }
  }

  result.ok = failures.length === 0;
  return result;
}

/**
 * Runs the cache check: users take turns on one cached path, and each response
 * must name its own user, never one cached for another user.
 */
async function runSequence(environment: MatrixEnvironment, probe: Probe): Promise<ProbeResult> {
  const sequence = probe.check.request.sequence ?? ["admin", "viewer"];
  const failures: string[] = [];
  let milliseconds = 0;
  let status: number | "error" = "error";

  for (const session of [...sequence, ...sequence]) {
    const user = userFor(environment, session)!;
    let response: ProbeResponse;
    try {
      response = await sendRequest({
        port: environment.port,
        tls: true,
        path: probe.path.path,
        headers: environment.sessionHeaders(user),
        timeoutMs: 5_000,
      });
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      break;
    }
    milliseconds += response.milliseconds;
    status = response.status;

    const echoedUser = echoedHeader(response.body, "remote-user");
    if (echoedUser !== user.username) {
      failures.push(`${session} got an answer made for ${JSON.stringify(echoedUser)}`);
    }
  }

  return {
    checkId: probe.check.id,
    title: probe.check.title,
    path: probe.path.path,
    label: probe.label,
    method: "GET",
    status,
    expectedStatus: probe.check.expect.status,
    ok: failures.length === 0,
    failures,
    milliseconds,
  };
}

/** Reads a header from the JSON echo of the Frigate API stand-in. */
export function echoedHeader(body: Buffer, name: string): string | undefined {
  try {
    const echo = JSON.parse(body.toString("utf8")) as { headers?: [string, string][] };
    return echo.headers?.find(([key]) => key.toLowerCase() === name)?.[1];
  } catch {
    return undefined;
  }
}

function syntheticCheck(id: string, title: string, status: number[]): CaseCheck {
  return { id, title, kinds: ["api"], request: { session: "admin" }, expect: { status } };
}

/**
 * Checks that need control over the stand-in auth server, so they exist only
 * here and not in the VM tests: a slow auth server gives a bounded error, a
 * stopped one a 5xx, and neither lets the request through.
 */
async function runAuthFailureChecks(environment: MatrixEnvironment): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  const frigate = environment.upstreams["frigate-api"];
  const path = {
    path: "/api/config",
    kind: "api" as const,
    upstream: "frigate-api" as const,
    vm: false,
  };
  const limit = environment.authTimeoutSeconds + 3;
  const statuses = [500, 502, 503, 504];

  const slow: Probe = {
    check: {
      ...syntheticCheck("auth-server-slow", "slow auth server gives a bounded error", statuses),
      expect: { status: statuses, upstreamReached: false, maxSeconds: limit },
    },
    path,
    method: "GET",
    bodyBytes: 0,
    label: "auth-server-slow",
  };
  environment.setAuthDelay((environment.authTimeoutSeconds + 2) * 1000);
  results.push(await runProbe(environment, slow));
  environment.setAuthDelay(0);

  await environment.stopAuthServer();
  const down: Probe = {
    check: {
      ...syntheticCheck("auth-server-down", "stopped auth server gives 5xx", statuses),
      expect: { status: statuses, upstreamReached: false, maxSeconds: limit },
    },
    path,
    method: "GET",
    bodyBytes: 0,
    label: "auth-server-down",
  };
  const before = upstreamRequests(frigate).length;
  const result = await runProbe(environment, down);
  if (upstreamRequests(frigate).length > before) {
    result.failures.push("Frigate was reached while the auth server was down");
    result.ok = false;
  }
  results.push(result);

  return results;
}

export interface MatrixOptions {
  /** Only run checks with these ids (tests of broken variants use this). */
  only?: string[];
  /** Called after each probe, for progress output. */
  onResult?: (result: ProbeResult, index: number, total: number) => void;
  /** Skip the checks that stop the auth server. */
  skipAuthFailures?: boolean;
}

/** Runs every probe in order, then the auth failure checks (which stop the auth server). */
export async function runMatrix(
  environment: MatrixEnvironment,
  cases: CaseFile,
  options: MatrixOptions = {},
): Promise<ProbeResult[]> {
  const wanted = (id: string) => options.only === undefined || options.only.includes(id);
  // The sign-out check needs a configured signOutUrl to compare with.
  const applies = (probe: Probe) =>
    probe.check.expect.location !== "sign-out" || Boolean(environment.scenario.nginx.signOutUrl);
  const probes = expandProbes(cases, environment.mode, environment.clientMaxBodySize).filter(
    (probe) => wanted(probe.check.id) && applies(probe),
  );
  const runFailures =
    environment.mode === "sso" &&
    !options.skipAuthFailures &&
    (wanted("auth-server-slow") || wanted("auth-server-down"));
  const total = probes.length + (runFailures ? 2 : 0);
  const results: ProbeResult[] = [];

  for (const probe of probes) {
    const result =
      probe.check.request.session === "sequence"
        ? await runSequence(environment, probe)
        : await runProbe(environment, probe);
    results.push(result);
    options.onResult?.(result, results.length, total);
  }

  if (runFailures) {
    for (const result of await runAuthFailureChecks(environment)) {
      if (!wanted(result.checkId)) continue;
      results.push(result);
      options.onResult?.(result, results.length, total);
    }
  }

  return results;
}
