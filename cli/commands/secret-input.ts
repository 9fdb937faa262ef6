// The value of `skein secret set NAME`, read from standard input and never from the command line, where it would
// land in shell history and in `ps`: typed at a prompt that does not echo it, or piped by a script
// (`printf %s "$TOKEN" | skein secret set NAME`; one trailing newline is dropped, as `echo` adds it).

export async function readSecretValue(name: string): Promise<string> {
  const value = process.stdin.isTTY ? await promptHidden(`Value of secret '${name}': `) : await readPiped();
  if (value === "") throw new Error(`No value given for secret '${name}' on standard input`);
  return value;
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** One line from the terminal in raw mode, so the characters typed are not shown. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  let value = "";
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (typed: string) => {
      for (const character of typed) {
        if (character === "\r" || character === "\n" || character === "\u0004") return finish();
        if (character === "\u0003") return finish(new Error("Cancelled"));
        if (character === "\u007f" || character === "\b") value = value.slice(0, -1);
        else value += character;
      }
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}
