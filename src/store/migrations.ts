/**
 * The versioned schema of the store. Each migration is a list entry with its statements for both
 * backends; `Store.migrate` applies those not yet recorded in `zicht_migrations`. Never change a released
 * migration: add a new one. Times are INTEGER milliseconds since the epoch on SQLite, `timestamptz` on
 * PostgreSQL; the store converts both to `Date`.
 */
import type { StoreBackend } from './store.js';

/** One step of the schema. */
export type Migration = {
  /** 1, 2, 3, …: consecutive, never reused. */
  readonly version: number;
  /** A short name for people. */
  readonly name: string;
  /** The statements per backend, run in order in one transaction. */
  readonly statements: Readonly<Record<StoreBackend, readonly string[]>>;
};

/** Every migration, in version order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'berichten, deliveries, events',
    statements: {
      sqlite: [
        `CREATE TABLE berichten (
          seq INTEGER PRIMARY KEY,
          bericht_id TEXT NOT NULL UNIQUE,
          sender_oin TEXT NOT NULL,
          bericht_type TEXT NOT NULL,
          dossier_referentie TEXT NOT NULL,
          volgnummer INTEGER NOT NULL,
          in_antwoord_op TEXT,
          content_hash TEXT NOT NULL,
          body TEXT NOT NULL,
          received_at INTEGER NOT NULL,
          receipt TEXT NOT NULL
        )`,
        'CREATE INDEX berichten_dossier ON berichten (dossier_referentie, seq)',
        `CREATE TABLE deliveries (
          bericht_id TEXT NOT NULL REFERENCES berichten (bericht_id),
          receiver_oin TEXT NOT NULL,
          bericht_seq INTEGER NOT NULL,
          dossier_referentie TEXT NOT NULL,
          mode TEXT NOT NULL CHECK (mode IN ('push', 'pull')),
          status TEXT NOT NULL CHECK (status IN ('queued', 'delivered', 'acknowledged', 'failed')),
          attempts INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL,
          last_error_code TEXT,
          lease_owner TEXT,
          lease_until INTEGER,
          delivered_at INTEGER,
          acknowledged_at INTEGER,
          failed_at INTEGER,
          PRIMARY KEY (bericht_id, receiver_oin)
        )`,
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'queued' AND mode = 'push'",
        "CREATE INDEX deliveries_order ON deliveries (receiver_oin, dossier_referentie, bericht_seq) WHERE status = 'queued'",
        "CREATE INDEX deliveries_mailbox ON deliveries (receiver_oin, bericht_seq) WHERE mode = 'pull' AND status IN ('queued', 'delivered')",
        `CREATE TABLE events (
          seq INTEGER PRIMARY KEY,
          type TEXT NOT NULL,
          bericht_id TEXT NOT NULL REFERENCES berichten (bericht_id),
          oin TEXT NOT NULL,
          at INTEGER NOT NULL,
          data TEXT NOT NULL
        )`,
        'CREATE INDEX events_bericht ON events (bericht_id, seq)',
      ],
      postgres: [
        `CREATE TABLE berichten (
          seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          bericht_id text NOT NULL UNIQUE,
          sender_oin text NOT NULL,
          bericht_type text NOT NULL,
          dossier_referentie text NOT NULL,
          volgnummer integer NOT NULL,
          in_antwoord_op text,
          content_hash text NOT NULL,
          body text NOT NULL,
          received_at timestamptz NOT NULL,
          receipt text NOT NULL
        )`,
        'CREATE INDEX berichten_dossier ON berichten (dossier_referentie, seq)',
        `CREATE TABLE deliveries (
          bericht_id text NOT NULL REFERENCES berichten (bericht_id),
          receiver_oin text NOT NULL,
          bericht_seq bigint NOT NULL,
          dossier_referentie text NOT NULL,
          mode text NOT NULL CHECK (mode IN ('push', 'pull')),
          status text NOT NULL CHECK (status IN ('queued', 'delivered', 'acknowledged', 'failed')),
          attempts integer NOT NULL,
          next_attempt_at timestamptz NOT NULL,
          last_error_code text,
          lease_owner text,
          lease_until timestamptz,
          delivered_at timestamptz,
          acknowledged_at timestamptz,
          failed_at timestamptz,
          PRIMARY KEY (bericht_id, receiver_oin)
        )`,
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'queued' AND mode = 'push'",
        "CREATE INDEX deliveries_order ON deliveries (receiver_oin, dossier_referentie, bericht_seq) WHERE status = 'queued'",
        "CREATE INDEX deliveries_mailbox ON deliveries (receiver_oin, bericht_seq) WHERE mode = 'pull' AND status IN ('queued', 'delivered')",
        `CREATE TABLE events (
          seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          type text NOT NULL,
          bericht_id text NOT NULL REFERENCES berichten (bericht_id),
          oin text NOT NULL,
          at timestamptz NOT NULL,
          data text NOT NULL
        )`,
        'CREATE INDEX events_bericht ON events (bericht_id, seq)',
      ],
    },
  },
  {
    version: 2,
    name: 'traceparent of berichten, token ids seen',
    statements: {
      sqlite: [
        'ALTER TABLE berichten ADD COLUMN traceparent TEXT',
        `CREATE TABLE token_ids (
          iss TEXT NOT NULL,
          jti TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          PRIMARY KEY (iss, jti)
        )`,
        'CREATE INDEX token_ids_expiry ON token_ids (expires_at)',
      ],
      postgres: [
        'ALTER TABLE berichten ADD COLUMN traceparent text',
        `CREATE TABLE token_ids (
          iss text NOT NULL,
          jti text NOT NULL,
          expires_at timestamptz NOT NULL,
          PRIMARY KEY (iss, jti)
        )`,
        'CREATE INDEX token_ids_expiry ON token_ids (expires_at)',
      ],
    },
  },
  {
    version: 3,
    name: 'participant registry',
    statements: {
      sqlite: ['CREATE TABLE deelnemers (oin TEXT PRIMARY KEY, record TEXT NOT NULL)'],
      postgres: ['CREATE TABLE deelnemers (oin text PRIMARY KEY, record text NOT NULL)'],
    },
  },
  {
    // The audit log (src/audit/): leaves written with their events, numbered later by the sequencer
    // (leaf_index NULL until then), the tree's complete subtrees, signed checkpoints, and the per-bericht
    // salts of the leaves' commitments, apart from the log so that purging a salt leaves the log intact.
    version: 4,
    name: 'audit log: leaves, tree nodes, checkpoints, bericht salts',
    statements: {
      sqlite: [
        `CREATE TABLE log_leaves (
          id INTEGER PRIMARY KEY,
          leaf_index INTEGER UNIQUE,
          sender_oin TEXT NOT NULL,
          receiver_oins TEXT NOT NULL,
          at INTEGER NOT NULL,
          data TEXT NOT NULL
        )`,
        'CREATE INDEX log_leaves_unsequenced ON log_leaves (id) WHERE leaf_index IS NULL',
        'CREATE TABLE log_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))',
        'CREATE TABLE log_checkpoints (size INTEGER PRIMARY KEY, root TEXT NOT NULL, note TEXT NOT NULL, at INTEGER NOT NULL)',
        'CREATE TABLE bericht_salts (bericht_id TEXT PRIMARY KEY REFERENCES berichten (bericht_id), salt TEXT NOT NULL, commitment TEXT NOT NULL)',
      ],
      postgres: [
        `CREATE TABLE log_leaves (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          leaf_index bigint UNIQUE,
          sender_oin text NOT NULL,
          receiver_oins text NOT NULL,
          at timestamptz NOT NULL,
          data text NOT NULL
        )`,
        'CREATE INDEX log_leaves_unsequenced ON log_leaves (id) WHERE leaf_index IS NULL',
        'CREATE TABLE log_nodes (level integer NOT NULL, idx bigint NOT NULL, hash text NOT NULL, PRIMARY KEY (level, idx))',
        'CREATE TABLE log_checkpoints (size bigint PRIMARY KEY, root text NOT NULL, note text NOT NULL, at timestamptz NOT NULL)',
        'CREATE TABLE bericht_salts (bericht_id text PRIMARY KEY REFERENCES berichten (bericht_id), salt text NOT NULL, commitment text NOT NULL)',
      ],
    },
  },
  {
    // The durable timers of the dossiers' terms (src/lifecycle/termijnen.ts): opened with the bericht that
    // starts a term, settled with the one that meets it, claimed with a lease and fired once when due.
    // `maand` is 0 except for monitoring moments, so that it can be part of the key.
    version: 5,
    name: 'lifecycle timers',
    statements: {
      sqlite: [
        `CREATE TABLE termijnen (
          bericht_id TEXT NOT NULL REFERENCES berichten (bericht_id),
          soort TEXT NOT NULL CHECK (soort IN ('ontvangstbevestiging', 'eerste-contact', 'monitoring', 'escalatie-antwoord')),
          moet_handelen TEXT NOT NULL,
          maand INTEGER NOT NULL,
          dossier_referentie TEXT NOT NULL,
          profiel TEXT NOT NULL,
          regel TEXT NOT NULL,
          due_at INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'gehaald', 'vervallen', 'verlopen')),
          lease_owner TEXT,
          lease_until INTEGER,
          settled_at INTEGER,
          signaal_id TEXT,
          PRIMARY KEY (bericht_id, soort, moet_handelen, maand)
        )`,
        "CREATE INDEX termijnen_due ON termijnen (due_at) WHERE status = 'open'",
        'CREATE INDEX termijnen_dossier ON termijnen (dossier_referentie)',
      ],
      postgres: [
        `CREATE TABLE termijnen (
          bericht_id text NOT NULL REFERENCES berichten (bericht_id),
          soort text NOT NULL CHECK (soort IN ('ontvangstbevestiging', 'eerste-contact', 'monitoring', 'escalatie-antwoord')),
          moet_handelen text NOT NULL,
          maand integer NOT NULL,
          dossier_referentie text NOT NULL,
          profiel text NOT NULL,
          regel text NOT NULL,
          due_at timestamptz NOT NULL,
          status text NOT NULL CHECK (status IN ('open', 'gehaald', 'vervallen', 'verlopen')),
          lease_owner text,
          lease_until timestamptz,
          settled_at timestamptz,
          signaal_id text,
          PRIMARY KEY (bericht_id, soort, moet_handelen, maand)
        )`,
        "CREATE INDEX termijnen_due ON termijnen (due_at) WHERE status = 'open'",
        'CREATE INDEX termijnen_dossier ON termijnen (dossier_referentie)',
      ],
    },
  },
  {
    // Privacy (issue 11): payloads purged after the retention period (src/retention/) keep a metadata
    // residue in `body` and get `purged_at`; payloads encrypted at rest (src/store/body-cipher.ts) keep the
    // id of the key-encryption key and the wrapped data key, so that the KEK can rotate row by row.
    // Version 5 belongs to the lifecycle timers; the runner applies whichever is missing.
    version: 6,
    name: 'privacy: purge marker, encrypted payload keys',
    statements: {
      sqlite: [
        'ALTER TABLE berichten ADD COLUMN purged_at INTEGER',
        'ALTER TABLE berichten ADD COLUMN body_kek TEXT',
        'ALTER TABLE berichten ADD COLUMN body_dek TEXT',
        'CREATE INDEX berichten_unpurged ON berichten (seq) WHERE purged_at IS NULL',
      ],
      postgres: [
        'ALTER TABLE berichten ADD COLUMN purged_at timestamptz',
        'ALTER TABLE berichten ADD COLUMN body_kek text',
        'ALTER TABLE berichten ADD COLUMN body_dek text',
        'CREATE INDEX berichten_unpurged ON berichten (seq) WHERE purged_at IS NULL',
      ],
    },
  },
  {
    // Console sessions shared by every gateway on the database (issue 19); the id only as its SHA-256.
    version: 7,
    name: 'console sessions',
    statements: {
      sqlite: [
        `CREATE TABLE console_sessions (
          id_hash TEXT PRIMARY KEY,
          oin TEXT NOT NULL,
          rol TEXT NOT NULL,
          naam TEXT NOT NULL,
          csrf TEXT NOT NULL,
          via TEXT NOT NULL,
          expires_at INTEGER NOT NULL
        )`,
        'CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)',
      ],
      postgres: [
        `CREATE TABLE console_sessions (
          id_hash text PRIMARY KEY,
          oin text NOT NULL,
          rol text NOT NULL,
          naam text NOT NULL,
          csrf text NOT NULL,
          via text NOT NULL,
          expires_at timestamptz NOT NULL
        )`,
        'CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)',
      ],
    },
  },
];

/** The latest schema version this code knows. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
