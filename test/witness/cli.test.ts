/** `zicht witness keygen` and the usage errors of `zicht witness serve`. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosignerOf, parseCosignerKey } from '../../src/audit/cosignature.js';
import { loadLogSigner } from '../../src/audit/log-key.js';
import { runCli } from '../helpers/cli.js';

describe('zicht witness', () => {
  it('keygen writes a signed-note key (mode 0600, never over a file) and prints its cosignature/v1 key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zicht-witness-cli-'));
    try {
      const out = join(dir, 'witness.key');
      const run = await runCli('witness', 'keygen', '--name', 'inspectie.example/w1', '--out', out);
      expect(run.code).toBe(0);
      const signer = loadLogSigner(await readFile(out, 'utf8'));
      const printed = parseCosignerKey(run.stdout.trim());
      expect(printed.vkey).toBe(cosignerOf(signer).vkey);
      expect(printed.vkey).not.toBe(signer.vkey); // type 0x04, not the key's 0x01 form
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      expect((await runCli('witness', 'keygen', '--name', 'inspectie.example/w1', '--out', out)).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serve refuses to start without its key, state and logs, or with a --log that is no verifier key (exit 2)', async () => {
    expect((await runCli('witness', 'serve')).code).toBe(2);
    const bad = await runCli('witness', 'serve', '--key', 'k', '--state', 's', '--log', 'not-a-key');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--log is not a signed-note verifier key');
    expect((await runCli('witness', 'frobnicate')).code).toBe(2);
  });
});
