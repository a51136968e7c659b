/**
 * Finds the nixpkgs checkout or nixpkgs `lib` that tier-2 checks need. The
 * user names it explicitly; nothing on this machine is assumed.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const nixpkgsVariable = "FRIGATE_AUTH_NIXPKGS";
export const nixpkgsLibVariable = "FRIGATE_AUTH_NIXPKGS_LIB";

/** Returns the path of a nixpkgs checkout from FRIGATE_AUTH_NIXPKGS, or undefined. */
export function nixpkgsCheckout(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[nixpkgsVariable];
  if (!value) return undefined;

  return path.resolve(value);
}

/**
 * Returns the `lib` directory of nixpkgs: FRIGATE_AUTH_NIXPKGS_LIB (a `lib`
 * directory, or a nixpkgs.lib checkout containing one), else
 * FRIGATE_AUTH_NIXPKGS/lib.
 */
export function nixpkgsLib(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[nixpkgsLibVariable];
  if (explicit) {
    const resolved = path.resolve(explicit);
    const nested = path.join(resolved, "lib");
    return existsSync(path.join(nested, "default.nix")) ? nested : resolved;
  }

  const checkout = nixpkgsCheckout(env);
  return checkout === undefined ? undefined : path.join(checkout, "lib");
}

export const missingLibMessage = `needs nixpkgs' lib: set ${nixpkgsLibVariable}=PATH (a nixpkgs.lib checkout) or ${nixpkgsVariable}=PATH (a nixpkgs checkout)`;
export const missingNixpkgsMessage = `needs a nixpkgs checkout: set ${nixpkgsVariable}=PATH`;
