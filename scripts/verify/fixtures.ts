/**
 * The files nginx serves from disk in a verify run: a web root standing in
 * for Frigate's UI build, and the state and cache directories with one file
 * of each kind the media locations serve.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface VerifyDirectories {
  root: string;
  webRoot: string;
  stateDir: string;
  cacheDir: string;
  nginxPrefix: string;
}

export async function createVerifyDirectories(root: string): Promise<VerifyDirectories> {
  const directories: VerifyDirectories = {
    root,
    webRoot: path.join(root, "web"),
    stateDir: path.join(root, "state"),
    cacheDir: path.join(root, "cache"),
    nginxPrefix: path.join(root, "nginx"),
  };

  const files: Record<string, string> = {
    [path.join(directories.webRoot, "index.html")]: "<!doctype html><title>Frigate</title>\n",
    [path.join(directories.webRoot, "assets/index.js")]: "console.log('frigate');\n",
    [path.join(directories.webRoot, "site.webmanifest")]: "{}\n",
    [path.join(directories.stateDir, "clips/front-1700000000.0-abc.jpg")]: "jpeg\n",
    [path.join(directories.stateDir, "recordings/2026-12-04/front.mp4")]: "mp4\n",
    [path.join(directories.stateDir, "exports/front_export.mp4")]: "mp4\n",
    [path.join(directories.cacheDir, "stream/birdseye/master.m3u8")]: "#EXTM3U\n",
  };

  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  await mkdir(directories.nginxPrefix, { recursive: true });

  return directories;
}
