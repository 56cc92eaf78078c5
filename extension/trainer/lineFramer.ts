/**
 * Splits a byte stream into lines. Chunks from a pipe end anywhere, often mid-line and mid-UTF-8
 * sequence, so bytes are decoded with a streaming decoder and the unfinished tail is held back.
 */
export class LineFramer {
  private readonly decoder = new TextDecoder('utf-8');
  private tail = '';

  /** Returns the complete lines in this chunk, without their line endings; blank lines are dropped. */
  push(chunk: Uint8Array | string): string[] {
    const text = this.tail + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map(trimCarriageReturn).filter((line) => line.length > 0);
  }

  /** Returns whatever was left without a final newline (a child that died mid-line). */
  flush(): string[] {
    const rest = trimCarriageReturn(this.tail + this.decoder.decode());
    this.tail = '';
    return rest.length > 0 ? [rest] : [];
  }
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
