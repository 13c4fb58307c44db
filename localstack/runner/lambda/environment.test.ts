import { lambdaHeapLimits } from './environment';

describe('lambdaHeapLimits', () => {
  it('follows the Lambda Node.js bootstrap: new space = memory/10 (two semi-spaces), old space = the rest', () => {
    expect(lambdaHeapLimits(512)).toEqual({ maxOldGenerationSizeMb: 461, maxYoungGenerationSizeMb: 75 });
    expect(lambdaHeapLimits(1024)).toEqual({ maxOldGenerationSizeMb: 922, maxYoungGenerationSizeMb: 153 });
    expect(lambdaHeapLimits(128)).toEqual({ maxOldGenerationSizeMb: 116, maxYoungGenerationSizeMb: 18 });
  });
});
