// The import rule between process folders (docs/architecture.md, "The import rule"), checked by `npm test`:
//   protocol <- client <- store <- engine | server | worker <- cli
//   extension and language-server import only protocol and client; webview imports only protocol.
// Each rule is named after what it forbids, so a wrong import fails CI with a message that names the rule.
const layer = (folder) => `^${folder}/`;
const only = (folder, allowed, comment) => ({
  name: `${folder}-imports-only-${allowed.length ? allowed.join("-") : "itself"}`,
  comment,
  severity: "error",
  from: { path: layer(folder) },
  to: {
    path: "^(protocol|client|store|engine|server|worker|cli|extension|language-server|webview)/",
    pathNot: [layer(folder), ...allowed.map(layer)],
  },
});

module.exports = {
  forbidden: [
    only("protocol", [], "protocol/ holds the types every boundary shares: it depends on no process folder."),
    only(
      "client",
      ["protocol"],
      "The API client is used by the extension and the language server: no store or server code.",
    ),
    only("store", ["protocol", "client"], "Stores sit below the engine and the server, which both use them."),
    only(
      "engine",
      ["protocol", "client", "store"],
      "The engine is the library users import: no server, worker or CLI code.",
    ),
    only(
      "server",
      ["protocol", "client", "store"],
      "The server runs without the engine library and never imports the CLI.",
    ),
    only(
      "worker",
      ["protocol", "client", "store"],
      "Workers start runs as processes; they do not import the engine library.",
    ),
    {
      ...only(
        "cli",
        ["protocol", "client", "store", "engine", "server", "worker"],
        "The CLI sits on top of everything but the editor.",
      ),
      // One deliberate reuse: `skein run` derives parameter schemas with the language server's pure analysis
      // (no editor code), so the CLI enforces exactly the schema the editor shows.
      from: { path: layer("cli"), pathNot: "^cli/parameter-schemas\\.ts$" },
    },
    only(
      "extension",
      ["protocol", "client"],
      "The extension talks to runs, the server and the language server through protocol/ and client/ only.",
    ),
    only(
      "language-server",
      ["protocol", "client"],
      "The language server analyses code; it never imports the engine, stores or server.",
    ),
    only("webview", ["protocol"], "The webview runs in a browser sandbox and shares only protocol/ types."),
    {
      name: "no-import-cycles",
      comment:
        "A runtime cycle makes load order matter and hides which part depends on which (type-only imports vanish at run time).",
      severity: "error",
      from: { path: "^(protocol|client|store|engine|server|worker|cli|extension|language-server|webview)/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-test-code-in-product",
      severity: "error",
      from: { path: "^(protocol|client|store|engine|server|worker|cli|extension|language-server|webview)/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".mjs", ".js", ".json"] },
  },
};
