/**
 * Evaluates the project's pure vhost generator (nixos/lib/vhost.nix) with the
 * real `nix-instantiate`, without nixpkgs.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

import { CommandFailedError, ConfigError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import type { NginxLocation, NginxProxyCachePath, NginxUpstream } from "../nginx/types.ts";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const generatorEntry = path.join(repositoryRoot, "nixos/lib/from-json.nix");

/** Ports of the services behind the vhost, as the generator's `ports` argument. */
export interface FrigatePorts {
  api?: number;
  mqttWebsocket?: number;
  jsmpeg?: number;
  go2rtc?: number;
  internal?: number;
}

/** The generator's input: option values of services.frigate.nginx and a few facts of the host. */
export interface GeneratorInput {
  nginx: Record<string, unknown>;
  settings?: Record<string, unknown>;
  webRoot?: string;
  stateDir?: string;
  cacheDir?: string;
  ports?: FrigatePorts;
}

/** The generator's output, in the shape of the NixOS services.nginx options. */
export interface GeneratedVhost {
  upstreams: Record<string, NginxUpstream>;
  proxyCachePath: Record<string, NginxProxyCachePath>;
  appendHttpConfig: string;
  virtualHost: {
    extraConfig: string;
    locations: Record<string, NginxLocation>;
  };
  meta: {
    external: boolean;
    roles: string[];
    protectedLocations: string[];
    publicLocations: string[];
  };
}

export interface EvaluateOptions {
  /** Another generator entry point (tests evaluate broken copies). */
  entry?: string;
  quiet?: boolean;
}

/**
 * Runs `nix-instantiate --eval --strict --json` on the generator. An evaluation
 * error (for example an invalid header name) becomes a ConfigError carrying
 * Nix's own message, which names the option and the value.
 */
export async function evaluateVhost(
  input: GeneratorInput,
  options: EvaluateOptions = {},
): Promise<GeneratedVhost> {
  const args = [
    "--eval",
    "--strict",
    "--json",
    options.entry ?? generatorEntry,
    "--argstr",
    "input",
    JSON.stringify(input),
  ];

  let stdout: string;
  try {
    ({ stdout } = await runCommand("nix-instantiate", args, {
      quiet: options.quiet ?? true,
      errorCode: "E_NIX_EVAL",
      hint: "install Nix (Debian: apt-get install nix-bin) and make sure nix-instantiate is on PATH",
    }));
  } catch (error) {
    if (error instanceof CommandFailedError) {
      throw new ConfigError(
        `the vhost generator rejected the configuration:\n${nixMessage(error.stderr)}`,
        {
          hint: "fix the option named in the message; the option docs list the allowed values",
          cause: error,
        },
      );
    }

    throw error;
  }

  return JSON.parse(stdout) as GeneratedVhost;
}

/** Extracts the `error: …` part of Nix's output, without the trace. */
export function nixMessage(stderr: string): string {
  const lines = stderr.trim().split("\n");
  const start = lines.findIndex((line) => /^\s*error:/.test(line));
  const relevant = start === -1 ? lines : lines.slice(start);
  return relevant.join("\n").trim();
}
