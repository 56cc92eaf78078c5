import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasConflicts, planScaffold, writesOf, type TemplateFile } from '../../extension/scaffold/plan';
import { learnerTsconfig, shouldRefreshTsconfig } from '../../extension/scaffold/tsconfig';

const network: TemplateFile = { relativePath: 'regression/network.ts', content: 'template network' };
const challenge: TemplateFile = { relativePath: 'regression/challenge.ts', content: 'template challenge' };

describe('scaffolding never overwrites the learner’s work', () => {
  it('creates files that do not exist yet', () => {
    const plan = planScaffold([network, challenge], new Map());
    assert.deepEqual(writesOf(plan), [network, challenge]);
  });

  it('keeps an edited file unless the learner chose to replace it', () => {
    const existing = new Map([['regression/network.ts', 'my edited network']]);
    assert.deepEqual(writesOf(planScaffold([network, challenge], existing)), [challenge]);
    assert.ok(hasConflicts([network, challenge], existing));
    assert.deepEqual(writesOf(planScaffold([network, challenge], existing, 'replace')), [network, challenge]);
  });

  it('does not rewrite a file that already matches its template, and asks nothing', () => {
    const existing = new Map([['regression/network.ts', 'template network']]);
    assert.deepEqual(planScaffold([network], existing).map((a) => a.kind), ['unchanged']);
    assert.equal(hasConflicts([network], existing), false);
  });
});

describe('the lab tsconfig', () => {
  const wanted = learnerTsconfig('/ext/biomed-dl-lab-0.2.0');

  it('points @tensorflow at the types shipped inside the extension', () => {
    const config = JSON.parse(wanted) as { compilerOptions: { paths: Record<string, string[]> } };
    assert.deepEqual(config.compilerOptions.paths['@tensorflow/*'], ['/ext/biomed-dl-lab-0.2.0/dist/types/node_modules/@tensorflow/*']);
  });

  it('is refreshed after an update moved the extension, but only if the lab wrote it', () => {
    assert.equal(shouldRefreshTsconfig(learnerTsconfig('/ext/biomed-dl-lab-0.1.0'), wanted), true);
    assert.equal(shouldRefreshTsconfig(wanted, wanted), false);
    assert.equal(shouldRefreshTsconfig('{ "compilerOptions": {} }', wanted), false);
    assert.equal(shouldRefreshTsconfig('{ // my comments\n }', wanted), false);
  });
});
