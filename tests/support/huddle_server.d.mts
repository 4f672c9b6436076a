export declare const repoRoot: string;
export declare const serverBinary: string;
export interface RunningServer {
  origin: string;
  logs(): string;
  health(): Promise<Record<string, number | string>>;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}
export declare function startServer(args?: string[]): Promise<RunningServer>;
