import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from '../lib/util/npy';

const PYTHON = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { timeout: 30_000 }).status === 0;

function python(code: string): string {
  const run = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('npy: float32 arrays in NumPy format 1.0', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smile-lens-npy-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const data = Float32Array.from({ length: 12 }, (_, i) => (i - 5.5) / 3);

  it('writes the header the format specifies and reads the array back', () => {
    const bytes = encodeNpy(data, [3, 4]);
    assert.deepStrictEqual([...bytes.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY v1.0
    const headerLength = bytes.readUInt16LE(8);
    assert.strictEqual((10 + headerLength) % 64, 0, 'data aligned to 64 bytes');
    const header = bytes.toString('latin1', 10, 10 + headerLength);
    assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
    assert.strictEqual(bytes.length, 10 + headerLength + 48);
    assert.strictEqual(bytes.readFloatLE(10 + headerLength + 4), data[1]);
    const file = path.join(tmp, 'map.npy');
    writeNpy(file, data, [3, 4]);
    const back = readNpy(file);
    assert.deepStrictEqual(back.shape, [3, 4]);
    assert.deepStrictEqual(Array.from(back.data), Array.from(data));
    assert.deepStrictEqual(decodeNpy(encodeNpy(data.subarray(0, 5), [5])).shape, [5]);
    assert.match(encodeNpy(data.subarray(0, 5), [5]).toString('latin1', 10, 80), /'shape': \(5,\)/);
  });

  it('refuses what it cannot represent', () => {
    assert.throws(() => encodeNpy(data, [5, 2]), /holds 10 values, data has 12/);
    const bytes = encodeNpy(data, [12]);
    bytes.write("'<f8'", bytes.indexOf("'<f4'"), 'latin1');
    assert.throws(() => decodeNpy(bytes), /only little-endian float32/);
    assert.throws(() => decodeNpy(Buffer.from('not numpy at all')), /bad magic/);
  });

  it('is what numpy.save writes, and numpy.load reads it', function () {
    if (!hasNumpy) {
      console.log(`      (skipped: ${PYTHON} has no numpy)`);
      this.skip();
    }
    const file = path.join(tmp, 'from-ts.npy');
    writeNpy(file, data, [3, 4]);
    const loaded = JSON.parse(python(
      `import numpy as np, json; a = np.load(${JSON.stringify(file)}); print(json.dumps({'dtype': str(a.dtype), 'shape': a.shape, 'values': a.ravel().tolist()}))`,
    ));
    assert.strictEqual(loaded.dtype, 'float32');
    assert.deepStrictEqual(loaded.shape, [3, 4]);
    assert.deepStrictEqual(loaded.values, Array.from(data));
    const fromNumpy = path.join(tmp, 'from-numpy.npy');
    python(`import numpy as np; np.save(${JSON.stringify(fromNumpy)}, ((np.arange(12, dtype='<f4') - 5.5) / 3).reshape(3, 4))`);
    assert.ok(fs.readFileSync(fromNumpy).equals(fs.readFileSync(file)), 'byte-identical to numpy.save');
    assert.deepStrictEqual(Array.from(readNpy(fromNumpy).data), Array.from(data));
  });
});
