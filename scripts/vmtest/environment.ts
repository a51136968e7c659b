/**
 * Finds what the VM tests need on this machine: the nix command, a usable
 * KVM device and the `kvm` and `nixos-test` system features. Each missing
 * piece becomes an error with exit code 3 that says how to get it.
 */
import { access, constants } from "node:fs/promises";

import { exitCodes, MissingCommandError, ToolkitError } from "../lib/errors.ts";
import { findExecutable } from "../lib/exec.ts";

export const requiredFeatures = ["kvm", "nixos-test"] as const;

/** Where the environment is looked up; tests point these at fixtures. */
export interface Environment {
  searchPath: string;
  kvmDevice: string;
}

export function defaultEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    searchPath: env["PATH"] ?? "",
    kvmDevice: env["FRIGATE_AUTH_KVM_DEVICE"] ?? "/dev/kvm",
  };
}

/** Raised when the machine lacks something the VM tests need (exit code 3). */
export class EnvironmentError extends ToolkitError {
  constructor(message: string, hint: string) {
    super("E_CONFIG", message, { hint, exitCode: exitCodes.environment });
  }
}

export async function findNix(searchPath: string): Promise<string> {
  const nix = await findExecutable("nix", searchPath);
  if (nix !== undefined) return nix;

  throw new MissingCommandError(
    "nix",
    "install Nix (see https://nixos.org/download) and open a new shell; " +
      "`npm run verify` checks the nginx side without Nix",
  );
}

export async function checkKvm(device: string): Promise<void> {
  try {
    await access(device, constants.F_OK);
  } catch {
    throw new EnvironmentError(
      `KVM is not available: ${device} does not exist`,
      "enable hardware virtualization (VT-x or AMD-V) in the firmware and load the kvm_intel " +
        "or kvm_amd module; inside a VM, enable nested virtualization",
    );
  }

  try {
    await access(device, constants.R_OK | constants.W_OK);
  } catch {
    throw new EnvironmentError(
      `KVM is not usable: ${device} is not readable and writable by this user`,
      `add the user to the group that owns ${device} (usually kvm) and log in again`,
    );
  }
}

/** Parses the JSON of `nix config show --json` and returns the system features. */
export function parseSystemFeatures(json: string): string[] {
  const config = JSON.parse(json) as Record<string, { value?: unknown } | undefined>;
  const value = config["system-features"]?.value;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean);
  return [];
}

export function checkSystemFeatures(features: readonly string[]): void {
  const missing = requiredFeatures.filter((feature) => !features.includes(feature));
  if (missing.length === 0) return;

  throw new EnvironmentError(
    `nix lacks the system features ${missing.join(", ")} (it has: ${features.join(", ") || "none"})`,
    "add `system-features = nixos-test benchmark big-parallel kvm` to /etc/nix/nix.conf " +
      "(on NixOS: nix.settings.system-features) and restart nix-daemon",
  );
}
