/**
 * The external tools the servers need — Java 17+ to run them, Maven to download Kafka and
 * ElasticMQ from Maven Central — checked up front so a missing tool is one clear sentence.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { BackendError } from './errors';

const MIN_JAVA = 17;

/** The java executable: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.JAVA_HOME;
  return home && existsSync(join(home, 'bin', 'java')) ? join(home, 'bin', 'java') : 'java';
}

let javaChecked = false;

/** Throws a BackendError unless a Java >= 17 runtime is available. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): string {
  const java = javaCommand(env);
  if (javaChecked) return java;
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  if (r.error) {
    throw new BackendError(
      `Java was not found (${java}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}). ` +
        `Java ${MIN_JAVA} or newer runs Kafka, DynamoDB Local and ElasticMQ: install it ` +
        '(Debian/Ubuntu: `sudo apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) ' +
        'and put it on PATH or set JAVA_HOME.',
    );
  }
  const text = `${r.stderr}${r.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : Number.NaN;
  if (!(major >= MIN_JAVA)) {
    throw new BackendError(
      `Java ${MIN_JAVA} or newer is required (Kafka 4 needs it); ${java} reports: ${text.split('\n')[0]}. ` +
        'Install a newer JDK/JRE and put it first on PATH or set JAVA_HOME.',
    );
  }
  javaChecked = true;
  return java;
}

export interface MavenArtifacts {
  /** Directory name under the cache, e.g. "kafka-4.1.1". */
  readonly name: string;
  /** What it is, for messages: "Kafka 4.1.1". */
  readonly title: string;
  /** groupId:artifactId:version coordinates (jar). */
  readonly dependencies: readonly string[];
}

function pom(a: MavenArtifacts): string {
  const deps = a.dependencies
    .map((c) => {
      const [groupId, artifactId, version] = c.split(':');
      return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
    })
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.backends</groupId><artifactId>${a.name}</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${deps}
  </dependencies>
</project>
`;
}

/** Lines of Maven output that explain a failure, without the generic help text. */
function mavenCause(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => stripVTControlCharacters(l).trim())
    .filter((l) => l.startsWith('[ERROR]') && !/^\[ERROR\]\s*(->|$|Re-run|To see|For more|\[Help)/.test(l));
  return lines.slice(0, 4).join('\n  ') || output.trim().split('\n').slice(-5).join('\n  ');
}

/**
 * The directory holding every jar of the artifacts' runtime classpath, downloaded on first use
 * into `<cacheDir>/<name>/lib` and reused afterwards (a marker file records a complete download).
 */
export function ensureMavenClasspath(
  a: MavenArtifacts,
  opts: { cacheDir: string; mavenRepo: string | undefined; log: (line: string) => void; env?: NodeJS.ProcessEnv },
): string {
  const dir = join(opts.cacheDir, a.name);
  const lib = join(dir, 'lib');
  const marker = join(dir, 'complete.json');
  const want = JSON.stringify(a.dependencies);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return lib;

  const env = opts.env ?? process.env;
  const probe = spawnSync('mvn', ['-v'], { encoding: 'utf8', env });
  if (probe.error) {
    throw new BackendError(
      `Maven (mvn) was not found, and it is needed once to download ${a.title} from Maven Central. ` +
        'Install Maven 3.8+ (Debian/Ubuntu: `sudo apt-get install maven`; macOS: `brew install maven`) and retry.',
    );
  }
  // copy-dependencies only adds files: start from an empty lib so no jar of an older set remains.
  rmSync(lib, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pom.xml'), pom(a));
  opts.log(`downloading ${a.title} from Maven Central (first run only) ...`);
  const args = ['-B', '-q', '-f', join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`];
  if (opts.mavenRepo) args.push(`-Dmaven.repo.local=${opts.mavenRepo}`);
  const r = spawnSync('mvn', args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(join(dir, 'maven.log'), `$ mvn ${args.join(' ')}\n${output}`);
  if (r.status !== 0) {
    throw new BackendError(
      `Downloading ${a.title} from Maven Central failed (mvn exit ${r.status ?? r.signal}):\n  ${mavenCause(output)}\n` +
        'Check that https://repo.maven.apache.org/maven2 is reachable (or configure a mirror/proxy in ' +
        `~/.m2/settings.xml), then run the command again. Full Maven output: ${join(dir, 'maven.log')}`,
    );
  }
  writeFileSync(marker, want);
  return lib;
}
