/**
 * A test clock for `zicht serve` child processes, loaded with `NODE_OPTIONS=--import <this file>`: the wall
 * clock (`Date.now()`, `new Date()`) runs ahead by the number of milliseconds written in the file that
 * ZICHT_TEST_CLOCK_FILE names (re-read at most every 50 ms, so a running process follows when the test moves
 * it). Timers (setTimeout, the poll loops) keep real time, as on a machine whose clock is set forward. The
 * gateway itself has no clock flag: a production process never runs on a test clock.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.ZICHT_TEST_CLOCK_FILE;
if (file !== undefined && file !== '') {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  let offset = 0;
  let readAt = -Infinity;
  const shift = () => {
    const t = realNow();
    if (t - readAt >= 50) {
      readAt = t;
      const text = readFileSync(file, 'utf8').trim();
      offset = text === '' ? 0 : Number(text);
    }
    return offset;
  };
  /** Date with the shifted "now"; every instance is a real Date (same prototype), so instanceof holds. */
  function ShiftedDate(...args) {
    const now = realNow() + shift();
    if (new.target === undefined) return new RealDate(now).toString();
    return args.length === 0 ? new RealDate(now) : new RealDate(...args);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => realNow() + shift();
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  globalThis.Date = ShiftedDate;
}
