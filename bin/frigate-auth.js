#!/usr/bin/env node
// Loads the TypeScript command line through tsx, so the package runs without a build step.
import { register } from "tsx/esm/api";

register();
process.argv[1] = new URL("../scripts/cli.ts", import.meta.url).pathname;
await import("../scripts/cli.ts");
