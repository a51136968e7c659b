/**
 * The toolkit's one logger. Diagnostics and progress go to stderr, results to
 * stdout; colour only when the stream is a TTY and NO_COLOR is unset.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  stderr?: Stream;
  stdout?: Stream;
  color?: boolean;
}

const codes = {
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  bold: [1, 22],
} as const;

export type Colour = keyof typeof codes;

export class Logger {
  level: LogLevel;
  readonly color: boolean;
  private readonly stderr: Stream;
  private readonly stdout: Stream;

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? "info";
    this.stderr = options.stderr ?? process.stderr;
    this.stdout = options.stdout ?? process.stdout;
    this.color =
      options.color ?? (Boolean(this.stderr.isTTY) && process.env["NO_COLOR"] === undefined);
  }

  paint(colour: Colour, text: string): string {
    if (!this.color) return text;

    const [open, close] = codes[colour];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  }

  debug(message: string): void {
    this.emit("debug", this.paint("dim", message));
  }

  info(message: string): void {
    this.emit("info", message);
  }

  warn(message: string): void {
    this.emit("warn", `${this.paint("yellow", "warning:")} ${message}`);
  }

  error(message: string): void {
    this.emit("error", `${this.paint("red", "error:")} ${message}`);
  }

  /** Echoes an external command before it runs, as `$ cmd args`. */
  command(line: string): void {
    this.emit("info", this.paint("dim", `$ ${line}`));
  }

  /** Writes a result line to stdout, whatever the level. */
  result(text: string): void {
    this.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  private emit(level: LogLevel, text: string): void {
    if (levelRank[level] < levelRank[this.level]) return;

    this.stderr.write(`${text}\n`);
  }
}

/** The process-wide logger; commands raise its level with --verbose or lower it with --quiet. */
export const log = new Logger();
