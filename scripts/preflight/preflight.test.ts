/**
 * The whole command: the plan read from the synthesized app (what the stacks really reserve, create
 * and require), --help documenting every check, exit 0 only when every check passes or warns, 1 on a
 * failing check or a bad configuration, 2 on a bad command line. AWS is mocked (test-support.ts).
 */
import { join } from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { cdkContext, planDeployment } from './plan';
import { CHECKS, EXIT, preflight } from './run';
import { clients, mockHealthyAccount, mocks, named } from './test-support';

const root = join(__dirname, '..', '..');
const env = { PATH: process.env.PATH };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, root } };
}

beforeEach(() => {
  for (const m of Object.values(mocks)) m.reset();
  mockHealthyAccount();
});

describe('the plan, read from the synthesized app', () => {
  const plan = planDeployment(cdkContext(root, { alarmEmail: 'ops@example.com' }), env);

  it('knows what the stacks need: bootstrap version and parameter, endpoints, VPC, the API Gateway role', () => {
    expect(plan.requiredBootstrapVersion).toBeGreaterThanOrEqual(6);
    expect(plan.bootstrapVersionParameter).toBe('/cdk-bootstrap/hnb659fds/version');
    expect(plan.vpcs).toBe(1);
    expect(plan.interfaceEndpointsPerVpc).toBe(3);
    expect(plan.setsApiGatewayAccount).toBe(true);
    expect(plan.config.region).toBe('us-east-1');
    expect(plan.azIds).toEqual(['use1-az1', 'use1-az2']);
    expect(plan.config.alarmEmail).toBe('ops@example.com');
  });

  it('sums the reserved concurrency the templates set (none by default, the opt-in key when given)', () => {
    expect(plan.reservedConcurrency).toBe(0);
    const reserving = planDeployment(cdkContext(root, { relayReservedConcurrency: '5' }), env);
    expect(reserving.reservedConcurrency).toBe(5);
  });
});

describe('npm run preflight', () => {
  it('--help documents every check with its API calls and its AWS source', async () => {
    const c = capture();
    expect(await preflight(['--help'], c.io, () => clients)).toBe(EXIT.ok);
    const help = c.out.join('\n');
    for (const check of CHECKS) {
      expect(help).toContain(check.id);
      expect(help).toContain(check.source);
    }
    expect(mocks.ssm.calls()).toHaveLength(0);
  });

  it('all good: exit 0 and says the deploy can start', async () => {
    const c = capture();
    expect(await preflight(['-c', 'alarmEmail=ops@example.com'], c.io, () => clients)).toBe(EXIT.ok);
    expect(c.out.filter((l) => l.startsWith('ok   '))).toHaveLength(CHECKS.length);
    expect(c.out.at(-1)).toBe('A deploy can start: npx cdk deploy --all');
    expect(mocks.ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('one failing check: exit 1, its sentence printed', async () => {
    mocks.ssm.on(GetParameterCommand).rejects(named('ParameterNotFound'));
    const c = capture();
    expect(await preflight(['-c', 'alarmEmail=ops@example.com'], c.io, () => clients)).toBe(EXIT.failed);
    expect(c.out).toContainEqual(expect.stringMatching(/^FAIL cdk-bootstrap: The CDK bootstrap stack is missing/));
    expect(c.out.at(-1)).toBe('1 check(s) failed: fix them before deploying.');
  });

  it('a bad configuration fails before any AWS call, naming the key', async () => {
    const c = capture();
    expect(await preflight(['-c', 'mskAzIds=use1-az1,use1-az3'], c.io, () => clients)).toBe(EXIT.failed);
    expect(c.err.join('\n')).toMatch(/^FAIL configuration: .*mskAzIds.*use1-az3/);
    expect(mocks.ssm.calls()).toHaveLength(0);
  });

  it('a bad command line is a usage error', async () => {
    const c = capture();
    expect(await preflight(['-c', 'novalue'], c.io, () => clients)).toBe(EXIT.usage);
    expect(c.err).toEqual(['error: -c needs key=value, got "novalue"']);
    expect(await preflight(['--force'], capture().io, () => clients)).toBe(EXIT.usage);
  });
});
