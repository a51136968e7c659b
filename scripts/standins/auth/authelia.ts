/**
 * Stand-in for Authelia's authorization endpoints as nginx uses them.
 *
 * Contract, read in authelia/authelia at tag v4.39.20:
 * docs/content/integration/proxies/nginx.md,
 * docs/content/reference/guides/proxy-authorization.md and
 * internal/handlers/handler_authz*.go, internal/middlewares/authelia_context.go.
 *
 * AuthRequest, `/api/authz/auth-request` (any method):
 * - The target is the `X-Original-URL` header and the method `X-Original-Method`.
 *   When either is missing or empty, the URL does not parse, the method has a
 *   character outside A-Z, or the URL's scheme is not `https` or `wss`, the answer
 *   is 400 "400 Bad Request". So is a target whose host is outside the session
 *   cookie domain, when `cookieDomain` is set.
 * - A session cookie (`authelia_session`) gives 200 "200 OK" with `Remote-User`,
 *   `Remote-Groups` (comma-joined), `Remote-Name` and `Remote-Email` (the first email).
 * - Otherwise 401 with `Location: <portal>/?rd=<target>&rm=<method>`: the query
 *   keys are sorted and the values escaped as Go's url.QueryEscape does. The body
 *   is an HTML link to that URL, or empty when the original method is HEAD. The
 *   portal is the `authelia_url` query parameter when present, else `portalUrl`.
 *   Authelia never redirects here itself: nginx turns the 401 into a redirect.
 *
 * Legacy, `/api/verify`:
 * - The target is `X-Original-URL`, else `X-Forwarded-Proto` (default http) +
 *   `X-Forwarded-Host` (default the Host header) + `X-Forwarded-URI` (default the
 *   request path). The method is `X-Forwarded-Method`, else the request's. Errors
 *   answer 401 (the legacy endpoint's status for a bad request).
 * - The portal comes from the `rd` query parameter, else the `X-Authelia-URL` header.
 * - Without a session: 401 when there is no portal, the request is XHR
 *   (`X-Requested-With: XMLHttpRequest`) or does not accept `text/html`; otherwise
 *   302 (GET, HEAD, OPTIONS) or 303 (other methods) to the portal URL built as above.
 *
 * NOTE: access-control rules are not modelled: every signed-in user is allowed,
 * so the stand-in never answers 403. Basic credentials in `Proxy-Authorization`
 * or `Authorization` are not accepted.
 */
import type http from "node:http";

import { escapeHtml, sendText, startStandIn } from "../server.ts";
import type { StandInRequest } from "../server.ts";
import { faultOf, findSession } from "./session.ts";
import type { AuthSession, AuthStandInHandle, AuthStandInOptions } from "./session.ts";

export interface AutheliaOptions extends AuthStandInOptions {
  /** Authelia's `session.cookies[].name`; default `authelia_session`. */
  cookieName?: string;
  /** Authelia's `session.cookies[].authelia_url`: the portal for AuthRequest redirects. */
  portalUrl?: string;
  /** Authelia's `session.cookies[].domain`; when set, targets outside it get 400. */
  cookieDomain?: string;
}

interface Target {
  url: URL;
  method: string;
}

/** Starts the Authelia stand-in. */
export async function startAuthelia(options: AutheliaOptions = {}): Promise<AuthStandInHandle> {
  const cookieName = options.cookieName ?? "authelia_session";
  const handle = await startStandIn({
    name: "authelia",
    port: options.port,
    fault: faultOf(options),
    handleRequest: (request, response) => {
      switch (request.url.pathname) {
        case "/api/authz/auth-request":
          answerAuthRequest(options, cookieName, request, response);
          return;
        case "/api/verify":
          answerLegacyVerify(options, cookieName, request, response);
          return;
        default:
          sendText(response, 404, "404 Not Found");
      }
    },
  });
  return { ...handle, cookieName };
}

function answerAuthRequest(
  options: AutheliaOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const target = readAuthRequestTarget(request);
  if (!target || !isTargetAccepted(target, options)) {
    replyStatus(response, 400);
    return;
  }

  const portalParameter = request.url.searchParams.get("authelia_url");
  const portal = portalParameter
    ? parseRequestUri(portalParameter)
    : parseRequestUri(options.portalUrl ?? "https://auth.example.test/");
  if (!portal || (portalParameter && !isPortalInDomain(portal, options))) {
    replyStatus(response, 400);
    return;
  }

  const session = findSession(request, options.sessions ?? {}, cookieName);
  if (session) {
    replyAuthorized(response, session);
    return;
  }

  sendRedirect(response, 401, buildPortalRedirect(portal, target), target.method === "HEAD");
}

function answerLegacyVerify(
  options: AutheliaOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const target = readLegacyTarget(request);
  if (!target || !isTargetAccepted(target, options)) {
    replyStatus(response, 401);
    return;
  }

  const portalValue = request.url.searchParams.get("rd") ?? request.header("x-authelia-url");
  const portal =
    portalValue === undefined || portalValue === null ? undefined : parseRequestUri(portalValue);
  if (portalValue && !portal) {
    replyStatus(response, 401);
    return;
  }

  const session = findSession(request, options.sessions ?? {}, cookieName);
  if (session) {
    replyAuthorized(response, session);
    return;
  }

  if (!portal) {
    replyStatus(response, 401);
    return;
  }

  const isXhr = (request.header("x-requested-with") ?? "").toLowerCase() === "xmlhttprequest";
  let status: number;
  if (isXhr || !acceptsHtml(request)) status = 401;
  else if (["GET", "HEAD", "OPTIONS", ""].includes(target.method)) status = 302;
  else status = 303;

  sendRedirect(response, status, buildPortalRedirect(portal, target), target.method === "HEAD");
}

function readAuthRequestTarget(request: StandInRequest): Target | undefined {
  const rawUrl = request.header("x-original-url");
  if (!rawUrl) return undefined;

  const url = parseRequestUri(rawUrl);
  const method = request.header("x-original-method");
  if (!url || !method) return undefined;

  return { url, method };
}

function readLegacyTarget(request: StandInRequest): Target | undefined {
  let url: URL | undefined;
  const rawUrl = request.header("x-original-url");
  if (rawUrl) {
    url = parseRequestUri(rawUrl);
  } else {
    const proto = request.header("x-forwarded-proto") || "http";
    const host = request.header("x-forwarded-host") || request.header("host");
    const uri = request.header("x-forwarded-uri") || request.path;
    url = host ? parseRequestUri(`${proto}://${host}${uri}`) : undefined;
  }
  if (!url) return undefined;

  return { url, method: request.header("x-forwarded-method") || request.method };
}

function isTargetAccepted(target: Target, options: AutheliaOptions): boolean {
  if (!/^[A-Z]+$/.test(target.method)) return false;

  // Authelia rejects targets whose scheme is not https or wss, because its session
  // cookies are only sent over secure connections.
  if (target.url.protocol !== "https:" && target.url.protocol !== "wss:") return false;

  return isHostInDomain(target.url.hostname, options.cookieDomain);
}

function isPortalInDomain(portal: URL, options: AutheliaOptions): boolean {
  return isHostInDomain(portal.hostname, options.cookieDomain);
}

function isHostInDomain(hostname: string, domain: string | undefined): boolean {
  if (domain === undefined) return true;

  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/** Parses an absolute URL as Go's url.ParseRequestURI would accept it, or returns undefined. */
function parseRequestUri(value: string): URL | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return undefined;

  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function acceptsHtml(request: StandInRequest): boolean {
  const accepts = (request.header("accept") ?? "").split(",");
  return accepts.some((accept, index) => {
    const mimeType = (accept.split(";", 1)[0] ?? "").trim();
    return mimeType === "text/html" || (index === 0 && mimeType === "*/*");
  });
}

/** Builds `<portal>/?rd=<target>&rm=<method>` with Go's query encoding (sorted keys). */
export function buildPortalRedirect(portal: URL, target: Target): string {
  const parameters = new Map<string, string>();
  for (const [key, value] of portal.searchParams) {
    if (!parameters.has(key)) parameters.set(key, value);
  }
  parameters.set("rd", target.url.toString());
  if (target.method) parameters.set("rm", target.method);

  const query = [...parameters.entries()]
    .sort(([left], [right]) => compareCodeUnits(left, right))
    .map(([key, value]) => `${escapeQueryComponent(key)}=${escapeQueryComponent(value)}`)
    .join("&");
  const path = portal.pathname === "" ? "/" : portal.pathname;
  return `${portal.protocol}//${portal.host}${path}?${query}`;
}

/** Orders strings by UTF-16 code units, as Go's sort.Strings orders ASCII keys. */
function compareCodeUnits(left: string, right: string): number {
  if (left === right) return 0;

  return left < right ? -1 : 1;
}

/** Escapes like Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, and space becomes `+`. */
export function escapeQueryComponent(value: string): string {
  return encodeURIComponent(value)
    .replaceAll(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("%20", "+");
}

function replyAuthorized(response: http.ServerResponse, session: AuthSession): void {
  sendText(response, 200, "200 OK", {
    "Remote-User": session.user,
    "Remote-Groups": session.groups.join(","),
    "Remote-Name": session.name ?? "",
    "Remote-Email": session.email ?? "",
  });
}

function replyStatus(response: http.ServerResponse, status: 400 | 401): void {
  sendText(response, status, status === 400 ? "400 Bad Request" : "401 Unauthorized");
}

function sendRedirect(
  response: http.ServerResponse,
  status: number,
  location: string,
  withoutBody: boolean,
): void {
  if (withoutBody) {
    response.writeHead(status, { location, "content-length": "0" });
    response.end();
    return;
  }

  const reason = { 302: "Found", 303: "See Other", 401: "Unauthorized" }[status] ?? "";
  const body = `<a href="${escapeHtml(location)}">${status} ${reason}</a>`;
  sendText(response, status, body, { location }, "text/html; charset=utf-8");
}
