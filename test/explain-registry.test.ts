import * as assert from 'assert';
import type { Field } from '../lib/config/schema';
import { checkExplainConfig, EXPLAIN_DEFAULTS } from '../lib/config/explain';
import { runConfig, withMeasuredBaseline } from '../lib/config/run-config';
import { BUDGETS, resolveOptions, traitsOf } from '../lib/explain/explainer';
import { budgetOptions, EXPLAINERS, explainer, optionFlag } from '../lib/explain/registry';
import { EXPLAIN_OPTIONS, SANITY_OPTIONS } from '../lib/cli/run-options';

describe('the explainer registry', () => {
  it('finds a method by its name with case, dashes and underscores ignored, and names the known ones otherwise', () => {
    assert.strictEqual(explainer('integrated-gradients').name, 'integrated-gradients');
    assert.strictEqual(explainer('IntegratedGradients').name, 'integrated-gradients');
    assert.strictEqual(explainer('Grad_CAM').name, 'gradcam');
    assert.throws(() => explainer('lime'), /unknown explanation method "lime" \(known: gradcam, gradientshap, integrated-gradients, saliency, occlusion, smoothgrad\)/);
  });

  it('gives every option one readable flag, unique across methods and apart from the commands\' own flags', () => {
    const flags = EXPLAINERS.flatMap((e) => Object.keys(e.options).map((k) => optionFlag(e, k)));
    assert.strictEqual(new Set(flags).size, flags.length, `duplicate flags: ${flags.join(' ')}`);
    for (const f of flags) assert.match(f, /^[a-z][a-z0-9-]*$/);
    const explainCount = Object.keys(EXPLAIN_OPTIONS).length;
    const fixed = ['method', 'class', 'images', 'limit', 'target'];
    assert.strictEqual(explainCount, fixed.length + flags.length, 'a method flag shadows one of explain\'s own');
    assert.strictEqual(Object.keys(SANITY_OPTIONS).length, 4 + flags.length, 'a method flag shadows one of sanity\'s own');
  });

  it('states for each method its reference, formula, traits and defaults, and its budgets are valid options', () => {
    for (const e of EXPLAINERS) {
      assert.ok(e.reference.length > 10 && e.formula?.includes('$'), e.name);
      const defaults = resolveOptions(e);
      const fields: [string, Field<unknown>][] = Object.entries(e.options);
      for (const [key, field] of fields) assert.strictEqual(field.check(defaults[key]), undefined, `${e.name}.${key}`);
      // The traits stated on the method are those of its default options.
      const traits = traitsOf(e, defaults);
      assert.deepStrictEqual([e.mapShape, e.sign, e.display, e.completeness, e.stochastic], [traits.mapShape, traits.sign, traits.display, traits.completeness, traits.stochastic], e.name);
      assert.strictEqual(traits.display.scale, traits.sign === 'signed' ? 'diverging' : 'sequential', e.name);
    }
    for (const budget of BUDGETS) checkExplainConfig({ ...EXPLAIN_DEFAULTS, options: budgetOptions(budget) }, budget);
  });

  it('refuses options that do not fit together before any work, naming the method', () => {
    assert.throws(() => checkExplainConfig({ ...EXPLAIN_DEFAULTS, options: { occlusion: { window: 8, stride: 12 } } }), /explain\.options\.occlusion: the stride \(12 px\) must not exceed the window \(8 px\)/);
    assert.throws(() => checkExplainConfig({ ...EXPLAIN_DEFAULTS, options: { 'integrated-gradients': { rule: 'riemann-trapezoid', steps: 1 } } }), /options\.integrated-gradients: the trapezoid rule needs at least 2 steps/);
    assert.throws(() => checkExplainConfig({ ...EXPLAIN_DEFAULTS, options: { smoothgrad: { base: 'smoothgrad' } } }), /options\.smoothgrad\.base: expected one of gradcam, gradientshap, integrated-gradients, saliency, occlusion/);
    assert.throws(() => checkExplainConfig({ ...EXPLAIN_DEFAULTS, options: { lime: {} } }), /explain\.options: unknown explanation method "lime"/);
  });

  it('the small configuration and the sanity checks take each method\'s budget; the main job keeps the paper\'s two methods', () => {
    const small = runConfig({ preset: 'small' });
    // The budgets, with the baseline the study chose (MEASURED_BASELINE) for new runs.
    assert.deepStrictEqual(small.explain.options, withMeasuredBaseline(budgetOptions('small')));
    assert.strictEqual((small.explain.options.gradientshap as { samples: number }).samples, 16);
    const full = runConfig({ preset: 'full' });
    assert.deepStrictEqual(full.explain.methods, ['gradcam', 'gradientshap']);
    assert.deepStrictEqual(full.sanity.options, budgetOptions('checks'));
    assert.strictEqual(full.sanity.methods, undefined, 'the sanity checks take the methods the run explained');
    assert.strictEqual(full.audit.methods, undefined, 'the audit takes the methods the run explained');
  });
});
