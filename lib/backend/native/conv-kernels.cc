// smile-lens's native convolution kernels: the SIMD wasm kernels'
// (../wasm-kernels/simd/conv-tile-kernel.ts, filter-gradient-kernel.ts) twins,
// compiled on the machine that runs them (-march=native) with vectors as wide
// as its CPU has (16 floats with AVX-512: 4× wasm's f32x4). They read and write
// tensors where they lie, in the wasm backend's heap (an ArrayBuffer), from the
// same entry lists. Every output is a sum added in exactly the wasm kernels'
// order, one f32 multiply then one f32 add (built with -ffp-contract=off: a
// fused multiply-add rounds once and would change bits); vectors run across
// output channels (independent sums), never within one sum. So results are
// bit-identical to the wasm kernels and to XNNPACK's
// (test/wasm-kernels-bit-identical.test.ts runs both engines).
#include <node_api.h>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <utility>
#include <vector>

namespace {

typedef float v16 __attribute__((vector_size(64)));

inline v16 load(const uint8_t* p) {
  v16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(uint8_t* p, v16 v) { std::memcpy(p, &v, sizeof v); }
inline v16 splat(const uint8_t* p) {
  float f;
  std::memcpy(&f, p, sizeof f);
  return v16{f, f, f, f, f, f, f, f, f, f, f, f, f, f, f, f};
}
inline int32_t i32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// conv_tiles: conv-tile-kernel.ts's entries (seven i32: base, c0, rows, cols,
// w, out, blockBytes) of P pixels; a block is V vectors of 16 output channels.
// `stored`: floats of each pixel's block written out (all 16·V, or fewer when
// the channels were padded to one vector: the image's 3).
template <int P, int V>
void convTiles(uint8_t* heap, uint32_t list, int entries, int kc, int blocks, int width, int pixelBytes, int rowStride,
               uint32_t zeros, int outStep, int pixelStride, int tapStride, int stored) {
  for (int e = 0; e < entries; e++) {
    const uint8_t* entry = heap + list + 28u * e;
    const uint32_t base = i32(entry), rows = i32(entry + 8), cols = i32(entry + 12), w0 = i32(entry + 16), out = i32(entry + 20);
    const int c0 = i32(entry + 4), blockBytes = i32(entry + 24);
    for (int block = 0; block < blocks; block++) {
      v16 acc[P][V] = {};
      const uint8_t* wp = heap + w0 + (uint32_t)block * blockBytes;
      for (uint32_t uh = 0; uh < rows; uh++) {
        const uint32_t rowBase = base + uh * rowStride;
        for (uint32_t uw = 0; uw < cols; uw++) {
          const int column = c0 + (int)uw * tapStride;
          const uint8_t* a[P];
          for (int p = 0; p < P; p++) {
            const int col = column + p * pixelStride;
            // As the wasm kernel: a column outside [0, width) reads the zeros row.
            a[p] = heap + ((uint32_t)col < (uint32_t)width ? rowBase + (uint32_t)(col * pixelBytes) : zeros);
          }
          for (int k = 0; k < kc; k++) {
            v16 b[V];
            for (int j = 0; j < V; j++) {
              b[j] = load(wp + 64 * j);
              // Kept in a register: otherwise GCC folds the load into every pixel's
              // multiply (P loads instead of one; measured 2× slower at 32 channels).
              asm("" : "+v"(b[j]));
            }
            for (int p = 0; p < P; p++) {
              const v16 xs = splat(a[p] + 4 * k);
              for (int j = 0; j < V; j++) acc[p][j] = acc[p][j] + xs * b[j];
            }
            wp += 64 * V;
          }
        }
      }
      if (stored < 16 * V) {
        for (int p = 0; p < P; p++) std::memcpy(heap + out + (uint32_t)(p * outStep), &acc[p][0], 4 * stored);
        continue;
      }
      for (int p = 0; p < P; p++)
        for (int j = 0; j < V; j++) store(heap + out + (uint32_t)(p * outStep) + (uint32_t)block * 64 * V + 64 * j, acc[p][j]);
    }
  }
}

// filter_gradient: filter-gradient-kernel.ts's (row, tap) entries (four i32:
// xRow, dyRow, count, dwTap), in order; input channels in blocks of B, output
// channels in blocks of V vectors. Each entry loads dW, adds its products in
// position order and stores it back, as the wasm kernel does.
template <int B, int V>
void filterGradientBlock(uint8_t* heap, uint32_t xRow, int xStep, uint32_t dyRow, int dyStep, int count, uint32_t dwTap, int dwRowBytes, int ci,
                         int co) {
  uint8_t* pw = heap + dwTap + (uint32_t)(ci * dwRowBytes) + 4u * co;
  v16 acc[B][V];
  for (int i = 0; i < B; i++)
    for (int j = 0; j < V; j++) acc[i][j] = load(pw + i * dwRowBytes + 64 * j);
  const uint8_t* px = heap + xRow + 4u * ci;
  const uint8_t* pd = heap + dyRow + 4u * co;
  for (int k = 0; k < count; k++) {
    v16 d[V];
    for (int j = 0; j < V; j++) {
      d[j] = load(pd + 64 * j);
      asm("" : "+v"(d[j]));  // in a register, as b[j] above
    }
    for (int i = 0; i < B; i++) {
      const v16 xs = splat(px + 4 * i);
      for (int j = 0; j < V; j++) acc[i][j] = acc[i][j] + xs * d[j];
    }
    px += xStep;
    pd += dyStep;
  }
  for (int i = 0; i < B; i++)
    for (int j = 0; j < V; j++) store(pw + i * dwRowBytes + 64 * j, acc[i][j]);
}

template <int B>
void filterGradientRow(uint8_t* heap, uint32_t xRow, int xStep, uint32_t dyRow, int dyStep, int count, uint32_t dwTap, int dwRowBytes, int ci,
                       int coCount) {
  int co = 0;
  for (; co + 64 <= coCount; co += 64) filterGradientBlock<B, 4>(heap, xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ci, co);
  for (; co + 32 <= coCount; co += 32) filterGradientBlock<B, 2>(heap, xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ci, co);
  for (; co + 16 <= coCount; co += 16) filterGradientBlock<B, 1>(heap, xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ci, co);
}

// Input channels [ciFrom, ciTo): threads split them (each dW value is one thread's).
void filterGradient(uint8_t* heap, uint32_t list, int entries, int xStep, int dyStep, int dwRowBytes, int ciFrom, int ciTo, int coCount) {
  for (int e = 0; e < entries; e++) {
    const uint8_t* entry = heap + list + 16u * e;
    const uint32_t xRow = i32(entry), dyRow = i32(entry + 4), dwTap = i32(entry + 12);
    const int count = i32(entry + 8);
    int ci = ciFrom;
    for (; ci + 4 <= ciTo; ci += 4) filterGradientRow<4>(heap, xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ci, coCount);
    for (; ci < ciTo; ci++) filterGradientRow<1>(heap, xRow, xStep, dyRow, dyStep, count, dwTap, dwRowBytes, ci, coCount);
  }
}

// Splits [0, count) into near-equal runs, one per thread (at most `threads`,
// at most `count`), runs part(from, to) for each — the first on this thread —
// and waits.
template <typename Part>
void parallelRuns(int64_t count, int64_t threads, Part part) {
  const int n = (int)std::max<int64_t>(1, std::min(threads, count));
  auto run = [&](int t) { part((int)(count * t / n), (int)(count * (t + 1) / n)); };
  std::vector<std::thread> helpers;
  for (int t = 1; t < n; t++) helpers.emplace_back(run, t);
  run(0);
  for (auto& h : helpers) h.join();
}

// ---- Node-API glue: (heap ArrayBuffer, int32 arguments...) ----

bool args(napi_env env, napi_callback_info info, size_t count, uint8_t** heap, size_t* heapBytes, int64_t* out) {
  napi_value argv[17];
  size_t argc = 17;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok || argc != count + 1) {
    napi_throw_error(env, nullptr, "smile-lens native kernel: wrong number of arguments");
    return false;
  }
  void* data = nullptr;
  if (napi_get_arraybuffer_info(env, argv[0], &data, heapBytes) != napi_ok) {
    napi_throw_type_error(env, nullptr, "smile-lens native kernel: the first argument must be the wasm heap's ArrayBuffer");
    return false;
  }
  *heap = static_cast<uint8_t*>(data);
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_int64(env, argv[i + 1], &out[i]) != napi_ok) {
      napi_throw_type_error(env, nullptr, "smile-lens native kernel: arguments after the heap must be numbers");
      return false;
    }
  }
  return true;
}

using ConvTiles = void (*)(uint8_t*, uint32_t, int, int, int, int, int, int, uint32_t, int, int, int, int);
// Tiles of up to 16 pixels of one vector, 8 of two, 4 of four: 16 accumulators
// (of AVX-512's 32 registers), enough to hide the adds' latency.
constexpr int maxPixels(int vectors) { return vectors == 1 ? 16 : vectors == 2 ? 8 : 4; }

template <int P>
ConvTiles convTilesFor(int vectors) {
  ConvTiles run = nullptr;
  if constexpr (P <= maxPixels(1)) if (vectors == 1) run = convTiles<P, 1>;
  if constexpr (P <= maxPixels(2)) if (vectors == 2) run = convTiles<P, 2>;
  if constexpr (P <= maxPixels(4)) if (vectors == 4) run = convTiles<P, 4>;
  return run;
}

template <int... Ps>
ConvTiles convTilesFor(int pixels, int vectors, std::integer_sequence<int, Ps...>) {
  ConvTiles run = nullptr;
  ((pixels == Ps + 1 ? (void)(run = convTilesFor<Ps + 1>(vectors)) : (void)0), ...);
  return run;
}

// convTiles(heap, pixels, vectors, list, entries, kc, blocks, width, pixelBytes, rowStride, zeros, outStep, pixelStride, tapStride, stored, threads)
napi_value ConvTilesCall(napi_env env, napi_callback_info info) {
  uint8_t* heap;
  size_t bytes;
  int64_t a[15];
  if (!args(env, info, 15, &heap, &bytes, a)) return nullptr;
  const int pixels = (int)a[0], vectors = (int)a[1];
  ConvTiles run = convTilesFor(pixels, vectors, std::make_integer_sequence<int, 16>{});
  if (!run) {
    napi_throw_range_error(env, nullptr, "smile-lens native convTiles: pixels must be 1-16 for one vector of 16 floats, 1-8 for two, 1-4 for four");
    return nullptr;
  }
  const int stored = (int)a[13];
  if (stored < 1 || stored > 16 * vectors || (stored < 16 * vectors && (vectors != 1 || a[5] != 1))) {
    napi_throw_range_error(env, nullptr, "smile-lens native convTiles: stored floats must be 16·vectors, or fewer with one block of one vector");
    return nullptr;
  }
  // Threads take runs of tiles; tiles never share an output pixel.
  parallelRuns(a[3], a[14], [&](int from, int to) {
    run(heap, (uint32_t)a[2] + 28u * from, to - from, (int)a[4], (int)a[5], (int)a[6], (int)a[7], (int)a[8], (uint32_t)a[9], (int)a[10], (int)a[11], (int)a[12], stored);
  });
  return nullptr;
}

// filterGradient(heap, list, entries, xStep, dyStep, dwRowBytes, ciCount, coCount, threads)
napi_value FilterGradientCall(napi_env env, napi_callback_info info) {
  uint8_t* heap;
  size_t bytes;
  int64_t a[8];
  if (!args(env, info, 8, &heap, &bytes, a)) return nullptr;
  if (a[6] % 16 != 0) {
    napi_throw_range_error(env, nullptr, "smile-lens native filterGradient: output channels must be a multiple of 16");
    return nullptr;
  }
  // Threads take runs of whole 4-channel blocks of input channels (the rest to the last).
  const int ciCount = (int)a[5], blocks = ciCount / 4;
  parallelRuns(blocks, a[7], [&](int from, int to) {
    filterGradient(heap, (uint32_t)a[0], (int)a[1], (int)a[2], (int)a[3], (int)a[4], 4 * from, to == blocks ? ciCount : 4 * to, (int)a[6]);
  });
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT() {
  napi_property_descriptor functions[] = {
      {"convTiles", nullptr, ConvTilesCall, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"filterGradient", nullptr, FilterGradientCall, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
