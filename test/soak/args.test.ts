/** The soak run's command line (this folder: the soak test, `npm run soak`, its fault schedule and settling). */
import { DEFAULT_FAULTS, parseSoakArgs } from './args';

describe('soak command line', () => {
  it('needs --orders and has defaults for the rest', () => {
    expect(parseSoakArgs(['--orders', '200'])).toEqual({
      orders: 200,
      rate: 5,
      faults: DEFAULT_FAULTS,
      faultEverySeconds: 60,
      settleSeconds: 300,
      out: 'reports/soak.json',
    });
    expect(DEFAULT_FAULTS).toContain('relay-outage-long');
  });

  it('takes every option', () => {
    expect(
      parseSoakArgs([
        '--orders',
        '10000',
        '--rate',
        '2.5',
        '--faults',
        'broker-kill,relay-outage-long',
        '--fault-every',
        '30',
        '--settle',
        '90',
        '--out',
        '/tmp/s.json',
      ]),
    ).toEqual({
      orders: 10000,
      rate: 2.5,
      faults: ['broker-kill', 'relay-outage-long'],
      faultEverySeconds: 30,
      settleSeconds: 90,
      out: '/tmp/s.json',
    });
  });

  it.each([
    [[], '--orders is required'],
    [['--orders', '0'], '--orders must be a positive integer, got "0"'],
    [['--orders', '1.5'], '--orders must be a positive integer, got "1.5"'],
    [['--orders', '5', '--rate', 'fast'], '--rate must be a positive number, got "fast"'],
    [['--orders', '5', '--faults', 'meteor'], '--faults: unknown fault "meteor"'],
    [['--orders', '5', '--faults', ''], '--faults: unknown fault ""'],
    [['--orders', '5', '--verbose'], 'unknown option "--verbose"'],
    [['--orders'], '--orders must be a positive integer, got ""'],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseSoakArgs(argv)).toThrow(message);
  });
});
