/**
 * Loads nixos/tests/http-cases.json, the HTTP checks shared with the NixOS VM
 * tests, and expands them into concrete probes for one scenario.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { ConfigError } from "../lib/errors.ts";
import { repositoryRoot } from "../nix/evaluate.ts";

export const casesFile = path.join(repositoryRoot, "nixos/tests/http-cases.json");

export type PathKind = "ui" | "public" | "api" | "media" | "websocket" | "signout";
export type UpstreamName = "static" | "frigate-api" | "go2rtc" | "mqtt-ws" | "jsmpeg";
export type Mode = "sso" | "frigate";
export type SessionName = "none" | "admin" | "viewer" | "sequence";
export type IdentityExpectation = "admin" | "viewer" | "internal" | "none" | "each";

export interface CasePath {
  path: string;
  kind: PathKind;
  upstream: UpstreamName;
  vm: boolean;
  /** Method for checks that name none (a POST-only location); GET by default. */
  method?: string;
}

export interface CaseCheck {
  id: string;
  title: string;
  modes?: Mode[];
  kinds: PathKind[];
  only?: string[];
  request: {
    session: SessionName;
    sequence?: ("admin" | "viewer")[];
    headers?: Record<string, string>;
    websocket?: boolean;
    internal?: boolean;
    methods?: string[];
    bodyBytes?: (number | string)[];
  };
  expect: {
    status: number[];
    location?: "sign-in" | "sign-out" | "absent";
    upstreamReached?: boolean;
    identity?: IdentityExpectation;
    absentHeaders?: string[];
    maxSeconds?: number;
    authServerBody?: number;
    upstreamBodyIntact?: boolean;
  };
}

export interface CaseFile {
  version: 1;
  paths: CasePath[];
  checks: CaseCheck[];
}

/** One request to make: a check applied to a path, with a method and body size. */
export interface Probe {
  check: CaseCheck;
  path: CasePath;
  method: string;
  bodyBytes: number;
  /** Label of the case column in the report, e.g. "POST 1 KiB". */
  label: string;
}

export async function loadCases(file: string = casesFile): Promise<CaseFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`cannot read the HTTP checks from ${file}`, {
      hint: "restore nixos/tests/http-cases.json from the repository",
      cause: error,
    });
  }

  const cases = parsed as Partial<CaseFile>;
  if (cases.version !== 1 || !Array.isArray(cases.paths) || !Array.isArray(cases.checks)) {
    throw new ConfigError(`${file} is not a version 1 case file with "paths" and "checks"`);
  }

  return cases as CaseFile;
}

/** Resolves a body size entry: a number of bytes, "clientMaxBodySize" or "clientMaxBodySize+N". */
export function resolveBodyBytes(entry: number | string, clientMaxBodySize: number): number {
  if (typeof entry === "number") return entry;

  const match = /^clientMaxBodySize(?:\+(\d+))?$/.exec(entry);
  if (match === null) {
    throw new ConfigError(`invalid bodyBytes entry "${entry}" in the HTTP checks`, {
      hint: 'use a number of bytes, "clientMaxBodySize" or "clientMaxBodySize+N"',
    });
  }

  return clientMaxBodySize + Number(match[1] ?? 0);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${bytes} B`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}

/** Expands the checks that apply in `mode` into probes, one per path, method and body size. */
export function expandProbes(cases: CaseFile, mode: Mode, clientMaxBodySize: number): Probe[] {
  const probes: Probe[] = [];

  for (const check of cases.checks) {
    if (check.modes !== undefined && !check.modes.includes(mode)) continue;

    const paths = cases.paths.filter(
      (entry) =>
        check.kinds.includes(entry.kind) &&
        (check.only === undefined || check.only.includes(entry.path)),
    );
    const sizes = (check.request.bodyBytes ?? [0]).map((entry) =>
      resolveBodyBytes(entry, clientMaxBodySize),
    );

    for (const entry of paths) {
      const methods = check.request.methods ?? [entry.method ?? "GET"];
      for (const method of methods) {
        for (const bodyBytes of sizes) {
          const withBody = check.request.bodyBytes !== undefined;
          probes.push({
            check,
            path: entry,
            method,
            bodyBytes,
            label: withBody ? `${method} ${formatBytes(bodyBytes)}` : check.id,
          });
        }
      }
    }
  }

  return probes;
}

/** Parses an nginx size ("20m", "512k", "1g", "100") into bytes. */
export function parseNginxSize(size: string): number {
  const match = /^(\d+)([kKmMgG]?)$/.exec(size.trim());
  if (match === null) throw new ConfigError(`invalid nginx size "${size}"`);

  const units: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  return Number(match[1]) * units[match[2]!.toLowerCase()]!;
}
