import * as assert from 'assert';
import { compareRanks, formatCfdName, parseCfdName, photoKey, preferenceRank } from '../lib/data/cfd-names';

function parsed(name: string) {
  const r = parseCfdName(name);
  if (!r.ok) throw new Error(`expected ${name} to parse: ${r.reason}`);
  return r.name;
}

describe('CFD file names', () => {
  it('reads race, gender, model, photo and expression', () => {
    const n = parsed('CFD-AF-200-228-N.jpg');
    assert.deepStrictEqual([n.race, n.gender, n.model, n.n2, n.expression, n.set, n.variant], ['A', 'F', 'AF-200', '228', 'N', 'CFD', '']);
    assert.strictEqual(parsed('CFD-WM-040-023-HO.jpg').expression, 'HO');
    assert.strictEqual(parsed('CFD-BF-001-025-HC.jpg').expression, 'HC');
  });

  it('knows the CFD-MR and CFD-INDIA sets by race code, and replicates', () => {
    assert.strictEqual(parsed('CFD-MF-300-002-N.jpg').set, 'CFD-MR');
    assert.strictEqual(parsed('CFD-IM-650-118-N.jpg').set, 'CFD-INDIA');
    const r = parsed('CFD-LM-201-011-2-A.jpg');
    assert.strictEqual(r.replicate, '2');
    assert.strictEqual(r.expression, 'A');
    assert.strictEqual(photoKey(r), 'LM-201-011-2-A');
  });

  it('reads changed case, other extensions and kept copies as variants of the original', () => {
    const lower = parsed('cfd-af-200-228-hc.JPG');
    assert.strictEqual(lower.model, 'AF-200');
    assert.strictEqual(lower.expression, 'HC');
    assert.strictEqual(lower.canonical, 'CFD-AF-200-228-HC.jpg');
    assert.strictEqual(parsed('CFD-AF-200-228-N (1).jpg').variant, ' (1)');
    assert.strictEqual(parsed('CFD-AF-200-228-N copy.png').extension, '.png');
    // the original ranks before every copy
    const orig = preferenceRank('CFD-AF-200-228-N.jpg', parsed('CFD-AF-200-228-N.jpg'));
    for (const copy of ['CFD-AF-200-228-N (1).jpg', 'CFD-AF-200-228-N.png', 'cfd-af-200-228-n.jpg']) {
      assert.ok(compareRanks(orig, preferenceRank(copy, parsed(copy))) < 0, copy);
    }
  });

  it('rejects what is not a CFD name, saying why', () => {
    const cases: [string, RegExp][] = [
      ['IMG_0001.jpg', /does not start with "CFD-"/],
      ['CFD-XF-200-228-N.jpg', /unknown race code "X"/],
      ['CFD-AQ-200-228-N.jpg', /unknown gender code "Q"/],
      ['CFD-AF-200-228-Neutral.jpg', /name is not CFD-/],
      ['CFD-AF-200-N.jpg', /name is not CFD-/],
      ['CFD-AF-200-228-S.jpg', /name is not CFD-/],
    ];
    for (const [name, reason] of cases) {
      const r = parseCfdName(name);
      assert.strictEqual(r.ok, false, name);
      assert.match((r as { reason: string }).reason, reason, name);
    }
  });

  it('formats names the way the CFD ships them', () => {
    assert.strictEqual(formatCfdName({ race: 'B', gender: 'M', n1: 7, n2: 45, expression: 'HO' }), 'CFD-BM-007-045-HO.jpg');
    const n = parsed(formatCfdName({ race: 'W', gender: 'F', n1: 12, n2: 3, replicate: 1, expression: 'F' }));
    assert.deepStrictEqual([n.model, n.n2, n.replicate, n.expression], ['WF-012', '003', '1', 'F']);
  });
});
