/**
 * PostgreSQL databases of their own for tests that need a whole database (a gateway process, pg_dump, ALTER
 * DATABASE): created on the test server (ZICHT_TEST_DATABASE_URL, default the machine's test database) and
 * dropped by {@link dropPgDatabases}.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from '../store/backends.js';

const created: string[] = [];

/** Runs one statement on the test server's own database. */
export async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of `name` on the test server. */
export const pgUrlOf = (name: string): string => PG_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);

/** Creates a fresh, empty database named `prefix_<random>`; its name and URL. */
export async function freshPgDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE ${name}`);
  created.push(name);
  return { name, url: pgUrlOf(name) };
}

/** Drops every database {@link freshPgDatabase} created (for afterAll). */
export async function dropPgDatabases(): Promise<void> {
  for (const name of created.splice(0)) await pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
