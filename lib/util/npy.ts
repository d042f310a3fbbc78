// float32 arrays in NumPy's .npy format (format version 1.0), so that raw
// explanation maps can be read with numpy.load. Layout: the magic "\x93NUMPY",
// version bytes 1 0, a little-endian uint16 header length, then an ASCII
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (…), }
// padded with spaces and ending in '\n' so the data starts at a multiple of 64
// bytes, then the values, little-endian, C (row-major) order.
import { writeFileAtomic } from './atomic-write';
import * as fs from 'fs';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ALIGN = 64;

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

function shapeLiteral(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function checkShape(data: Float32Array, shape: readonly number[]): void {
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`npy: invalid shape [${shape.join(', ')}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${size} values, data has ${data.length}`);
}

/** The bytes of a .npy file holding `data` with the given shape. */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Buffer {
  checkShape(data, shape);
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const prefix = MAGIC.length + 2 + 2;
  const padded = Math.ceil((prefix + dict.length + 1) / ALIGN) * ALIGN;
  const header = dict + ' '.repeat(padded - prefix - dict.length - 1) + '\n';
  if (header.length > 0xffff) throw new Error('npy: header too long for format 1.0');
  const out = Buffer.alloc(prefix + header.length + data.length * 4);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  const body = prefix + header.length;
  for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i], body + 4 * i);
  return out;
}

/** Parses a .npy file of little-endian float32 in C order (format 1.0, 2.0 or 3.0). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new Error('npy: not a .npy file (bad magic)');
  const major = buf[6];
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = buf.readUInt32LE(8);
    start = 12;
  } else {
    throw new Error(`npy: unsupported format version ${major}.${buf[7]}`);
  }
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLength);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`npy: malformed header ${JSON.stringify(header)}`);
  if (descr !== '<f4') throw new Error(`npy: only little-endian float32 ('<f4') is supported, got '${descr}'`);
  if (fortran !== 'False') throw new Error('npy: Fortran-order arrays are not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const body = start + headerLength;
  if (buf.length < body + 4 * size) throw new Error(`npy: file holds ${(buf.length - body) / 4} values, shape needs ${size}`);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = buf.readFloatLE(body + 4 * i);
  return { data, shape };
}

/** Writes a float32 .npy file (atomically). */
export function writeNpy(file: string, data: Float32Array, shape: readonly number[]): void {
  writeFileAtomic(file, encodeNpy(data, shape));
}

export function readNpy(file: string): NpyArray {
  return decodeNpy(fs.readFileSync(file));
}
