// The native convolution kernels build and load wherever their prerequisites
// are (a C++ compiler, Node's headers, AVX2 or AVX-512), and say why not
// elsewhere; their results are compared bit for bit in
// wasm-kernels-bit-identical.test.ts.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chooseBackend, describeBackend } from '../lib/backend/select';
import { nativeKernels } from '../lib/backend/native/native-kernels';

describe('native convolution kernels', function () {
  this.timeout(120_000);
  const compiler = spawnSync(process.env.CXX ?? 'g++', ['--version']).status === 0;
  const headers = [path.join(path.dirname(process.execPath), '..', 'include', 'node', 'node_api.h'), '/usr/include/node/node_api.h'].some((f) => fs.existsSync(f));
  const vectors = /\bavx(2|512f)\b/.test(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '');

  it('build and load where a compiler, Node headers and wide vectors are present, and the backend line says which kernels run', async () => {
    const state = nativeKernels();
    if (compiler && headers && vectors) {
      assert.ok(state.kernels, `expected them to load: ${state.reason}`);
      assert.strictEqual(typeof state.kernels.convTiles, 'function');
      assert.match(state.description ?? '', /^AVX(-512|2), /);
    } else {
      assert.ok(state.reason && !state.kernels, 'without a prerequisite they must say why they are off');
    }
    const line = describeBackend(await chooseBackend('wasm'));
    assert.match(line, state.kernels ? /convolutions: native AVX/ : /convolutions: wasm SIMD; native kernels off: /);
  });

  it('SMILE_LENS_NATIVE=off keeps them off and says so (child process)', () => {
    const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', "require('./lib/backend/select.ts').chooseBackend('wasm').then((c) => { process.stdout.write(require('./lib/backend/select.ts').describeBackend(c)); process.exit(0); })"], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
      env: { ...process.env, SMILE_LENS_NATIVE: 'off' },
    });
    assert.strictEqual(out.status, 0, out.stderr);
    assert.match(out.stdout, /convolutions: wasm SIMD; native kernels off: SMILE_LENS_NATIVE=off/);
  });

  it('refuse a call with a heap that is not an ArrayBuffer, in words', function () {
    const kernels = nativeKernels().kernels;
    if (!kernels) this.skip();
    assert.throws(() => kernels!.filterGradient(new Float32Array(4) as unknown as ArrayBuffer, 0, 0, 0, 0, 0, 0, 16, 1), /first argument must be the wasm heap's ArrayBuffer/);
    assert.throws(() => kernels!.convTiles(new ArrayBuffer(64), 99, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 1), /pixels must be/);
    assert.throws(() => kernels!.convTiles(new ArrayBuffer(64), 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 1), /stored floats must be/);
  });
});
