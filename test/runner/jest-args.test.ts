/**
 * Every suite `npm test` runs has test files, and the runner never lets a suite pass with none: jest
 * fails a project that matches nothing once `--passWithNoTests` is gone.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jestArgs } from './jest-args';

const ROOT = join(__dirname, '..', '..');

interface Project {
  readonly displayName: string;
  readonly testMatch: readonly string[];
  readonly testPathIgnorePatterns: readonly string[];
}

// jest.config.js is CommonJS data; require keeps it the exact object jest reads.
const config = require(join(ROOT, 'jest.config.js')) as { projects: Project[] };

/** Files under the root whose path ends as `<rootDir>/**\/*<suffix>` asks, minus the ignore patterns. */
function filesOf(project: Project): string[] {
  const suffixes = project.testMatch.map((m) => {
    const match = /^<rootDir>\/\*\*\/\*(.+)$/.exec(m);
    if (!match?.[1])
      throw new Error(`${project.displayName}: testMatch ${m} is not of the form <rootDir>/**/*<suffix>`);
    return match[1];
  });
  const ignores = project.testPathIgnorePatterns.map((p) => new RegExp(p));
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (ignores.some((re) => re.test(`${path}${entry.isDirectory() ? '/' : ''}`))) continue;
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
      } else if (suffixes.some((s) => entry.name.endsWith(s))) found.push(relative(ROOT, path));
    }
  };
  walk(ROOT);
  return found;
}

describe('npm test suites', () => {
  it('asks jest to fail a project with no test file', () => {
    expect(jestArgs('unit', '--forceExit')).toEqual(['--ci', '--selectProjects', 'unit', '--forceExit']);
    expect(jestArgs('fault')).not.toContain('--passWithNoTests');
  });

  it.each(config.projects.map((p) => [p.displayName, p] as const))('%s has test files', (_name, project) => {
    expect(filesOf(project).length).toBeGreaterThan(0);
  });

  it('tells the suites apart by file suffix', () => {
    const unit = filesOf(config.projects.find((p) => p.displayName === 'unit') as Project);
    expect(unit).toContain('test/runner/jest-args.test.ts');
    expect(unit.some((f) => f.endsWith('.int.test.ts'))).toBe(false);
    const fault = filesOf(config.projects.find((p) => p.displayName === 'fault') as Project);
    expect(fault).toContain('test/fault/pipeline.fault.test.ts');
  });
});
