/** `zicht demo --once`: the whole network over real HTTP on localhost, and no personal data in what it prints. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { personalValues } from '../helpers/examples.js';

describe('zicht demo --once', () => {
  it('hands over to two gemeenten, gets both receipts back, prints the trail, exits 0', async () => {
    const run = await runCli('demo', '--once');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gateway answered 202');
    expect(run.stdout).toMatch(/Console at http:\/\/127\.0\.0\.1:\d+\/console/);
    expect(run.stdout.match(/Veilig Thuis Zuid-Limburg received ontvangstbevestiging/g)).toHaveLength(2);
    for (const type of ['bericht.accepted', 'delivery.delivered', 'delivery.acknowledged']) expect(run.stdout).toContain(type);
    for (const secret of personalValues()) expect(run.stdout, secret).not.toContain(secret);
  });
});
