import { Worker } from 'node:worker_threads';
import { threadCpuSampler, threadGroup } from './thread-cpu';

describe('threadGroup', () => {
  it('drops the numbers that tell threads of one pool apart', () => {
    expect(threadGroup('GC Thread#0')).toBe('GC Thread');
    expect(threadGroup('qtp1434651019-17')).toBe('qtp');
    expect(threadGroup('C2 CompilerThre')).toBe('C2 CompilerThre');
    expect(threadGroup('order-view')).toBe('order-view');
    expect(threadGroup('42')).toBe('42'); // nothing left: keep the name
  });
});

describe('threadCpuSampler', () => {
  it('charges CPU to the thread that burned it: the main thread and a named worker', async () => {
    const sampler = threadCpuSampler();
    // A worker that names its thread and spins for 400 ms; the main thread spins for 300 ms meanwhile.
    const worker = new Worker(
      `require('node:fs').writeFileSync('/proc/thread-self/comm', 'spin-test');
       const end = Date.now() + 400; while (Date.now() < end);
       require('node:worker_threads').parentPort.postMessage('done');`,
      { eval: true },
    );
    const done = new Promise((resolve) => worker.once('message', resolve));
    const end = Date.now() + 300;
    while (Date.now() < end);
    await done;
    const split = sampler.stop(); // before the worker exits, so its thread is still listed
    await worker.terminate();
    expect(split['spin-test']).toBeGreaterThan(0.2);
    expect(split.main).toBeGreaterThan(0.2);
  });
});
