import { parseNpy, type NpyArray } from './npy';
import { ZipReader } from './zip';

/**
 * A NumPy .npz archive: a zip of .npy members, read one array at a time so only the arrays asked for are
 * ever in memory. Arrays are named as numpy.load names them, without the .npy suffix.
 */
export class NpzReader {
  private constructor(private readonly zip: ZipReader) {}

  static async open(file: string): Promise<NpzReader> {
    return new NpzReader(await ZipReader.open(file));
  }

  get file(): string {
    return this.zip.file;
  }

  get names(): string[] {
    return [...this.zip.entries.keys()].filter((n) => n.endsWith('.npy')).map((n) => n.slice(0, -'.npy'.length));
  }

  /** The array's data is a view into the member's inflated bytes, so a uint8 array is never copied. */
  async array(name: string): Promise<NpyArray> {
    const entry = `${name}.npy`;
    return parseNpy(await this.zip.read(entry), `${this.file}, entry ${entry}`);
  }

  async close(): Promise<void> {
    await this.zip.close();
  }
}
