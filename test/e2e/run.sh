#!/usr/bin/env bash
# `npm run test:e2e`: Skein in a real VS Code, offline.
#  1. packages the extension (VSIX) and installs it into an isolated VS Code server (code-server's build);
#  2. runs the integration tests inside the real extension host against the development build;
#  3. drives the installed VSIX through the UI with headless Chromium (runs, explorer, deployments) and saves
#     screenshots in test-results/e2e/.
# VS Code gets its own HOME, XDG dirs and TMPDIR, runs in its own process group and is torn down with it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
T0=$(date +%s)
lap() { echo "[e2e +$(($(date +%s) - T0))s] $*"; }

command -v "${CHROMIUM_PATH:-/usr/bin/chromium}" > /dev/null || {
  echo "Debian's chromium is missing: apt-get install -y chromium" >&2
  exit 1
}
SERVER_MAIN=$(bash test/e2e/install-vscode.sh)
lap "VS Code server: $SERVER_MAIN"

OUT=$ROOT/test-results/e2e
rm -rf "$OUT" && mkdir -p "$OUT"
npm run -s package > "$OUT/package.log" 2>&1 || { cat "$OUT/package.log"; exit 1; }
cp dist/skein.vsix "$OUT/skein.vsix"
npm run -s build
# The `skein` module's types, for the workspaces' `node_modules/skein` below (the VSIX's build made them, but the
# development build above starts from an empty dist/).
node node_modules/typescript/bin/tsc -p tsconfig.types.json
lap "VSIX packaged ($(du -k "$OUT/skein.vsix" | cut -f1) KB) and development build ready"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/skein-e2e.XXXXXX")
mkdir -p "$RUN/home" "$RUN/tmp" "$RUN/user-data/User"
# Each phase gets its own copy of the workspace, so what one phase writes (skein.yaml) cannot steer the other.
for phase in tests ui; do
  mkdir -p "$RUN/workspace-$phase/examples" "$RUN/workspace-$phase/fixtures"
  cp examples/hello.ts "$RUN/workspace-$phase/examples/"
  cp test/e2e/fixtures/*.ts "$RUN/workspace-$phase/fixtures/"
  # Skein installed in the project as a user installs it (`npm link skein`), so the editor's TypeScript resolves
  # `import { flow } from "skein"` as in a real project (the engine runs flows with its own copy either way).
  mkdir -p "$RUN/workspace-$phase/node_modules"
  ln -s "$ROOT" "$RUN/workspace-$phase/node_modules/skein"
done
cp test/e2e/fixtures/skein.yaml "$RUN/workspace-ui/"
cat > "$RUN/user-data/User/settings.json" << 'EOF'
{
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "git.enabled": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
EOF

SERVER_PID=
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -- -"$SERVER_PID" 2> /dev/null || true
  for _ in $(seq 50); do pgrep -g "$SERVER_PID" > /dev/null || break; sleep 0.2; done
  kill -9 -- -"$SERVER_PID" 2> /dev/null || true
  SERVER_PID=
}
cleanup() {
  stop_server
  # The extension starts the SKEIN_HOME's local server detached (it outlives windows, as for users): stop it too.
  SKEIN_HOME="$RUN/home/.skein" node "$ROOT/dist/engine/cli.mjs" server stop > /dev/null 2>&1 || true
  rm -rf "$RUN"
}
trap cleanup EXIT

# Everything VS Code and the flows it runs write stays inside $RUN.
export HOME=$RUN/home TMPDIR=$RUN/tmp XDG_CONFIG_HOME=$RUN/home/.config XDG_DATA_HOME=$RUN/home/.local/share \
  XDG_CACHE_HOME=$RUN/home/.cache XDG_RUNTIME_DIR=$RUN/tmp SKEIN_HOME=$RUN/home/.skein
DIRS=(--user-data-dir "$RUN/user-data" --server-data-dir "$RUN/server-data" --extensions-dir "$RUN/extensions")
node "$SERVER_MAIN" "${DIRS[@]}" --install-extension "$OUT/skein.vsix" > "$OUT/install-extension.log" 2>&1 \
  || { cat "$OUT/install-extension.log"; exit 1; }

# Starts VS Code's server in its own process group (extra flags: $@) and sets PORT.
start_server() {
  PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  setsid node "$SERVER_MAIN" --host 127.0.0.1 --port "$PORT" --without-connection-token --accept-server-license-terms \
    --enable-smoke-test-driver --telemetry-level off "${DIRS[@]}" "$@" >> "$OUT/vscode-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  lap "VS Code server listening on 127.0.0.1:$PORT $*"
}

STATUS=0
# Trusted workspaces (trust off = every folder trusted): the extension's tests, then the installed VSIX via the UI.
start_server --disable-workspace-trust
node test/e2e/extension-host-tests.mjs "http://127.0.0.1:$PORT" "$RUN/workspace-tests" "$ROOT" "$OUT" || STATUS=1
lap "extension-host tests done (status $STATUS)"
node test/e2e/ui-smoke.mjs "http://127.0.0.1:$PORT" "$RUN/workspace-ui" "$OUT" || STATUS=1
lap "UI smoke done (status $STATUS)"
node test/e2e/explorer-smoke.mjs "http://127.0.0.1:$PORT" "$RUN/workspace-ui" "$OUT" "$ROOT" || STATUS=1
lap "run explorer smoke done (status $STATUS)"
node test/e2e/deployments-smoke.mjs "http://127.0.0.1:$PORT" "$RUN/workspace-ui" "$OUT" || STATUS=1
lap "deployments smoke done (status $STATUS)"
stop_server
# Workspace Trust on: a folder nobody trusted opens in Restricted Mode, where Skein must not run.
start_server
node test/e2e/untrusted-smoke.mjs "http://127.0.0.1:$PORT" "$RUN/workspace-ui" "$OUT" || STATUS=1
lap "untrusted-workspace check done (status $STATUS); screenshots in $OUT"
exit $STATUS
