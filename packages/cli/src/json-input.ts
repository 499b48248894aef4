import { readFile } from 'node:fs/promises';

/** App files are small; a larger input is almost surely the wrong file. */
export const inputBytesMax = 8 * 1024 * 1024;

/** Reads and parses JSON from a file, or from standard input when the name is "-". */
export async function readJsonInput(source: string): Promise<unknown> {
  const name = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${name}: ${(error as Error).message}`);
  }
  if (Buffer.byteLength(text) > inputBytesMax)
    throw new Error(`${name} is larger than ${inputBytesMax} bytes`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > inputBytesMax) throw new Error(`more than ${inputBytesMax} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
