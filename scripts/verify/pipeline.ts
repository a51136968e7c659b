/**
 * One verify run: evaluate the generator with real Nix, render nginx.conf by
 * the NixOS rules, start real nginx and the stand-ins on loopback, run the
 * HTTP checks, and stop everything it started.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { runCommand } from "../lib/exec.ts";
import { log, type Logger } from "../lib/log.ts";
import { evaluateVhost, type GeneratedVhost, type GeneratorInput } from "../nix/evaluate.ts";
import { renderNginxConfig } from "../nginx/render.ts";
import {
  checkNginxConfig,
  findNginx,
  freePort,
  nginxCapabilities,
  startNginx,
  writeNginxFiles,
  type RunningNginx,
} from "../nginx/process.ts";
import {
  neutraliseDirectives,
  prefixEnvironment,
  type NeutralisedDirective,
} from "../nginx/runtime.ts";
import type { NginxConfig } from "../nginx/types.ts";
import { startStandIns, type StandInSet } from "../standins/backends.ts";
import { loadCases, parseNginxSize, type CaseFile } from "./cases.ts";
import { createVerifyDirectories } from "./fixtures.ts";
import { runMatrix, type MatrixEnvironment, type ProbeResult } from "./matrix.ts";
import { summarise, type VerifyReport } from "./report.ts";
import type { Scenario } from "./scenarios/index.ts";

export const hostname = "frigate.example.com";

/** The portal the Authelia stand-in sends browsers to; the Authelia scenario expects it. */
export const autheliaPortal = "https://auth.example.com";

export interface VerifyOptions {
  scenario: Scenario;
  logger?: Logger;
  /** Changes the generated vhost before rendering (the tests' broken variants). */
  mutate?: (vhost: GeneratedVhost) => GeneratedVhost;
  /** Only run these check ids. */
  only?: string[];
  /** Keep the temporary prefix for inspection. */
  keep?: boolean;
  cases?: CaseFile;
  onResult?: (result: ProbeResult, index: number, total: number) => void;
}

/**
 * Replaces scheme, host and port of the user's auth URL with the stand-in's,
 * keeping the rest byte for byte. The URL has already passed the generator's
 * own validation, so it has the scheme://authority/path shape.
 */
export function redirectAuthUrl(url: string | null | undefined, standInUrl: string): string | null {
  if (!url) return null;

  const match = /^https?:\/\/[^/]+(.*)$/s.exec(url);
  return `${standInUrl}${match?.[1] ?? ""}`;
}

/** A self-signed certificate for the main listener, as files in the nginx prefix. */
export interface TestCertificate {
  certificate: string;
  key: string;
}

/**
 * Creates a throwaway certificate for frigate.example.com. The main listener
 * speaks TLS because forward-auth servers build the return URL from
 * X-Original-URL, which carries nginx's $scheme, and Authelia rejects targets
 * that are not https.
 */
export async function createTestCertificate(
  directory: string,
  logger: Logger,
): Promise<TestCertificate> {
  const certificate = path.join(directory, "frigate.example.com.crt");
  const key = path.join(directory, "frigate.example.com.key");
  await runCommand(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${hostname}`,
      "-keyout",
      key,
      "-out",
      certificate,
    ],
    { logger, quiet: true, hint: "install openssl (Debian: apt-get install openssl)" },
  );
  return { certificate, key };
}

/** Builds the services.nginx values around the generated vhost, as the stock Frigate module sets them. */
export function buildNginxConfig(
  generated: GeneratedVhost,
  listenPort: number,
  tls?: TestCertificate,
): NginxConfig {
  return {
    recommendedProxySettings: true,
    recommendedGzipSettings: true,
    clientMaxBodySize: "10m",
    mapHashBucketSize: 128,
    upstreams: generated.upstreams,
    proxyCachePath: generated.proxyCachePath,
    appendHttpConfig: generated.appendHttpConfig,
    appendConfig: "",
    virtualHosts: {
      [hostname]: {
        listen: [{ addr: "127.0.0.1", port: listenPort, ssl: tls !== undefined }],
        // NixOS writes these from the vhost's sslCertificate options.
        extraConfig:
          (tls ? `ssl_certificate ${tls.certificate};\nssl_certificate_key ${tls.key};\n` : "") +
          generated.virtualHost.extraConfig,
        locations: generated.virtualHost.locations,
      },
    },
  };
}

function clientMaxBodySizeOf(generated: GeneratedVhost): number {
  const match = /^\s*client_max_body_size\s+(\S+);/m.exec(generated.virtualHost.extraConfig);
  return parseNginxSize(match?.[1] ?? "10m");
}

export interface VerifyEnvironment {
  matrix: MatrixEnvironment;
  generated: GeneratedVhost;
  neutralised: NeutralisedDirective[];
  /** The temporary directory with nginx's prefix, web root and media files. */
  root: string;
  /** Stops nginx and every stand-in, and removes the temporary directory unless kept. */
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  scenario: Scenario;
  logger?: Logger;
  mutate?: (vhost: GeneratedVhost) => GeneratedVhost;
  keep?: boolean;
}

/** Starts the stand-ins and nginx with the generated vhost; the caller must call stop(). */
export async function startVerifyEnvironment(
  options: EnvironmentOptions,
): Promise<VerifyEnvironment> {
  const logger = options.logger ?? log;
  const { scenario } = options;
  const root = await mkdtemp(path.join(os.tmpdir(), "frigate-auth-verify-"));

  let standIns: StandInSet | undefined;
  let nginx: RunningNginx | undefined;
  const stop = async () => {
    await nginx?.stop();
    await standIns?.stopAll();
    if (!options.keep) await rm(root, { recursive: true, force: true });
  };

  try {
    const directories = await createVerifyDirectories(root);
    const nginxBinary = await findNginx();
    const listenPort = await freePort();
    const internalPort = await freePort();

    // The user's own values first, so that an invalid one is reported as
    // written, before any address in it is replaced by a stand-in's.
    logger.info("evaluating nixos/lib/vhost.nix with nix-instantiate");
    await evaluateVhost({ nginx: { ...scenario.nginx }, settings: scenario.settings });

    logger.info(`starting stand-ins for ${scenario.title}`);
    standIns = await startStandIns(scenario, { internalPort, autheliaPortal });

    const authRequestUrl =
      scenario.backend === "frigate"
        ? null
        : redirectAuthUrl(scenario.nginx.authRequestUrl, standIns.auth.url);
    const input: GeneratorInput = {
      nginx: { ...scenario.nginx, authRequestUrl },
      settings: scenario.settings,
      webRoot: directories.webRoot,
      stateDir: directories.stateDir,
      cacheDir: directories.cacheDir,
      ports: {
        api: standIns.frigateApi.port,
        mqttWebsocket: standIns.mqttWebsocket.port,
        jsmpeg: standIns.jsmpeg.port,
        go2rtc: standIns.go2rtc.port,
        internal: internalPort,
      },
    };

    let generated = await evaluateVhost(input);
    if (options.mutate) generated = options.mutate(generated);

    const environment = prefixEnvironment(directories.nginxPrefix);
    const tls = await createTestCertificate(directories.nginxPrefix, logger);
    const rendered = renderNginxConfig(buildNginxConfig(generated, listenPort, tls), environment);
    const capabilities = await nginxCapabilities(nginxBinary, logger);
    const { text, neutralised } = neutraliseDirectives(rendered.main, capabilities);
    reportNeutralised(logger, neutralised);

    const files = await writeNginxFiles(directories.nginxPrefix, text, rendered.files);
    await checkNginxConfig(nginxBinary, files, logger);
    nginx = await startNginx(nginxBinary, files, [listenPort, internalPort], { logger });
    logger.info(`nginx is listening on 127.0.0.1:${listenPort} and 127.0.0.1:${internalPort}`);

    const set = standIns;
    const matrix: MatrixEnvironment = {
      scenario,
      mode: generated.meta.external ? "sso" : "frigate",
      port: listenPort,
      internalPort,
      clientMaxBodySize: clientMaxBodySizeOf(generated),
      authTimeoutSeconds: scenario.nginx.authRequestTimeout ?? 10,
      upstreams: {
        "frigate-api": set.frigateApi,
        go2rtc: set.go2rtc,
        "mqtt-ws": set.mqttWebsocket,
        jsmpeg: set.jsmpeg,
      },
      authServer: set.auth,
      sessionHeaders: set.sessionHeaders,
      setAuthDelay: (milliseconds) => {
        set.auth.setFault({ delayMs: milliseconds });
      },
      stopAuthServer: () => set.auth.stop(),
    };

    return { matrix, generated, neutralised, root, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface VerifyRun {
  report: VerifyReport;
  prefix: string;
}

export async function runVerify(options: VerifyOptions): Promise<VerifyRun> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const cases = options.cases ?? (await loadCases());
  const environment = await startVerifyEnvironment(options);

  try {
    const results = await runMatrix(environment.matrix, cases, {
      only: options.only,
      onResult: options.onResult,
    });

    const report = summarise({
      backend: options.scenario.backend,
      title: options.scenario.title,
      startedAt,
      seconds: (performance.now() - started) / 1000,
      neutralised: environment.neutralised.map(({ directive, context }) => ({
        directive,
        context,
      })),
      results,
    });
    return { report, prefix: environment.root };
  } finally {
    await environment.stop();
  }
}

function reportNeutralised(logger: Logger, neutralised: NeutralisedDirective[]): void {
  if (neutralised.length === 0) return;

  logger.warn(
    `${neutralised.length} directive(s) need nginx modules this nginx lacks and were neutralised (commented out):`,
  );
  for (const entry of neutralised) {
    logger.info(`  ${entry.line}  (${entry.context}: ${entry.reason})`);
  }
}
