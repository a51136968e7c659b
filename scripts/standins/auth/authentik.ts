/**
 * Stand-in for an authentik proxy outpost in forward-auth mode behind nginx.
 *
 * Contract, read in goauthentik/authentik (main branch as stored, 2026):
 * internal/outpost/proxyv2/application/mode_forward.go (forwardHandleNginx),
 * mode_common.go (addHeaders, getNginxForwardUrl), application.go (routes and
 * the session cookie name) and oauth.go (the start redirect); the nginx snippet
 * in website/docs/add-secure-apps/providers/proxy/_nginx_standalone.mdx.
 *
 * - `/outpost.goauthentik.io/auth/nginx` (also `/outpost.goauthentik.io/auth`
 *   without `?traefik`) needs the target in `X-Original-URI` (a path) or
 *   `X-Original-URL`; without either it answers 500 "configuration error".
 * - A session cookie gives 200 with `X-authentik-username` (the
 *   preferred_username claim), `X-authentik-groups` and
 *   `X-authentik-entitlements` (pipe-joined), `X-authentik-email`, `X-authentik-name` and `X-authentik-uid` (the `sub`
 *   claim), plus `User-Agent` copied from the request.
 * - Otherwise 401 "unauthorized request", except for targets under
 *   `/outpost.goauthentik.io`, which get 200 with no identity.
 * - The session cookie is named `authentik_proxy_` followed by the first eight
 *   characters of the provider's client ID: the outpost appends an empty SHA-256
 *   sum to the client ID and keeps eight characters of the result.
 * - `/outpost.goauthentik.io/start?rd=<target>` (and `/sign_in`) answers 302 to the
 *   provider's authorization URL with a random `state`.
 *
 * NOTE: the outpost also sets `X-authentik-jwt` and `X-authentik-meta-*` headers and
 * supports `skip_path_regex`; the stand-in sends neither and has no skip list.
 */
import { randomBytes } from "node:crypto";
import type http from "node:http";

import { ConfigError } from "../../lib/errors.ts";
import { sendEmpty, sendText, startStandIn } from "../server.ts";
import type { StandInRequest } from "../server.ts";
import { faultOf, findSession } from "./session.ts";
import type { AuthStandInHandle, AuthStandInOptions } from "./session.ts";

export interface AuthentikOptions extends AuthStandInOptions {
  /** The proxy provider's OAuth2 client ID; at least 8 characters. */
  clientId?: string;
  /** The provider's external host, used for the callback URL. */
  externalHost?: string;
  /** authentik's authorization endpoint; only sent in Location headers. */
  authorizeUrl?: string;
}

const prefix = "/outpost.goauthentik.io";

/** Returns the session cookie name the outpost derives from a client ID. */
export function authentikCookieName(clientId: string): string {
  if (clientId.length < 8) {
    throw new ConfigError(`authentik client ID "${clientId}" is shorter than 8 characters`, {
      hint: "use a client ID of at least 8 characters; authentik generates 40",
    });
  }

  return `authentik_proxy_${clientId.slice(0, 8)}`;
}

/** Starts the authentik outpost stand-in. */
export async function startAuthentik(options: AuthentikOptions = {}): Promise<AuthStandInHandle> {
  const clientId = options.clientId ?? "frigateStandInClientId0123456789abcdefgh";
  const cookieName = authentikCookieName(clientId);
  const handle = await startStandIn({
    name: "authentik",
    port: options.port,
    fault: faultOf(options),
    handleRequest: (request, response) => {
      const pathname = request.url.pathname;
      const isNginxAuth =
        pathname === `${prefix}/auth/nginx` ||
        (pathname === `${prefix}/auth` && !request.url.searchParams.has("traefik"));
      if (isNginxAuth) {
        answerNginxAuth(options, cookieName, request, response);
        return;
      }

      if (pathname === `${prefix}/start` || pathname === `${prefix}/sign_in`) {
        startLogin(options, clientId, response);
        return;
      }

      sendText(response, 404, "404 page not found\n");
    },
  });
  return { ...handle, cookieName };
}

function answerNginxAuth(
  options: AuthentikOptions,
  cookieName: string,
  request: StandInRequest,
  response: http.ServerResponse,
): void {
  const forwardPath = readForwardPath(request);
  if (forwardPath === undefined) {
    sendText(response, 500, "configuration error\n", { "x-content-type-options": "nosniff" });
    return;
  }

  const session = findSession(request, options.sessions ?? {}, cookieName);
  if (session) {
    sendEmpty(response, 200, {
      "X-Authentik-Username": session.preferredUsername ?? session.user,
      "X-Authentik-Groups": session.groups.join("|"),
      "X-Authentik-Entitlements": (session.entitlements ?? []).join("|"),
      "X-Authentik-Email": session.email ?? "",
      "X-Authentik-Name": session.name ?? "",
      "X-Authentik-Uid": session.user,
      "User-Agent": request.header("user-agent") ?? "",
    });
    return;
  }

  if (forwardPath.startsWith(prefix)) {
    sendEmpty(response, 200);
    return;
  }

  sendText(response, 401, "unauthorized request\n", { "x-content-type-options": "nosniff" });
}

/** Returns the path of the original request, or undefined when nginx sent neither header. */
function readForwardPath(request: StandInRequest): string | undefined {
  const originalUri = request.header("x-original-uri");
  if (originalUri) return originalUri;

  const originalUrl = request.header("x-original-url");
  if (!originalUrl) return undefined;

  try {
    return new URL(originalUrl, "http://unknown.invalid").pathname;
  } catch {
    return undefined;
  }
}

function startLogin(
  options: AuthentikOptions,
  clientId: string,
  response: http.ServerResponse,
): void {
  const externalHost = options.externalHost ?? "https://frigate.example.test";
  const callback = new URL(`${prefix}/callback`, externalHost);
  callback.searchParams.set("X-authentik-auth-callback", "true");

  const login = new URL(
    options.authorizeUrl ?? "https://authentik.example.test/application/o/authorize/",
  );
  login.searchParams.set("client_id", clientId);
  login.searchParams.set("redirect_uri", callback.toString());
  login.searchParams.set("response_type", "code");
  login.searchParams.set("scope", "openid profile email ak_proxy");
  login.searchParams.set("state", randomBytes(32).toString("base64url"));
  sendEmpty(response, 302, { location: login.toString() });
}
