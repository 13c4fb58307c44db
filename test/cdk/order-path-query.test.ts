/**
 * The saved Logs Insights query of one order's path (lib/services/order-path-query.ts): over every
 * function's log group, and the very query the README documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_PATH_QUERY } from '../../lib/services/order-path-query';
import { functions } from '../../lib/topology';
import { logicalIdOf, onlyResource, synthPipeline } from './support';

const pipeline = synthPipeline();
const { services } = pipeline.stacks;
const template = pipeline.template(services);

describe('order path query', () => {
  it("is saved in the account over every function's own log group", () => {
    const [, query] = onlyResource(template, 'AWS::Logs::QueryDefinition');
    expect(query.Properties.Name).toBe('OrderSaga-Services/order-path');
    expect(query.Properties.QueryString).toBe(ORDER_PATH_QUERY.toString());
    const expected = [...services.functions.values()].map((fn) => ({
      Ref: logicalIdOf(fn.logGroup),
    }));
    expect(expected).toHaveLength(Object.keys(functions).length);
    expect(query.Properties.LogGroupNames).toEqual(expected);
  });

  it('is the query the README documents', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`\n${ORDER_PATH_QUERY.toString()}\n\`\`\``);
  });
});
