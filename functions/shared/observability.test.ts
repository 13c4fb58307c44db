/** keyedLogger: every line carries the hop's keys as top-level fields, through the one Logger. */
import { keyedLogger, logger, loggerFor } from './observability';

/** The JSON lines the Logger writes, in order (INFO and DEBUG go to stdout, WARN and ERROR to stderr). */
function captureLines(): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const written: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')].map((spy) =>
    spy.mockImplementation(record),
  );
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('keyedLogger', () => {
  beforeAll(() => logger.setLogLevel('DEBUG'));

  test('each line has the keys and its own extra fields; empty keys are left out', () => {
    const out = captureLines();
    try {
      const log = keyedLogger({ requestId: 'r-1', correlationId: 'c-1', orderId: undefined });
      log.info('order created', { orderId: 'o-1' });
      log.error('unexpected error', { error: new Error('boom') });
    } finally {
      out.restore();
    }
    const [created, failed] = out.lines();
    expect(created).toMatchObject({
      level: 'INFO',
      message: 'order created',
      requestId: 'r-1',
      correlationId: 'c-1',
      orderId: 'o-1',
    });
    expect(failed).toMatchObject({
      level: 'ERROR',
      requestId: 'r-1',
      correlationId: 'c-1',
      error: { message: 'boom' },
    });
    expect(failed).not.toHaveProperty('orderId');
  });

  test('interleaved hops keep their own keys, and no child Logger is built per hop', () => {
    const createChild = jest.spyOn(logger, 'createChild');
    const out = captureLines();
    try {
      const a = loggerFor({ correlationId: 'c-a', eventId: 'e-a', orderId: 'o-a' });
      const b = loggerFor({ correlationId: 'c-b', eventId: 'e-b', orderId: 'o-b' });
      a.info('event processed');
      b.warn('record failed, will be retried');
      a.debug('done');
    } finally {
      out.restore();
    }
    expect(out.lines().map((l) => [l.message, l.correlationId, l.eventId, l.orderId])).toEqual([
      ['event processed', 'c-a', 'e-a', 'o-a'],
      ['record failed, will be retried', 'c-b', 'e-b', 'o-b'],
      ['done', 'c-a', 'e-a', 'o-a'],
    ]);
    expect(createChild).not.toHaveBeenCalled();
  });

  test('loggerFor takes only the three keys from whatever it is handed (payloads stay out)', () => {
    const out = captureLines();
    try {
      const event = { correlationId: 'c-1', eventId: 'e-1', orderId: 'o-1', payload: { cardNumber: '4111' } };
      loggerFor(event).info('event processed');
    } finally {
      out.restore();
    }
    const [line] = out.lines();
    expect(line).toMatchObject({ message: 'event processed', correlationId: 'c-1', eventId: 'e-1', orderId: 'o-1' });
    expect(JSON.stringify(line)).not.toContain('4111');
  });
});
