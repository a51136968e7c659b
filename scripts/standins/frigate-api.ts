/**
 * Stand-in for Frigate's FastAPI app (the upstream on 127.0.0.1:5001 that
 * nginx reaches after stripping the `/api` prefix).
 *
 * Contract, read in blakeblackshear/frigate at tags v0.17.2 and
 * v0.18.0-beta1, frigate/api/auth.py, frigate/config/proxy.py,
 * frigate/config/auth.py and frigate/config/network.py:
 *
 * - `GET /auth` returns 202 with response headers `remote-user` and
 *   `remote-role`, or 401. The checks run in this order:
 *   1. An `X-Server-Port` header equal to the internal port (`networking.listen.internal`,
 *      5000 by default; v0.17 hard-codes 5000) gives `anonymous`/`admin`. A value that is
 *      not an integer makes Frigate's `int()` raise, so the answer is 500.
 *   2. When `proxy.auth_secret` is set, `X-Proxy-Secret` must equal it, or 401. This
 *      check runs whether `auth.enabled` is true or false.
 *   3. With `auth.enabled: false` (proxy mode) the user is the header named by
 *      `proxy.header_map.user` ("viewer" when that option is unset or the header is
 *      missing), and the role comes from `resolve_role`: the header named by
 *      `proxy.header_map.role`, split on `proxy.separator`, mapped through
 *      `proxy.header_map.role_map` when one is set (admin wins), else matched against
 *      the role names directly (lower-cased); otherwise `proxy.default_role` if it is a
 *      known role, else "viewer".
 *   4. With `auth.enabled: true` only Frigate's JWT counts: `Authorization: Bearer <t>`
 *      first, then the cookie named by `auth.cookie_name` (`frigate_token`). Failure is
 *      401 with `location: /login`. The stand-in looks tokens up in a sessions map
 *      instead of verifying a signed JWT.
 * - `GET /profile` needs a `remote-user` request header (401 otherwise) and returns
 *   `{username, role, allowed_cameras}`. From v0.18 a request whose role is not
 *   `admin` is also rejected when the user is `anonymous`.
 * - Every other path returns 200 with the JSON echo of the request.
 */
import type http from "node:http";

import { readCookie } from "./cookies.ts";
import { describeRequest, sendJson } from "./echo.ts";
import { sendEmpty, sendText, startStandIn } from "./server.ts";
import type { Fault, StandInHandle, StandInRequest } from "./server.ts";

/** The Frigate configuration keys the stand-in reads, under Frigate's own names. */
export interface FrigateAuthConfig {
  auth?: {
    /** Frigate's default is true. */
    enabled?: boolean;
    /** Frigate's default is `frigate_token`. */
    cookie_name?: string;
    /** Custom role names; `admin` and `viewer` always exist. */
    roles?: string[];
  };
  proxy?: {
    header_map?: {
      user?: string;
      role?: string;
      role_map?: Record<string, string[]>;
    };
    /** One character; Frigate's default is `,`. */
    separator?: string;
    /** Frigate's default is `viewer`. */
    default_role?: string;
    auth_secret?: string;
  };
  networking?: {
    listen?: {
      /** Frigate's default is 5000. */
      internal?: number;
    };
  };
}

/** A Frigate login: what the JWT's `sub` and `role` claims would carry. */
export interface FrigateSession {
  user: string;
  role: string;
}

export interface FrigateApiOptions {
  port?: number;
  fault?: Fault;
  config?: FrigateAuthConfig;
  /** Token (cookie value or Bearer token) to the login it stands for. */
  sessions?: Record<string, FrigateSession>;
  /** The Frigate release whose `/profile` check applies (see the file comment); default "0.18". */
  frigateVersion?: "0.17" | "0.18";
  /** Camera names returned as `allowed_cameras` by `/profile`. */
  cameras?: string[];
}

export type FrigateApiHandle = StandInHandle;

/** Starts the Frigate API stand-in. */
export function startFrigateApi(options: FrigateApiOptions = {}): Promise<FrigateApiHandle> {
  const name = "frigate-api";
  return startStandIn({
    name,
    port: options.port,
    fault: options.fault,
    handleRequest: (request, response) => {
      const pathname = request.url.pathname;
      if (pathname === "/auth") {
        answerAuth(options, request, response);
        return;
      }

      if (pathname === "/profile") {
        answerProfile(name, options, request, response);
        return;
      }

      sendJson(response, 200, describeRequest(name, request));
    },
  });
}

function answerAuth(
  options: FrigateApiOptions,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  // FastAPI registers `/auth` for GET only.
  if (request.method !== "GET") {
    sendJson(response, 405, { detail: "Method Not Allowed" }, { allow: "GET" });
    return;
  }

  const config = options.config ?? {};
  const internalPort = config.networking?.listen?.internal ?? 5000;
  const serverPort = parsePythonInt(request.header("x-server-port") ?? "0");
  if (serverPort === undefined) {
    sendText(response, 500, "Internal Server Error");
    return;
  }

  if (serverPort === internalPort) {
    sendEmpty(response, 202, { "remote-user": "anonymous", "remote-role": "admin" });
    return;
  }

  const secret = config.proxy?.auth_secret;
  if (secret !== undefined && (request.header("x-proxy-secret") ?? "") !== secret) {
    sendEmpty(response, 401);
    return;
  }

  if (config.auth?.enabled === false) {
    const userHeader = config.proxy?.header_map?.user;
    const user = userHeader ? (request.header(userHeader) ?? "viewer") : "viewer";
    const role = resolveRole(request, config);
    sendEmpty(response, 202, { "remote-user": user, "remote-role": role });
    return;
  }

  const session = findSession(options, request);
  if (!session) {
    sendEmpty(response, 401, { location: "/login" });
    return;
  }

  sendEmpty(response, 202, { "remote-user": session.user, "remote-role": session.role });
}

function findSession(
  options: FrigateApiOptions,
  request: StandInRequest,
): FrigateSession | undefined {
  const sessions = options.sessions ?? {};
  const authorization = request.header("authorization");
  let token: string | undefined;
  if (authorization?.startsWith("Bearer ")) {
    token = authorization.slice("Bearer ".length);
  } else {
    const cookieName = options.config?.auth?.cookie_name ?? "frigate_token";
    token = readCookie(request, cookieName);
  }

  if (token === undefined || !Object.hasOwn(sessions, token)) return undefined;

  return sessions[token];
}

/** Frigate's `resolve_role`, with the configured roles in a fixed order. */
export function resolveRole(request: StandInRequest, config: FrigateAuthConfig): string {
  const proxy = config.proxy ?? {};
  const configRoles = [...(config.auth?.roles ?? []), "admin", "viewer"];
  const defaultRole = proxy.default_role ?? "viewer";
  const validatedDefault = configRoles.includes(defaultRole) ? defaultRole : "viewer";
  const separator = proxy.separator ?? ",";

  const roleHeader = proxy.header_map?.role;
  if (!roleHeader) return validatedDefault;

  const rawValue = request.header(roleHeader) ?? "";
  if (!rawValue) return validatedDefault;

  const parts = rawValue
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== "");

  const roleMap = proxy.header_map?.role_map ?? {};
  if (Object.keys(roleMap).length > 0) {
    const matched = new Set(
      Object.entries(roleMap)
        .filter(([, groups]) => groups.some((group) => parts.includes(group)))
        .map(([role]) => role),
    );
    if (matched.has("admin")) return "admin";

    // NOTE: Frigate picks from a Python set, so its choice among several matched
    // custom roles is unordered; the stand-in takes the first in configuration order.
    return configRoles.find((role) => matched.has(role)) ?? validatedDefault;
  }

  const named = parts.map((part) => part.toLowerCase());
  return configRoles.find((role) => named.includes(role)) ?? validatedDefault;
}

function answerProfile(
  name: string,
  options: FrigateApiOptions,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const user = request.header("remote-user");
  const role = request.header("remote-role");
  // NOTE: Frigate accepts an empty remote-user value. The stand-in rejects it, so an
  // identity header that nginx set from an empty variable shows up as a 401.
  const missing = user === undefined || user === "";
  const anonymousRejected =
    (options.frigateVersion ?? "0.18") === "0.18" && role !== "admin" && user === "anonymous";
  if (missing || anonymousRejected) {
    sendJson(response, 401, {
      ...describeRequest(name, request),
      detail: "Authentication required",
    });
    return;
  }

  sendJson(response, 200, {
    ...describeRequest(name, request),
    username: user,
    role: role ?? "viewer",
    allowed_cameras: options.cameras ?? [],
  });
}

/** Parses a header the way Python's int() parses a string, or returns undefined. */
function parsePythonInt(value: string): number | undefined {
  const text = value.trim().replaceAll(/(?<=\d)_(?=\d)/g, "");
  if (!/^[+-]?\d+$/.test(text)) return undefined;

  return Number.parseInt(text, 10);
}
