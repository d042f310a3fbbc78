import * as assert from 'assert';
import { cfdRegions, rgbToYCbCr, UNLABELLED } from '../lib/audit/cfd-regions';
import { auditMasks } from '../lib/audit/region-masks';
import { defaultLegend, regionId } from '../lib/data/regions';
import { createRandom } from '../lib/util/random';

type RGB = [number, number, number];

/**
 * A hand-made CFD-like photo (landscape, like the 2444×1718 originals): near-white
 * backdrop, grey shirt at the bottom, a skin ellipse with a neck, dark eyes and brows,
 * red lips, and a dark hair cap above and around the face; seeded noise on every channel.
 * Returns the image and the true group masks (face includes neck, eyes, brows, lips).
 */
function handMadePhoto(skinColour: RGB, seed: number) {
  const h = 120;
  const w = 160;
  const rnd = createRandom(seed);
  const rgb = new Uint8Array(h * w * 3);
  const truth = { face: new Uint8Array(h * w), hair: new Uint8Array(h * w), shirt: new Uint8Array(h * w), background: new Uint8Array(h * w) };
  const inEllipse = (y: number, x: number, cy: number, cx: number, ry: number, rx: number) => ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let colour: RGB = [245, 245, 245];
      let region: keyof typeof truth = 'background';
      const face = inEllipse(y, x, 52, 80, 32, 24);
      const neck = y >= 78 && y < 96 && x >= 69 && x < 91;
      if (y >= 96 && x >= 35 && x < 125) {
        colour = [150, 150, 152];
        region = 'shirt';
      } else if (face || neck) {
        colour = skinColour;
        region = 'face';
        if (inEllipse(y, x, 45, 71, 3, 5) || inEllipse(y, x, 45, 89, 3, 5)) colour = [35, 30, 30]; // eyes
        if (inEllipse(y, x, 38, 71, 1.5, 6) || inEllipse(y, x, 38, 89, 1.5, 6)) colour = [40, 30, 25]; // brows
        if (inEllipse(y, x, 68, 80, 3, 8)) colour = [170, 60, 70]; // lips
      } else if (inEllipse(y, x, 46, 80, 40, 32) && y <= 62) {
        colour = [30, 25, 22];
        region = 'hair';
      }
      truth[region][i] = 1;
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.max(0, Math.min(255, Math.round(colour[c] + rnd.normal(0, 4))));
    }
  }
  return { rgb, size: { height: h, width: w }, truth };
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) inter++;
    if (a[i] || b[i]) union++;
  }
  return inter / union;
}

describe('audit: automatic regions of CFD-like photos', () => {
  it('uses the Chai & Ngan chroma box: the skin colours are inside it, black hair and grey are not', () => {
    for (const skin of [[224, 172, 140], [120, 80, 60]] as RGB[]) {
      const [, cb, cr] = rgbToYCbCr(...skin);
      assert.ok(cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173, `${skin}: Cb ${cb}, Cr ${cr}`);
    }
    const [, , crHair] = rgbToYCbCr(30, 25, 22);
    assert.ok(crHair < 133, `black hair Cr ${crHair}`);
    const [y, cb, cr] = rgbToYCbCr(150, 150, 150);
    assert.ok(Math.abs(y - 150) < 1e-9 && Math.abs(cb - 128) < 1e-9 && Math.abs(cr - 128) < 1e-9);
  });

  for (const [name, skin] of [['light', [224, 172, 140]], ['dark', [120, 80, 60]]] as [string, RGB][]) {
    it(`recovers backdrop, shirt, face and hair with IoU ≥ 0.9 (${name} skin)`, () => {
      const photo = handMadePhoto(skin, name === 'light' ? 1 : 2);
      const result = cfdRegions(photo.rgb, photo.size);
      assert.deepStrictEqual(result.warnings, []);
      const found = auditMasks(result.labels);
      for (const region of ['background', 'face', 'hair', 'shirt'] as const) {
        const score = iou(found[region], photo.truth[region]);
        assert.ok(score >= 0.9, `${region}: IoU ${score.toFixed(3)}`);
      }
      // Eyes, brows and lips are holes in the skin: filled into the face, written as skin.
      const leftEye = 45 * 160 + 71;
      assert.strictEqual(result.labels[leftEye], regionId('face skin'));
      assert.strictEqual(result.labels[68 * 160 + 80], regionId('face skin'));
      assert.ok(!found['neck and ears'].some((v) => v), 'no neck cut by default');
      // The face box spans the face ellipse and the neck (rows 20–95).
      assert.ok(result.faceBox && Math.abs(result.faceBox.top - 20) <= 2 && Math.abs(result.faceBox.bottom - 95) <= 2, JSON.stringify(result.faceBox));
    });
  }

  it('writes the ids of a given legend, scales with the picture, and warns when there is no skin', () => {
    const photo = handMadePhoto([224, 172, 140], 3);
    const wanted: Record<string, number> = { background: 10, hair: 11, 'face skin': 12, shirt: 13 };
    const legend = { ...defaultLegend(), regions: Object.entries(wanted).map(([name, id]) => ({ id, name })) };
    const result = cfdRegions(photo.rgb, photo.size, { legend });
    const ids = new Set(result.labels);
    for (const id of ids) assert.ok([10, 11, 12, 13, UNLABELLED].includes(id), `unexpected id ${id}`);
    // A grey picture: a backdrop and no person.
    const grey = cfdRegions(new Uint8Array(20 * 30 * 3).fill(250), { height: 20, width: 30 });
    assert.ok(grey.labels.every((v) => v === regionId('background')));
    assert.strictEqual(grey.faceBox, null);
    assert.match(grey.warnings[0], /no skin found/);
    assert.throws(() => cfdRegions(new Uint8Array(10), { height: 2, width: 2 }), /expected the RGB image to be 2×2×3 \(12 values\), got 10/);
    assert.throws(() => cfdRegions(photo.rgb, photo.size, { legend: { ...defaultLegend(), regions: [{ id: 0, name: 'background' }] } }), /expected region 'hair' in the legend, which has background/);
  });

  it('cuts the neck at chinRatio × the widest face row below the top, when asked', () => {
    // The face ellipse is 48 wide, its top row 20: with ratio 64/48 the cut falls at row 84, the chin.
    const photo = handMadePhoto([224, 172, 140], 4);
    const result = cfdRegions(photo.rgb, photo.size, { chinRatio: 64 / 48 });
    const neck = regionId('neck and ears');
    const skin = regionId('face skin');
    assert.strictEqual(result.labels[90 * 160 + 80], neck);
    assert.strictEqual(result.labels[80 * 160 + 80], skin);
    const found = auditMasks(result.labels);
    const trueNeck = photo.truth.face.map((v, i) => (v && Math.floor(i / 160) > 84 ? 1 : 0));
    const trueFace = photo.truth.face.map((v, i) => (v && !trueNeck[i] ? 1 : 0));
    assert.ok(iou(found['neck and ears'], trueNeck) >= 0.9);
    assert.ok(iou(found.face, trueFace) >= 0.9);
    assert.throws(() => cfdRegions(photo.rgb, photo.size, { chinRatio: 0 }), /expected chinRatio > 0, got 0/);
  });
});
