/**
 * The messages a user sees when a tool is missing or a download fails. Fake `java`/`mvn` scripts on
 * PATH stand in for the real tools, so these run without network or servers. (The environment is
 * passed explicitly: jest's process.env is a sandbox copy that child processes never see.)
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backends-tools-'));
  process.env.PATH = join(dir, 'bin');
  delete process.env.JAVA_HOME;
});

afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the module (it remembers a successful Java check). */
const tools = () => {
  let mod: typeof import('./tools') | undefined;
  jest.isolateModules(() => {
    mod = require('./tools') as typeof import('./tools');
  });
  return mod as typeof import('./tools');
};

function fakeTool(name: string, script: string): void {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

const artifacts = { name: 'demo-1.0', title: 'Demo 1.0', dependencies: ['org.example:demo:1.0'] };
const noLog = () => undefined;

describe('requireJava', () => {
  test('missing java: says Java 17 is needed and how to install it', () => {
    expect(() => tools().requireJava(process.env)).toThrow(
      /Java was not found .*Java 17 or newer.*apt-get install openjdk-17/s,
    );
  });

  test('too old a java: quotes its version line', () => {
    fakeTool('java', 'echo \'openjdk version "11.0.2" 2019-01-15\' >&2');
    expect(() => tools().requireJava(process.env)).toThrow(/Java 17 or newer is required .*"11\.0\.2"/);
  });

  test('Java 17 passes', () => {
    fakeTool('java', 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2');
    expect(tools().requireJava(process.env)).toBe('java');
  });
});

describe('ensureMavenClasspath', () => {
  test('missing mvn: says Maven is needed once for the download and how to install it', () => {
    expect(() =>
      tools().ensureMavenClasspath(artifacts, { cacheDir: dir, mavenRepo: undefined, log: noLog, env: process.env }),
    ).toThrow(/Maven \(mvn\) was not found, and it is needed once to download Demo 1\.0.*apt-get install maven/s);
  });

  test("failed download: names the artifact, quotes Maven's reason, points at the full log", () => {
    fakeTool(
      'mvn',
      [
        'case "$1" in -v) echo "Apache Maven 3.8.7"; exit 0;; esac',
        'echo "[ERROR] Failed to execute goal on project demo: Could not resolve dependencies: Could not transfer artifact org.example:demo:jar:1.0 from/to central: Connection refused"',
        'echo "[ERROR] -> [Help 1]"',
        'exit 1',
      ].join('\n'),
    );
    let message = '';
    try {
      tools().ensureMavenClasspath(artifacts, { cacheDir: dir, mavenRepo: undefined, log: noLog, env: process.env });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('Downloading Demo 1.0 from Maven Central failed (mvn exit 1)');
    expect(message).toContain('Could not transfer artifact org.example:demo:jar:1.0');
    expect(message).not.toContain('[Help 1]');
    expect(message).toContain('https://repo.maven.apache.org/maven2');
    expect(message).toContain(join(dir, 'demo-1.0', 'maven.log'));
    expect(existsSync(join(dir, 'demo-1.0', 'complete.json'))).toBe(false);
  });

  test('a completed download is reused without calling Maven again', () => {
    fakeTool('mvn', `echo "$@" >> ${join(dir, 'calls')}; exit 0`);
    const t = tools();
    const lib = t.ensureMavenClasspath(artifacts, {
      cacheDir: dir,
      mavenRepo: join(dir, 'm2'),
      log: noLog,
      env: process.env,
    });
    expect(lib).toBe(join(dir, 'demo-1.0', 'lib'));
    t.ensureMavenClasspath(artifacts, { cacheDir: dir, mavenRepo: join(dir, 'm2'), log: noLog, env: process.env });
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls.filter((c) => c.includes('dependency:copy-dependencies'))).toHaveLength(1);
    expect(calls.find((c) => c.includes('copy-dependencies'))).toContain(`-Dmaven.repo.local=${join(dir, 'm2')}`);
  });
});
