/**
 * Stand-in for oauth2-proxy's endpoints used with nginx auth_request
 * (oauth2-proxy docs: docs/docs/features/endpoints.md and
 * docs/docs/configuration/integrations/nginx.md):
 * - GET /oauth2/auth: 202 for a valid session cookie (_oauth2_proxy), with
 *   X-Auth-Request-User (the OIDC `sub`), X-Auth-Request-Email,
 *   X-Auth-Request-Preferred-Username and X-Auth-Request-Groups
 *   (comma-joined; these need --set-xauthrequest); 401 without a session;
 *   403 when the user is in none of --allowed-group.
 * - /oauth2/sign_in: the sign-in page (200); /oauth2/start?rd=: 302 to the
 *   identity provider.
 */
import { cookieValue, startStandIn, type StandIn } from "../server.ts";
import type { SessionMap } from "./session-users.ts";

export const oauth2ProxyCookie = "_oauth2_proxy";

export interface OAuth2ProxyOptions {
  port?: number;
  sessions: SessionMap;
  /** oauth2-proxy's --allowed-group; empty allows every signed-in user. */
  allowedGroups?: string[];
  delayMs?: number;
}

export function startOAuth2Proxy(options: OAuth2ProxyOptions): Promise<StandIn> {
  return startStandIn({
    name: "oauth2-proxy",
    port: options.port,
    delayMs: options.delayMs,
    handler: ({ recorded }, response) => {
      const path = recorded.path.split("?")[0];

      if (path === "/oauth2/auth") {
        const session = options.sessions[cookieValue(recorded, oauth2ProxyCookie) ?? ""];
        if (session === undefined) {
          response.writeHead(401, { "Content-Type": "text/plain" });
          response.end("Unauthorized");
          return;
        }

        const allowed = options.allowedGroups ?? [];
        if (allowed.length > 0 && !session.groups.some((group) => allowed.includes(group))) {
          response.writeHead(403, { "Content-Type": "text/plain" });
          response.end("Forbidden");
          return;
        }

        response.writeHead(202, {
          "X-Auth-Request-User": session.subject,
          "X-Auth-Request-Email": session.email,
          "X-Auth-Request-Preferred-Username": session.username,
          "X-Auth-Request-Groups": session.groups.join(","),
        });
        response.end();
        return;
      }

      if (path === "/oauth2/sign_in") {
        response.writeHead(200, { "Content-Type": "text/html" });
        response.end("<!doctype html><title>Sign in</title>\n");
        return;
      }

      if (path === "/oauth2/start") {
        response.writeHead(302, { Location: "https://idm.example.com/ui/oauth2" });
        response.end();
        return;
      }

      response.writeHead(404);
      response.end();
    },
  });
}
