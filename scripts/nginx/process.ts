/**
 * Checks and runs real nginx on loopback under a temporary prefix.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

import { CommandFailedError, exitCodes, MissingCommandError, ToolkitError } from "../lib/errors.ts";
import { findExecutable, formatCommand, runCommand } from "../lib/exec.ts";
import { log, type Logger } from "../lib/log.ts";
import { parseCapabilities, type NginxCapabilities } from "./runtime.ts";

const installHint = "install nginx (Debian: apt-get install nginx) or put it on PATH";

/** Finds nginx on PATH or in /usr/sbin, where Debian installs it. */
export async function findNginx(): Promise<string> {
  const found =
    (await findExecutable("nginx")) ?? (await findExecutable("nginx", "/usr/sbin:/usr/local/sbin"));
  if (found === undefined) throw new MissingCommandError("nginx", installHint);
  return found;
}

export async function nginxCapabilities(
  nginx: string,
  logger: Logger = log,
): Promise<NginxCapabilities> {
  const { stderr, stdout } = await runCommand(nginx, ["-V"], { quiet: true, logger });
  return parseCapabilities(stderr + stdout);
}

export interface NginxFiles {
  prefix: string;
  configFile: string;
}

/** Writes nginx.conf and its included files into the prefix and creates the temp directories. */
export async function writeNginxFiles(
  prefix: string,
  main: string,
  files: Record<string, string>,
): Promise<NginxFiles> {
  for (const name of [
    "temp/client_body",
    "temp/proxy",
    "temp/fastcgi",
    "temp/uwsgi",
    "temp/scgi",
    "cache",
    "logs",
  ]) {
    await mkdir(path.join(prefix, name), { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.isAbsolute(name) ? name : path.join(prefix, name), text);
  }

  const configFile = path.join(prefix, "nginx.conf");
  await writeFile(configFile, main);
  return { prefix, configFile };
}

/** Runs `nginx -t`; a rejected configuration becomes an error carrying nginx's message. */
export async function checkNginxConfig(
  nginx: string,
  files: NginxFiles,
  logger: Logger = log,
): Promise<void> {
  try {
    await runCommand(
      nginx,
      ["-t", "-q", "-p", files.prefix, "-c", files.configFile, "-e", "stderr"],
      { errorCode: "E_NGINX", logger },
    );
  } catch (error) {
    if (error instanceof CommandFailedError) {
      throw new ToolkitError(
        "E_NGINX",
        `nginx rejected ${files.configFile}:\n${error.stderr.trim()}`,
        {
          hint: "the generated configuration is invalid for this nginx; rerun verify with --keep to inspect it",
          cause: error,
          exitCode: exitCodes.environment,
        },
      );
    }
    throw error;
  }
}

export interface RunningNginx {
  process: ChildProcess;
  errorLog: string;
  stop(): Promise<void>;
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts nginx in the foreground and waits until every port accepts connections. */
export async function startNginx(
  nginx: string,
  files: NginxFiles,
  ports: number[],
  options: { timeoutMs?: number; logger?: Logger } = {},
): Promise<RunningNginx> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const args = ["-p", files.prefix, "-c", files.configFile, "-e", "stderr"];
  (options.logger ?? log).command(formatCommand(nginx, args));

  const child = spawn(nginx, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;

    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new ToolkitError(
        "E_NGINX",
        `nginx exited with code ${child.exitCode} on start:\n${stderr.trim()}`,
        {
          hint: "another process may be using one of the ports, or the configuration refers to a missing file",
          exitCode: exitCodes.environment,
        },
      );
    }

    const ready = await Promise.all(ports.map(portAccepts));
    if (ready.every(Boolean)) break;

    if (Date.now() > deadline) {
      await stop();
      throw new ToolkitError(
        "E_TIMEOUT",
        `nginx did not listen on ${ports.join(", ")} within ${timeoutMs} ms`,
        { exitCode: exitCodes.environment },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return { process: child, errorLog: path.join(files.prefix, "error.log"), stop };
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
