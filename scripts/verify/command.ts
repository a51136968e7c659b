import { ToolkitError } from "../lib/errors.ts";

// TODO: replaced by the real command; until then the CLI reports it as missing.
export async function main(_argv: string[]): Promise<number> {
  throw new ToolkitError("E_INTERNAL", "the verify command is not built yet");
}
