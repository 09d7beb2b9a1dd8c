import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../../src/analyze/engine/finding.ts';
import { RULES } from '../../../../src/analyze/engine/registry.ts';
import { CATEGORIES } from '../../../../src/analyze/engine/rule.ts';
import { RULES_DOC_PATH, rulesDoc } from '../../../../src/analyze/engine/rules-doc.ts';

const RULES_DIR = 'src/analyze/rules';

function ruleFiles(): string[] {
  return readdirSync(RULES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('index.ts'))
    .map((f) => join(RULES_DIR, f));
}

describe('rule registry', () => {
  it('registers every rule file under src/analyze/rules, and nothing else', () => {
    // Prepare
    const files = ruleFiles()
      .map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, ''))
      .sort();
    // Assess
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(files);
  });

  it('has unique ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(RULES.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
    it('lives in rules/<category>/<id>.ts', () => {
      expect(existsSync(join(RULES_DIR, rule.meta.category, `${id}.ts`))).toBe(true);
    });

    it('has complete metadata', () => {
      const m = rule.meta;
      expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(SEVERITIES).toContain(m.severity);
      expect(CATEGORIES).toContain(m.category);
      expect(m.title.length).toBeGreaterThan(10);
      expect(m.rationale.length).toBeGreaterThan(40);
      expect(m.remediation.length).toBeGreaterThan(20);
      expect(m.docs.length).toBeGreaterThan(80);
      expect(Array.isArray(m.references)).toBe(true);
      expect(() => m.options?.parse({})).not.toThrow();
    });

    it('has a test file with non-compliant and compliant cases', () => {
      // Prepare
      const testFile = `test/unit/analyze/rules/${rule.meta.category}/${id}.test.ts`;
      // Assess
      expect(existsSync(testFile), `${testFile} is missing`).toBe(true);
      const text = readFileSync(testFile, 'utf8');
      expect(text).toMatch(/describe\('non-compliant'/);
      expect(text).toMatch(/describe\('compliant'/);
    });

    it('is documented in the generated reference', () => {
      expect(readFileSync(RULES_DOC_PATH, 'utf8')).toContain(`## ${id}`);
    });
  });

  it('keeps docs/rules.md in sync with the metadata (run `npm run docs`)', () => {
    expect(readFileSync(RULES_DOC_PATH, 'utf8')).toBe(rulesDoc());
  });
});
