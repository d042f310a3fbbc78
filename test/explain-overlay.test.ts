import * as assert from 'assert';
import sharp from 'sharp';
import { gradCamOverlay, luma, RgbImage, shapOverlay, toPng } from '../lib/explain/overlay';
import { percentile } from '../lib/explain/percentile';
import { diverging } from '../lib/render/colormap';

// 2×2 image: (100,50,200) (0,0,0) / (255,255,255) (10,20,30)
const image: RgbImage = { width: 2, height: 2, data: Uint8Array.from([100, 50, 200, 0, 0, 0, 255, 255, 255, 10, 20, 30]) };
const pixel = (img: RgbImage, i: number) => Array.from(img.data.subarray(3 * i, 3 * i + 3));

describe('explain: overlays', () => {
  it('percentile interpolates linearly between order statistics, as numpy.percentile', () => {
    assert.ok(Math.abs(percentile([1, 2, 3, 4], 99) - 3.97) < 1e-12); // numpy: 3.97
    assert.ok(Math.abs(percentile([0, 2, 1, 4, 3, 10], 37.5) - 1.875) < 1e-12); // numpy: 1.875
    assert.strictEqual(percentile([5, NaN, 1], 100), 5);
    assert.throws(() => percentile([1], 101), /p must be in \[0, 100\]/);
  });

  it('Grad-CAM: map / max through viridis, blended at opacity 0.5', () => {
    const { image: out, max } = gradCamOverlay(image, [0, 2, 1, 4]);
    assert.strictEqual(max, 4);
    // t = 1 → viridis(1) = (253,231,37): ½(10,20,30) + ½(253,231,37) = (131.5,125.5,33.5) → (132,126,34)
    assert.deepStrictEqual(pixel(out, 3), [132, 126, 34]);
    // t = 0 → viridis(0) = (68,1,84): ½(100,50,200) + ½(68,1,84) = (84,25.5,142) → (84,26,142)
    assert.deepStrictEqual(pixel(out, 0), [84, 26, 142]);
    // an all-zero map is shown as t = 0 everywhere, not divided by zero
    const zero = gradCamOverlay(image, [0, 0, 0, 0], { scale: 'jet', opacity: 1 });
    assert.strictEqual(zero.max, 0);
    assert.deepStrictEqual(pixel(zero.image, 2), [0, 0, 128]);
  });

  it('GradientSHAP: centred on zero over grayscale, clipped at a percentile of |values|', () => {
    const { image: out, clip } = shapOverlay(image, [-2, 0, 1, 4], { percentile: 100 });
    assert.strictEqual(clip, 4);
    // zero attribution: the grayscale pixel itself (black stays black)
    assert.deepStrictEqual(pixel(out, 1), [0, 0, 0]);
    // +4 → t = 1 → (103,0,31) at opacity 0.8 over gray 0.299·10 + 0.587·20 + 0.114·30 = 18.15:
    // 0.2·18.15 + 0.8·(103, 0, 31) = (86.03, 3.63, 28.43) → (86, 4, 28)
    assert.deepStrictEqual(pixel(out, 3), [86, 4, 28]);
    // −2 → t = −0.5, blue, at strength 0.8·0.5 over gray 82.05
    const blue = diverging(-0.5);
    assert.ok(blue[2] > blue[0]);
    assert.deepStrictEqual(pixel(out, 0), blue.map((c) => Math.round(0.6 * luma(100, 50, 200) + 0.4 * c)));
    // default: 99th percentile of |v| = {0,1,2,4} → 2 + 0.97·2 = 3.94; 4 is clipped to t = 1
    const clipped = shapOverlay(image, [-2, 0, 1, 4]);
    assert.ok(Math.abs(clipped.clip - 3.94) < 1e-9);
    assert.strictEqual(clipped.percentile, 99);
    assert.deepStrictEqual(pixel(clipped.image, 3), [86, 4, 28]);
    // a map of zeros leaves the grayscale image
    const flat = shapOverlay(image, [0, 0, 0, 0]);
    assert.strictEqual(flat.clip, 0);
    assert.deepStrictEqual(pixel(flat.image, 2), [255, 255, 255]);
  });

  it('encodes the overlay as a PNG with the same pixels', async () => {
    const { image: out } = shapOverlay(image, [-2, 0, 1, 4]);
    const png = await toPng(out);
    assert.deepStrictEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepStrictEqual([info.width, info.height, info.channels], [2, 2, 3]);
    assert.deepStrictEqual([...data], [...out.data]);
    assert.throws(() => gradCamOverlay(image, [1, 2, 3]), /map has 3 values, expected 2×2/);
  });
});
