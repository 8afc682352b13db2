/** exportBundle over a log that grows while it is read: every page must prove against one checkpoint. */
import { describe, expect, it } from 'vitest';
import { exportBundle, type LogSource } from '../../src/audit/export.js';
import { IoError } from '../../src/errors.js';

/** A source of `size` entries (1500: two pages) whose checkpoint changes on each of the first `changes` page reads. */
function growingSource(changes: number): LogSource & { reads: number } {
  let version = 0;
  const source = {
    reads: 0,
    complete: true,
    verifierKey: () => Promise.resolve('k+00000000+AAAA'),
    consistency: () => Promise.resolve([]),
    entries: (start: number, end: number) => {
      source.reads += 1;
      if (version < changes && start > 0) version += 1;
      const entries = Array.from({ length: Math.max(0, end - start) }, (_, i) => ({ index: start + i, leaf: `{"at":"2026-01-01T00:00:00.000Z","i":${start + i}}`, proof: [] }));
      return Promise.resolve({ checkpoint: `checkpoint ${version}`, size: 1500, view: 'all' as const, entries });
    },
  };
  return source;
}

describe('exportBundle', () => {
  it('starts again when a new checkpoint comes in between pages, and every entry proves against the last one', async () => {
    const bundle = await exportBundle(growingSource(1));
    expect(bundle?.checkpoint).toBe('checkpoint 1');
    expect(bundle?.entries.map((e) => e.index)).toEqual([...Array(1500).keys()]);
    expect(bundle?.selection.complete).toBe(true);
  });

  it('gives up with an I/O error when the log keeps growing', async () => {
    await expect(exportBundle(growingSource(100))).rejects.toBeInstanceOf(IoError);
  });

  it('keeps only the selected time range, and says the export is not complete', async () => {
    const bundle = await exportBundle(growingSource(0), { from: new Date('2027-01-01T00:00:00Z') });
    expect(bundle?.entries).toEqual([]);
    expect(bundle?.selection.complete).toBe(false);
  });
});
