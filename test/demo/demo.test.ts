/** `zicht demo --once`: the whole network over real HTTP on localhost, and no personal data in what it prints. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { personalValuesIn } from '../helpers/examples.js';

describe('zicht demo --once', () => {
  it('hands over to two gemeenten, gets their receipts back, prints the trail with zicht passing at the acceptance, exits 0', async () => {
    const run = await runCli('demo', '--once');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gateway answered 202');
    expect(run.stdout).toMatch(/Console at http:\/\/127\.0\.0\.1:\d+\/console/);
    // Heerlen and Kerkrade each confirm receipt (AFL-005), then accept: four receipts reach VT.
    expect(run.stdout.match(/Veilig Thuis Zuid-Limburg received ontvangstbevestiging/g)).toHaveLength(4);
    // The Zuid-Limburg network runs on the zuid-limburg profile, and zicht passes once, at an acceptance, to Heerlen.
    expect(run.stdout).toContain('profiel zuid-limburg');
    const passes = [...run.stdout.matchAll(/\n(.*)\n {6}-> zicht op veiligheid passes to (.*) \(signed time/g)];
    expect(passes).toHaveLength(1);
    expect(passes[0]?.[1]).toMatch(/bericht\.accepted +Sociaal team (Heerlen|Kerkrade) /);
    expect(passes[0]?.[2]).toBe('Sociaal team Heerlen');
    // The bericht it passes at is an acceptance, not Kerkrade's receipt.
    const id = /([0-9a-f-]{36})/.exec(passes[0]?.[1] ?? '')?.[1] ?? 'none';
    expect(run.stdout).toContain(`status=geaccepteerd viaBericht=${id}`);
    expect(run.stdout).not.toContain(`status=ontvangen viaBericht=${id}`);
    expect(run.stdout).toMatch(/overgang\.meerdereGemeenten \(Z-L 5\.2\.4, 6\.2\)/);
    for (const type of ['bericht.accepted', 'delivery.delivered', 'delivery.acknowledged']) expect(run.stdout).toContain(type);
    expect(personalValuesIn(run.stdout)).toEqual([]);
  });
});
