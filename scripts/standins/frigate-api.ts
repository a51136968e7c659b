/**
 * Stand-in for Frigate's API (the FastAPI app on 127.0.0.1:5001, Frigate
 * 0.16/0.17). nginx strips the /api prefix, so paths arrive as /stats,
 * /config, /profile, /auth and so on.
 *
 * Contract, from blakeblackshear/frigate frigate/api/auth.py and the nginx
 * configuration in docker/main/rootfs/usr/local/nginx/conf/:
 * - The API itself does no authentication and trusts the Remote-User and
 *   Remote-Role request headers; every response here echoes the request as JSON
 *   (Content-Type application/json, which nginx caches).
 * - /profile returns 401 when Remote-User is empty or "anonymous", else the
 *   user name and role.
 * - /auth, with Frigate's own login enabled, accepts only Frigate's JWT, from
 *   the frigate_token cookie or an Authorization Bearer token, and returns 202
 *   with remote-user and remote-role response headers, or 401. A request whose
 *   X-Server-Port is the internal port gets anonymous/admin.
 *   NOTE: tokens here are opaque strings from the sessions map, not signed
 *   JWTs, and Frigate's proxy mode of /auth is not imitated.
 */
import {
  cookieValue,
  echoOf,
  headerValues,
  sendJson,
  startStandIn,
  type StandIn,
} from "./server.ts";

export interface FrigateSession {
  user: string;
  role: string;
}

export interface FrigateApiOptions {
  port?: number;
  /** JWT value → identity, for Frigate's own /auth. */
  sessions?: Record<string, FrigateSession>;
  /** Frigate's internal port, whose requests are admin (5000 in Frigate). */
  internalPort?: number;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

export function startFrigateApi(options: FrigateApiOptions = {}): Promise<StandIn> {
  const sessions = options.sessions ?? {};
  const internalPort = String(options.internalPort ?? 5000);

  return startStandIn({
    name: "frigate-api",
    port: options.port,
    handler: ({ recorded }, response) => {
      const path = recorded.path.split("?")[0];

      if (path === "/auth") {
        if (headerValues(recorded, "x-server-port")[0] === internalPort) {
          response.writeHead(202, { "remote-user": "anonymous", "remote-role": "admin" });
          response.end();
          return;
        }

        const token =
          cookieValue(recorded, "frigate_token") ??
          bearerToken(headerValues(recorded, "authorization")[0]);
        const session = token === undefined ? undefined : sessions[token];
        if (session === undefined) {
          sendJson(response, 401, { success: false, message: "Authentication required" });
          return;
        }

        response.writeHead(202, { "remote-user": session.user, "remote-role": session.role });
        response.end();
        return;
      }

      if (path === "/profile") {
        const user = headerValues(recorded, "remote-user")[0] ?? "";
        if (user === "" || user === "anonymous") {
          sendJson(response, 401, { message: "No user" });
          return;
        }
        sendJson(response, 200, {
          username: user,
          role: headerValues(recorded, "remote-role")[0] ?? null,
          ...echoOf(recorded),
        });
        return;
      }

      sendJson(response, 200, echoOf(recorded));
    },
  });
}
