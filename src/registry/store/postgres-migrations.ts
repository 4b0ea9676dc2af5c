/**
 * The PostgreSQL registry schema as numbered migrations, applied in order on start and recorded,
 * so an instance never runs against a schema it does not know.
 */

/** One migration: its number and the statements that take the schema from number-1 to number. */
export interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

/** Every migration, in order. Append only: a published migration is never edited. */
export function registryMigrations(schema: string): readonly Migration[] {
  const s = quoteIdent(schema);
  return [
    {
      version: 1,
      statements: [
        `CREATE TABLE ${s}.versions (
          api text NOT NULL,
          version text NOT NULL,
          status text NOT NULL CHECK (status IN ('published', 'deprecated', 'retired')),
          digest text NOT NULL,
          format text NOT NULL CHECK (format IN ('yaml', 'json')),
          document text NOT NULL,
          published_at timestamptz NOT NULL,
          deprecated_at timestamptz,
          sunset timestamptz,
          successor text,
          retired_at timestamptz,
          PRIMARY KEY (api, version)
        )`,
        `CREATE TABLE ${s}.audit (
          seq bigint PRIMARY KEY,
          at timestamptz NOT NULL,
          actor_provider text NOT NULL,
          actor_subject text NOT NULL,
          action text NOT NULL,
          api text NOT NULL,
          version text NOT NULL,
          digest text,
          governance jsonb,
          override_reason text,
          sunset timestamptz,
          successor text,
          trigger text
        )`,
        `CREATE INDEX audit_api ON ${s}.audit (api, seq)`,
        // Append-only whoever connects: updates and deletes of audit rows raise. (Run the gateway
        // as a role that does not own the table, so that it cannot drop the trigger either.)
        `CREATE FUNCTION ${s}.audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$`,
        `CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.audit
          FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_is_append_only()`,
        `REVOKE UPDATE, DELETE, TRUNCATE ON ${s}.audit FROM PUBLIC`,
      ],
    },
    {
      version: 2,
      statements: [
        // Who still called a version when it was deprecated or retired.
        `ALTER TABLE ${s}.audit ADD COLUMN consumers jsonb`,
        // Lifecycle webhooks sent once per version and event (sunset reminders survive restarts; instances do not send twice).
        `CREATE TABLE ${s}.notifications (
          api text NOT NULL,
          version text NOT NULL,
          event text NOT NULL,
          sent_at timestamptz NOT NULL,
          PRIMARY KEY (api, version, event)
        )`,
      ],
    },
  ];
}

/** A PostgreSQL identifier, quoted. Schema names come from configuration, never from requests. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
