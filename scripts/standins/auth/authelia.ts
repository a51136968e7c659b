/**
 * Stand-in for Authelia's AuthRequest authorization endpoint for nginx
 * (Authelia docs: docs/content/integration/proxies/nginx.md and
 * docs/content/reference/guides/proxy-authorization.md):
 * - GET /api/authz/auth-request needs the X-Original-URL and
 *   X-Original-Method request headers. It returns 200 for a valid session
 *   cookie (authelia_session) with Remote-User, Remote-Groups (comma-joined),
 *   Remote-Name and Remote-Email, and 401 otherwise, with a Location to the
 *   portal carrying the original URL in `rd` and the method in `rm`. It never
 *   redirects itself; nginx turns the 401 into a redirect.
 * - GET /api/verify, the legacy endpoint, responds the same way without the
 *   Location header.
 * NOTE: a request without X-Original-URL gets 400 here; check Authelia's
 * current behaviour before relying on that status.
 */
import { cookieValue, headerValues, startStandIn, type StandIn } from "../server.ts";
import type { SessionMap } from "./session-users.ts";

export const autheliaCookie = "authelia_session";

export interface AutheliaOptions {
  port?: number;
  sessions: SessionMap;
  /** The portal URL that the 401's Location points to. */
  portalUrl?: string;
  delayMs?: number;
}

export function startAuthelia(options: AutheliaOptions): Promise<StandIn> {
  const portal = (options.portalUrl ?? "https://auth.example.com").replace(/\/$/, "");

  return startStandIn({
    name: "authelia",
    port: options.port,
    delayMs: options.delayMs,
    handler: ({ recorded }, response) => {
      const path = recorded.path.split("?")[0];
      if (path !== "/api/authz/auth-request" && path !== "/api/verify") {
        response.writeHead(404);
        response.end();
        return;
      }

      const originalUrl = headerValues(recorded, "x-original-url")[0];
      const originalMethod = headerValues(recorded, "x-original-method")[0];
      if (path === "/api/authz/auth-request" && (!originalUrl || !originalMethod)) {
        response.writeHead(400, { "Content-Type": "text/plain" });
        response.end("missing X-Original-URL or X-Original-Method");
        return;
      }

      const session = options.sessions[cookieValue(recorded, autheliaCookie) ?? ""];
      if (session === undefined) {
        const headers: Record<string, string> = { "Content-Type": "text/plain" };
        if (path === "/api/authz/auth-request") {
          headers["Location"] =
            `${portal}/?rd=${encodeURIComponent(originalUrl!)}&rm=${encodeURIComponent(originalMethod!)}`;
        }
        response.writeHead(401, headers);
        response.end("Unauthorized");
        return;
      }

      response.writeHead(200, {
        "Remote-User": session.username,
        "Remote-Groups": session.groups.join(","),
        "Remote-Name": session.name,
        "Remote-Email": session.email,
      });
      response.end();
    },
  });
}
