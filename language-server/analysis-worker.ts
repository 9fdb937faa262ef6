// Analysis of large files on a worker thread, so parsing them never holds up the connection. The worker runs
// the server's own entry module (process.argv[1]: the bundle, or server.ts under tsx, whose --import the
// worker inherits) and answers analysis requests; small files are cheaper to analyse in place.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { analyseSource } from "./discovery.ts";
import type { FileAnalysis } from "./model.ts";

const workerRole = "skein-analysis-worker";
/** A file that takes longer than this is given up on (the worker is restarted) rather than waited for. */
const analysisTimeoutMs = 30_000;
/** After this many worker crashes in a row, large files are analysed in place. */
const maxWorkerFailures = 3;

export const isAnalysisWorker = (): boolean =>
  !isMainThread && (workerData as { role?: string } | null)?.role === workerRole;

interface Request {
  id: number;
  file: string;
  text: string;
}

type Reply = { id: number; analysis: FileAnalysis } | { id: number; error: string };

/** The worker side: analyse whatever the server sends. */
export function serveAnalysisRequests(): void {
  parentPort!.on("message", ({ id, file, text }: Request) => {
    let reply: Reply;
    try {
      reply = { id, analysis: analyseSource(file, text) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply);
  });
}

/** Thrown when no worker can run; the caller analyses in place instead. */
export class WorkerUnavailable extends Error {}

export class AnalysisWorker {
  private worker?: Worker;
  private nextId = 1;
  private failures = 0;
  private readonly pending = new Map<
    number,
    { resolve: (analysis: FileAnalysis) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(private readonly entry: string) {}

  analyse(file: string, text: string): Promise<FileAnalysis> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.reject(new WorkerUnavailable("the analysis worker keeps failing"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`analysis took longer than ${analysisTimeoutMs / 1000} s`));
        this.restart();
      }, analysisTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, file, text } satisfies Request);
    });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.failures >= maxWorkerFailures) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(this.entry, { workerData: { role: workerRole } });
    } catch {
      this.failures = maxWorkerFailures; // cannot start here at all (say, execArgv a worker refuses): stay in place
      return undefined;
    }
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      clearTimeout(waiting.timer);
      this.failures = 0;
      if ("analysis" in reply) waiting.resolve(reply.analysis);
      else waiting.reject(new Error(reply.error));
    });
    worker.on("error", () => this.workerFailed(worker));
    worker.on("exit", () => this.workerFailed(worker));
    this.worker = worker;
    return worker;
  }

  private workerFailed(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failures++;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new WorkerUnavailable("the analysis worker stopped"));
      this.pending.delete(id);
    }
  }

  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}
