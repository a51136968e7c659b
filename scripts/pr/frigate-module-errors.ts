import { exitCodes, ToolkitError } from "../lib/errors.ts";

/** Raised when a file no longer has the shape an anchor of the edit expects. */
export class AnchorError extends ToolkitError {
  constructor(anchor: string, location: string, detail: string) {
    super("E_UNSUPPORTED_UPSTREAM", `anchor ${anchor} at ${location}: ${detail}`, {
      hint:
        "the file changed in a way this tool cannot edit; update scripts/pr/ " +
        "or apply the change by hand",
      exitCode: exitCodes.checksFailed,
    });
  }
}
