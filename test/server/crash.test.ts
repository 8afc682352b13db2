/**
 * A gateway process under load is killed with SIGKILL and started again. Every bericht that got a
 * 202 is delivered; none is lost; none is delivered as two different berichten (delivery is at
 * least once, so a copy may come twice, but always the same bytes). Senders retry what got no
 * answer, with the same bericht, as the idempotency rules say they may.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleBericht } from '../../src/demo/network.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { signBericht } from '../../src/signing/sign.js';
import { gatewayFixture, OIN } from '../helpers/gateway-process.js';
import { startReceiver, type TestReceiver } from '../helpers/receiver.js';

let child: ChildProcess | undefined;
let receiver: TestReceiver | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await receiver?.close();
});

describe('crash: SIGKILL under load', () => {
  it('delivers every accepted bericht after a restart, none lost, none altered', { timeout: 120_000 }, async () => {
    receiver = await startReceiver();
    const fixture = await gatewayFixture(receiver.url);
    child = await fixture.start();

    const TOTAL = 240;
    const bodies = await Promise.all(
      Array.from({ length: TOTAL }, async (_, i) => {
        const bericht = { ...exampleBericht('overdracht-na-veiligheidsbeoordeling'), berichtId: randomUUID(), dossier: { referentie: `VTZL-2026-${String(100000 + i)}`, volgnummer: 1 } };
        return { id: bericht.berichtId, body: JSON.stringify(await signBericht(bericht, fixture.vt)) };
      }),
    );
    const accepted = new Map<string, string>(); // berichtId → the receipt's received-at
    let killed = false;

    const sendAll = async () => {
      const queue = bodies.filter((b) => !accepted.has(b.id));
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let item = queue.shift(); item; item = queue.shift()) {
            try {
              const response = await request(`${fixture.url}/v1/berichten`, {
                method: 'POST',
                body: item.body,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${await createBearerToken(fixture.vt, OIN.gateway)}` },
              });
              const text = await response.body.text();
              if (response.statusCode === 202) {
                const receipt = JSON.parse(text) as { ontvangenOp: string };
                const earlier = accepted.get(item.id);
                if (earlier !== undefined) expect(receipt.ontvangenOp).toBe(earlier);
                accepted.set(item.id, receipt.ontvangenOp);
              }
            } catch {
              // The gateway died mid-request: no answer, so the sender will try again.
            }
            if (!killed && accepted.size >= TOTAL / 3) {
              killed = true;
              child?.kill('SIGKILL');
            }
          }
        }),
      );
    };

    await sendAll();
    expect(killed).toBe(true);
    const acceptedBeforeRestart = accepted.size;
    expect(acceptedBeforeRestart).toBeLessThan(TOTAL);

    child = await fixture.start();
    while (accepted.size < TOTAL) await sendAll();

    const deadline = Date.now() + 60_000;
    const deliveredIds = () => new Set(receiver!.received.map((b) => b.berichtId));
    while (deliveredIds().size < TOTAL && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    expect([...accepted.keys()].filter((id) => !deliveredIds().has(id))).toEqual([]);
    const copies = new Map<string, string>();
    for (const bericht of receiver.received) {
      const text = JSON.stringify(bericht);
      const seen = copies.get(bericht.berichtId);
      if (seen !== undefined) expect(text).toBe(seen);
      copies.set(bericht.berichtId, text);
    }
    expect(copies.size).toBe(TOTAL);
  });
});
