// Offsets → LSP positions with the editor's idea of a line break (\r\n, \r or \n). yaml's LineCounter is not
// used for this: it only learns line starts from tokens it lexes, and misses them inside error tokens.
// Shared by the skein.yaml model (protocol/skein-yaml/document.ts) and the language server's source ranges.

/** An LSP position: 0-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.starts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    // An offset inside a \r\n pair belongs to the end of its line.
    const lineEnd =
      low + 1 < this.starts.length
        ? this.starts[low + 1] -
          (this.text[this.starts[low + 1] - 2] === "\r" && this.text[this.starts[low + 1] - 1] === "\n" ? 2 : 1)
        : this.text.length;
    return { line: low, character: Math.min(clamped, lineEnd) - this.starts[low] };
  }
}
