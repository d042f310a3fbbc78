import * as assert from 'assert';
import { apportion, kFoldBySubject, sharedModels, splitBySubject, splitCounts, SplitItem } from '../lib/data/splits';
import { planRoster } from '../lib/data/synthetic/roster';
import { EXPRESSIONS } from '../lib/data/expressions';

// The CFD's structure without images: 597 models, 158 with five expressions.
const roster = planRoster({ seed: 4, subjects: 597, confound: true });
const items: SplitItem[] = roster.flatMap((m) => m.expressions.map((expression) => ({ model: m.model, expression, race: m.race })));

describe('subject-disjoint splits', () => {
  it('never puts one model in two splits, and uses every image once', () => {
    for (const seed of [1, 2, 3]) {
      const s = splitBySubject(items, { seed, fractions: { train: 0.7, validation: 0.15, test: 0.15 } });
      assert.deepStrictEqual(sharedModels(items, s.train, s.validation, s.test), []);
      const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
      assert.deepStrictEqual(all, items.map((_, i) => i));
    }
  });

  it('detects a model that crosses splits (the check can fail)', () => {
    const a = items.findIndex((i) => i.expression === 'A');
    const sameModel = items.findIndex((i, k) => k !== a && i.model === items[a].model);
    assert.deepStrictEqual(sharedModels(items, [a], [sameModel]), [items[a].model]);
  });

  it('is stratified: every class gets its share in every split', () => {
    const s = splitBySubject(items, { seed: 7 });
    const counts = splitCounts(items, s, EXPRESSIONS);
    const total = splitCounts(items, { all: items.map((_, i) => i) }, EXPRESSIONS).all;
    assert.strictEqual(total.total, 1207);
    for (const e of EXPRESSIONS) {
      const share = counts.validation[e] / total[e];
      assert.ok(Math.abs(share - 0.2) < 0.03, `${e}: ${counts.validation[e]}/${total[e]} in validation`);
    }
    assert.ok(Math.abs(counts.validation.models - 0.2 * 597) <= 2, `validation has ${counts.validation.models} models`);
    assert.strictEqual(s.test.length, 0);
    // neutral-only Asian models are spread too, not all in one split
    const asian = s.validation.filter((i) => items[i].race === 'A').length;
    assert.ok(asian >= 19 && asian <= 25, `${asian} Asian images in validation`);
  });

  it('is deterministic in the seed and changes with it', () => {
    const a = splitBySubject(items, { seed: 11 });
    assert.deepStrictEqual(splitBySubject(items, { seed: 11 }), a);
    assert.notDeepStrictEqual(splitBySubject(items, { seed: 12 }).validation, a.validation);
  });

  it('rejects fractions that do not add up', () => {
    assert.throws(() => splitBySubject(items, { seed: 1, fractions: { train: 0.9, validation: 0.3 } }), /sum to 1/);
    assert.throws(() => splitBySubject(items, { seed: 1, fractions: { train: 0.5, validation: 0.2, test: 0.2 } }), /sum to 1/);
  });

  it('k-fold: each model validates exactly once, folds balanced, no model crosses', () => {
    const folds = kFoldBySubject(items, 5, 3);
    assert.strictEqual(folds.length, 5);
    const seen = new Map<string, number>();
    for (const f of folds) {
      assert.deepStrictEqual(sharedModels(items, f.train, f.validation), []);
      assert.strictEqual(f.train.length + f.validation.length, items.length);
      for (const i of new Set(f.validation.map((i) => items[i].model))) seen.set(i, (seen.get(i) ?? 0) + 1);
    }
    assert.strictEqual(seen.size, 597);
    assert.ok([...seen.values()].every((n) => n === 1));
    const models = folds.map((f) => new Set(f.validation.map((i) => items[i].model)).size);
    assert.ok(Math.max(...models) - Math.min(...models) <= 1, `models per fold ${models}`);
    const angry = folds.map((f) => f.validation.filter((i) => items[i].expression === 'A').length);
    assert.ok(Math.max(...angry) - Math.min(...angry) <= 2, `angry per fold ${angry}`);
    assert.throws(() => kFoldBySubject(items.slice(0, 3), 5, 1), /needs at least 5 models/);
  });

  it('apportions by largest remainder', () => {
    assert.deepStrictEqual(apportion(10, [0.8, 0.2]), [8, 2]);
    assert.deepStrictEqual(apportion(7, [1, 1, 1]), [3, 2, 2]);
    assert.deepStrictEqual(apportion(10, [1, 1, 1, 1]), [3, 3, 2, 2]);
    assert.deepStrictEqual(apportion(597, [109, 197, 108, 183]), [109, 197, 108, 183]);
  });
});
