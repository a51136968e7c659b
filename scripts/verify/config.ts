/**
 * Loads the scenario verify runs: a bundled one by backend name, or the
 * user's own settings from --config (JSON, a Nix expression, or a TypeScript
 * or JavaScript module with a default export).
 */
import { access } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { FrigateNginxOptions } from "../generated/options.ts";
import { ConfigError, UsageError } from "../lib/errors.ts";
import { runCommand } from "../lib/exec.ts";
import { readFile } from "node:fs/promises";
import { expectedRole } from "./roles.ts";
import {
  backendNames,
  bundledScenarios,
  type BackendName,
  type Scenario,
  type ScenarioUser,
} from "./scenarios/index.ts";

/** The shape of a --config file. */
export interface VerifyConfig {
  /** Stand-in auth server to run; --backend overrides it. */
  backend?: BackendName;
  title?: string;
  /** Values of services.frigate.nginx. */
  nginx: FrigateNginxOptions;
  /** services.frigate.settings (only auth.roles is read). */
  settings?: Record<string, unknown>;
  /** Users of the stand-in auth server; the backend's bundled users by default. */
  users?: { admin: Omit<ScenarioUser, "expectedRole">; viewer: Omit<ScenarioUser, "expectedRole"> };
}

export function parseBackend(value: string): BackendName {
  if ((backendNames as readonly string[]).includes(value)) return value as BackendName;

  throw new UsageError(`invalid --backend "${value}"`, {
    hint: `use one of: ${backendNames.join(", ")}`,
  });
}

async function readConfigFile(file: string): Promise<unknown> {
  const extension = path.extname(file);

  if (extension === ".json") {
    try {
      return JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`cannot parse ${file} as JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  if (extension === ".nix") {
    const { stdout } = await runCommand("nix-instantiate", ["--eval", "--strict", "--json", file], {
      errorCode: "E_NIX_EVAL",
      hint: `${file} must evaluate to an attribute set { backend = "…"; nginx = { … }; }`,
    });
    return JSON.parse(stdout);
  }

  if ([".ts", ".mts", ".js", ".mjs"].includes(extension)) {
    const module = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: unknown };
    if (module.default === undefined) {
      throw new ConfigError(`${file} has no default export`, {
        hint: 'export the configuration: `export default { backend: "authelia", nginx: { … } } satisfies VerifyConfig;`',
      });
    }
    return module.default;
  }

  throw new UsageError(`unsupported --config file type "${extension || "(none)"}" for ${file}`, {
    hint: "use a .json, .nix, .ts or .js file",
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Builds a Scenario from a --config file, with expected roles computed from its options. */
export async function loadConfigScenario(
  file: string,
  backendOverride: BackendName | undefined,
): Promise<Scenario> {
  try {
    await access(file);
  } catch {
    throw new UsageError(`--config file not found: ${file}`, {
      hint: "pass the path of a .json, .nix or .ts file",
    });
  }

  const raw = await readConfigFile(file);
  if (!isRecord(raw) || !isRecord(raw["nginx"])) {
    throw new ConfigError(
      `${file} must contain an object with an "nginx" object (the values of services.frigate.nginx)`,
    );
  }

  const knownKeys = ["backend", "title", "nginx", "settings", "users"];
  const unknownKeys = Object.keys(raw).filter((key) => !knownKeys.includes(key));
  if (unknownKeys.length > 0) {
    throw new ConfigError(
      `${file} has unknown key(s) ${unknownKeys.map((key) => `"${key}"`).join(", ")}`,
      {
        hint: `use only ${knownKeys.join(", ")}`,
      },
    );
  }
  if (raw["users"] !== undefined) validateUsers(file, raw["users"]);

  const config = raw as unknown as VerifyConfig;
  const backend = backendOverride ?? (config.backend ? parseBackend(config.backend) : undefined);
  if (backend === undefined) {
    throw new UsageError(`${file} names no backend`, {
      hint: `add "backend" to the file or pass --backend (one of: ${backendNames.join(", ")})`,
    });
  }

  const base = bundledScenarios[backend];
  const customRoles = Object.keys(
    (isRecord(config.settings?.["auth"]) &&
    isRecord((config.settings["auth"] as Record<string, unknown>)["roles"])
      ? (config.settings["auth"] as { roles: Record<string, unknown> }).roles
      : {}) as Record<string, unknown>,
  );
  const users = config.users ?? base.users;
  const withRole = (user: Omit<ScenarioUser, "expectedRole">): ScenarioUser => ({
    ...user,
    expectedRole: expectedRole(config.nginx, { groups: user.groups }, customRoles),
  });

  return {
    backend,
    title: config.title ?? `${path.basename(file)} (${backend})`,
    nginx: config.nginx,
    settings: config.settings,
    users: { admin: withRole(users.admin), viewer: withRole(users.viewer) },
    signInPrefix: signInPrefixFor(backend, config.nginx, base),
  };
}

/** The Location prefix a request without a session must be sent to. */
export function signInPrefixFor(
  backend: BackendName,
  nginx: FrigateNginxOptions,
  base: Scenario,
): string | null {
  if (nginx.signInUrl) return `${nginx.signInUrl}${nginx.signInUrl.includes("?") ? "&" : "?"}rd=`;
  if (backend === "frigate" || !nginx.authRequestUrl) return null;
  return base.signInPrefix;
}

const userStringFields = ["session", "subject", "username", "email", "name"] as const;

/** Checks the optional `users` of a --config file, naming the first invalid field. */
function validateUsers(file: string, users: unknown): void {
  const hint =
    "give both users, each as { session, subject, username, email, name: strings; groups: list of strings }";
  if (!isRecord(users)) throw new ConfigError(`${file}: "users" must be an object`, { hint });

  for (const role of ["admin", "viewer"]) {
    const user = users[role];
    if (!isRecord(user))
      throw new ConfigError(`${file}: users.${role} is missing or not an object`, { hint });

    for (const field of userStringFields) {
      if (typeof user[field] !== "string") {
        throw new ConfigError(
          `${file}: users.${role}.${field} must be a string, got ${JSON.stringify(user[field])}`,
          {
            hint,
          },
        );
      }
    }
    const groups = user["groups"];
    if (!Array.isArray(groups) || !groups.every((group) => typeof group === "string")) {
      throw new ConfigError(
        `${file}: users.${role}.groups must be a list of strings, got ${JSON.stringify(groups)}`,
        {
          hint,
        },
      );
    }
    const unknown = Object.keys(user).filter(
      (key) => key !== "groups" && !(userStringFields as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new ConfigError(
        `${file}: users.${role} has unknown key(s) ${unknown.map((key) => `"${key}"`).join(", ")}`,
        {
          hint,
        },
      );
    }
  }
}
