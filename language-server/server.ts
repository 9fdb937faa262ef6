// Entry point of Skein's language server (bundled to dist/language-server/server.js). The same module also runs
// as the worker thread that analyses large files, so the bundle stays a single file.
import { isAnalysisWorker, serveAnalysisRequests } from "./analysis-worker.ts";
import { startLanguageServer } from "./language-server.ts";

if (isAnalysisWorker()) serveAnalysisRequests();
else startLanguageServer();
