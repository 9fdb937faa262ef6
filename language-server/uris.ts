// file: URIs ↔ paths. Documents with other schemes (untitled:, git:) have no path and get no workspace features.
import { fileURLToPath, pathToFileURL } from "node:url";

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export const pathToUri = (file: string): string => pathToFileURL(file).href;
