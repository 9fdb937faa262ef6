// The heartbeat thread (see heartbeat-thread.ts): every HEARTBEAT_MS it heartbeats the flow runs the main thread
// last named, through its own store connection, whatever the main thread is doing. The store's code loads only at
// the first beat, so a short run never pays for it here.
import { parentPort, type MessagePort } from "node:worker_threads";
import { skeinHome } from "../client/home.ts";
import type { Store } from "../store/types.ts";
import { HEARTBEAT_MS, type HeartbeatMessage } from "./heartbeat-thread.ts";

const port: MessagePort = parentPort!;
let flowRunIds: string[] = [];
let store: Promise<Store> | undefined;
let beating = false;

port.on("message", (message: HeartbeatMessage) => {
  flowRunIds = message.flowRunIds;
});

async function beat(): Promise<void> {
  if (flowRunIds.length === 0 || beating) return;
  beating = true;
  try {
    store ??= import("../store/open-store.ts").then(({ openStore }) => openStore(skeinHome()));
    await (await store).heartbeat(flowRunIds);
  } catch {
    // A missed beat is retried at the next one; the staleness window spans several.
  } finally {
    beating = false;
  }
}

setInterval(() => void beat(), HEARTBEAT_MS);
