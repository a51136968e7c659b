/** Cookie lookup shared by the stand-ins that identify a session by cookie. */
import type { StandInRequest } from "./server.ts";

/**
 * Returns the first value of the cookie `name` across all Cookie headers, as
 * Go's Request.Cookie does, or undefined when it is absent.
 */
export function readCookie(request: StandInRequest, name: string): string | undefined {
  for (const header of request.headerValues("cookie")) {
    for (const part of header.split(";")) {
      const separator = part.indexOf("=");
      if (separator < 0) continue;

      if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
    }
  }
  return undefined;
}
