/**
 * Stand-in for an authentik proxy outpost in forward-auth mode for nginx
 * (authentik docs: website/docs/add-secure-apps/providers/proxy/):
 * - GET /outpost.goauthentik.io/auth/nginx returns 200 for a valid session
 *   cookie (authentik_proxy_<id>) with X-authentik-username, -groups
 *   (pipe-joined), -email, -name and -uid, and 401 otherwise.
 * - /outpost.goauthentik.io/start?rd=: 302 to the authentik flow.
 */
import { startStandIn, type StandIn } from "../server.ts";
import { headerValues } from "../server.ts";
import type { SessionMap } from "./session-users.ts";

export const authentikCookie = "authentik_proxy_3f2a9c1e";

export interface AuthentikOptions {
  port?: number;
  sessions: SessionMap;
  delayMs?: number;
}

function sessionCookie(cookieHeaders: string[]): string | undefined {
  for (const header of cookieHeaders) {
    for (const part of header.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key?.startsWith("authentik_proxy_")) return rest.join("=");
    }
  }
  return undefined;
}

export function startAuthentik(options: AuthentikOptions): Promise<StandIn> {
  return startStandIn({
    name: "authentik",
    port: options.port,
    delayMs: options.delayMs,
    handler: ({ recorded }, response) => {
      const path = recorded.path.split("?")[0];

      if (path === "/outpost.goauthentik.io/auth/nginx") {
        const session = options.sessions[sessionCookie(headerValues(recorded, "cookie")) ?? ""];
        if (session === undefined) {
          response.writeHead(401, { "Content-Type": "text/plain" });
          response.end("Unauthorized");
          return;
        }

        response.writeHead(200, {
          "X-authentik-username": session.username,
          "X-authentik-groups": session.groups.join("|"),
          "X-authentik-email": session.email,
          "X-authentik-name": session.name,
          "X-authentik-uid": session.subject,
        });
        response.end();
        return;
      }

      if (path === "/outpost.goauthentik.io/start") {
        response.writeHead(302, {
          Location: "https://authentik.example.com/application/o/authorize/",
        });
        response.end();
        return;
      }

      response.writeHead(404);
      response.end();
    },
  });
}
