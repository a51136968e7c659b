/**
 * Stand-in for oauth2-proxy used as an nginx `auth_request` server.
 *
 * Contract, read in oauth2-proxy/oauth2-proxy at tag v7.15.3:
 * docs/docs/features/endpoints.md, docs/docs/configuration/integrations/nginx.md,
 * oauthproxy.go (AuthOnly, authOnlyAuthorize, SignIn, SignInPage, OAuthStart),
 * pkg/apis/options/legacy_options.go (getXAuthRequestHeaders) and
 * pkg/middleware/headers.go (multi-value headers joined with ",").
 *
 * - `/oauth2/auth` returns 202 for a valid session cookie (`_oauth2_proxy`) with
 *   `X-Auth-Request-User` (the OIDC `sub`), `X-Auth-Request-Email`,
 *   `X-Auth-Request-Preferred-Username` and `X-Auth-Request-Groups` (comma-joined),
 *   as `--set-xauthrequest` does, plus `GAP-Auth` (the email, else the user).
 *   Each X-Auth-Request header is left out when its claim is empty.
 * - Without a session it answers 401. A session whose groups miss the global
 *   `--allowed-group` list also gets 401 (oauth2-proxy clears the cookie), while a
 *   session failing the per-request query parameters `allowed_groups` or
 *   `allowed_emails` gets 403.
 * - `/oauth2/sign_in` answers 200 with the sign-in page (the "Sign in with ..."
 *   button page; `skip_provider_button` is false by default) and clears the
 *   session cookie. With `skipProviderButton` it behaves like `/oauth2/start`.
 * - `/oauth2/start?rd=<target>` answers 302 to the identity provider's
 *   authorization URL; `state` carries `<nonce>:<target>`. The target comes from
 *   `rd`, then the `X-Auth-Request-Redirect` header; relative paths are always
 *   accepted, absolute URLs only for hosts in `whitelistDomains`, anything else
 *   becomes `/`.
 * - `/oauth2/sign_out` clears the cookie and answers 302 to the same target.
 * - `/ping` answers 200 "OK"; other paths 404 (there is no upstream to proxy to).
 */
import { randomBytes } from "node:crypto";
import type http from "node:http";

import { escapeHtml, sendEmpty, sendText, startStandIn } from "../server.ts";
import type { StandInRequest } from "../server.ts";
import { faultOf, findSession } from "./session.ts";
import type { AuthSession, AuthStandInHandle, AuthStandInOptions } from "./session.ts";

export interface OAuth2ProxyOptions extends AuthStandInOptions {
  /** oauth2-proxy's `--cookie-name`; default `_oauth2_proxy`. */
  cookieName?: string;
  /** oauth2-proxy's `--allowed-group`: when set, sessions in none of these groups get 401. */
  allowedGroups?: string[];
  /** oauth2-proxy's `--whitelist-domain`: hosts that absolute `rd` targets may name. */
  whitelistDomains?: string[];
  /** oauth2-proxy's `--skip-provider-button`; default false. */
  skipProviderButton?: boolean;
  /** The identity provider's authorization endpoint; only sent in Location headers. */
  loginUrl?: string;
  /** oauth2-proxy's `--client-id`. */
  clientId?: string;
}

const prefix = "/oauth2";

/** Caching headers oauth2-proxy sets on its own pages and redirects. */
const noCacheHeaders = {
  expires: "Thu, 01 Jan 1970 00:00:00 UTC",
  "cache-control": "no-cache, no-store, must-revalidate, max-age=0",
  "x-accel-expires": "0",
};

/** Starts the oauth2-proxy stand-in. */
export async function startOAuth2Proxy(
  options: OAuth2ProxyOptions = {},
): Promise<AuthStandInHandle> {
  const cookieName = options.cookieName ?? "_oauth2_proxy";
  const handle = await startStandIn({
    name: "oauth2-proxy",
    port: options.port,
    fault: faultOf(options),
    handleRequest: (request, response) => {
      routeRequest(options, cookieName, request, response);
    },
  });
  return { ...handle, cookieName };
}

function routeRequest(
  options: OAuth2ProxyOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  switch (request.url.pathname) {
    case `${prefix}/auth`:
      answerAuth(options, cookieName, request, response);
      return;
    case `${prefix}/sign_in`:
      if (options.skipProviderButton) startLogin(options, request, response);
      else sendSignInPage(options, cookieName, request, response);
      return;
    case `${prefix}/start`:
      startLogin(options, request, response);
      return;
    case `${prefix}/sign_out`:
      sendEmpty(response, 302, {
        ...noCacheHeaders,
        location: findRedirect(options, request),
        "set-cookie": clearCookie(cookieName),
      });
      return;
    case "/ping":
      sendText(response, 200, "OK");
      return;
    default:
      sendText(response, 404, "404 page not found\n");
  }
}

function answerAuth(
  options: OAuth2ProxyOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const session = findSession(request, options.sessions ?? {}, cookieName);
  if (!session) {
    sendText(response, 401, "Unauthorized\n");
    return;
  }

  const allowedGroups = options.allowedGroups ?? [];
  if (allowedGroups.length > 0 && !session.groups.some((group) => allowedGroups.includes(group))) {
    sendText(response, 401, "Unauthorized\n", { "set-cookie": clearCookie(cookieName) });
    return;
  }

  if (!passesQueryConstraints(request, session)) {
    sendText(response, 403, "Forbidden\n");
    return;
  }

  sendEmpty(response, 202, identityHeaders(session));
}

function identityHeaders(session: AuthSession): Record<string, string> {
  const headers: Record<string, string> = {
    "GAP-Auth": session.email ? session.email : session.user,
    "X-Auth-Request-User": session.user,
  };
  if (session.email) headers["X-Auth-Request-Email"] = session.email;
  if (session.preferredUsername) {
    headers["X-Auth-Request-Preferred-Username"] = session.preferredUsername;
  }
  if (session.groups.length > 0) headers["X-Auth-Request-Groups"] = session.groups.join(",");
  return headers;
}

/**
 * Applies the `allowed_groups` and `allowed_emails` query parameters of
 * `/oauth2/auth`: each is a comma-separated list, repeatable, ignored when empty.
 * NOTE: `allowed_email_domains` is not implemented; a request using it passes.
 */
function passesQueryConstraints(request: StandInRequest, session: AuthSession): boolean {
  const allowedGroups = readListParameter(request, "allowed_groups");
  if (allowedGroups.size > 0 && !session.groups.some((group) => allowedGroups.has(group))) {
    return false;
  }

  const allowedEmails = readListParameter(request, "allowed_emails");
  if (allowedEmails.size > 0 && !allowedEmails.has(session.email ?? "")) return false;

  return true;
}

function readListParameter(request: StandInRequest, key: string): Set<string> {
  const values = request.url.searchParams.getAll(key).flatMap((value) => value.split(","));
  return new Set(values.filter((value) => value !== ""));
}

function sendSignInPage(
  options: OAuth2ProxyOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const target = findRedirect(options, request);
  const startUrl = `${prefix}/start?rd=${encodeURIComponent(target)}`;
  const page = [
    "<!DOCTYPE html>",
    "<html><head><title>Sign In</title></head><body>",
    `<form method="GET" action="${prefix}/start">`,
    `<input type="hidden" name="rd" value="${escapeHtml(target)}">`,
    `<button type="submit">Sign in with OpenID Connect</button>`,
    `</form><a href="${escapeHtml(startUrl)}">start</a>`,
    "</body></html>",
    "",
  ].join("\n");
  sendText(
    response,
    200,
    page,
    { ...noCacheHeaders, "set-cookie": clearCookie(cookieName) },
    "text/html; charset=utf-8",
  );
}

function startLogin(
  options: OAuth2ProxyOptions,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const target = findRedirect(options, request);
  const nonce = randomBytes(16).toString("base64url");
  const scheme = request.header("x-forwarded-proto") ?? "http";
  const host = request.header("x-forwarded-host") ?? request.header("host") ?? "localhost";
  const login = new URL(options.loginUrl ?? "https://idp.invalid/authorize");
  login.searchParams.set("client_id", options.clientId ?? "frigate");
  login.searchParams.set("redirect_uri", `${scheme}://${host}${prefix}/callback`);
  login.searchParams.set("response_type", "code");
  login.searchParams.set("scope", "openid email profile");
  login.searchParams.set("state", `${nonce}:${target}`);
  sendEmpty(response, 302, {
    ...noCacheHeaders,
    location: login.toString(),
    "set-cookie": `_oauth2_proxy_csrf=${nonce}; Path=/; HttpOnly; SameSite=Lax`,
  });
}

/**
 * Picks the post-login target: `rd`, then `X-Auth-Request-Redirect`, else `/`.
 * NOTE: oauth2-proxy also tries the X-Forwarded-* headers and the request URI; the
 * stand-in stops at the header.
 */
function findRedirect(options: OAuth2ProxyOptions, request: StandInRequest): string {
  const candidates = [
    request.url.searchParams.get("rd"),
    request.header("x-auth-request-redirect"),
  ];
  for (const candidate of candidates) {
    if (candidate && isValidRedirect(candidate, options.whitelistDomains ?? [])) return candidate;
  }
  return "/";
}

function isValidRedirect(target: string, whitelistDomains: string[]): boolean {
  if (target.startsWith("/")) return !target.startsWith("//") && !target.startsWith("/\\");

  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return false;
  }

  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;

  return whitelistDomains.some((domain) =>
    domain.startsWith(".")
      ? parsed.hostname.endsWith(domain) || parsed.hostname === domain.slice(1)
      : parsed.hostname === domain || parsed.host === domain,
  );
}

function clearCookie(name: string): string {
  return `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`;
}
