import GRDB

/// The store's schema, as versioned migrations. A newer Vigil applies the migrations an
/// older database lacks; a database with migrations this Vigil does not know is refused.
/// Never edit a migration that has shipped: add a new one.
enum StoreSchema {
    /// `PRAGMA application_id` of a Vigil database ("VGIL").
    static let applicationID: Int32 = 0x5647_494C

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        for (identifier, sql) in migrations {
            m.registerMigration(identifier) { db in try db.execute(sql: sql) }
        }
        return m
    }

    /// Every migration, oldest first: its identifier and its SQL.
    static let migrations: [(String, String)] = [
        ("v1-scans", """
            CREATE TABLE scans (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              uuid TEXT NOT NULL UNIQUE,
              host_name TEXT NOT NULL,
              host_id TEXT NOT NULL,
              target TEXT NOT NULL,
              content_path TEXT NOT NULL,
              content_sha256 TEXT NOT NULL,
              benchmark_id TEXT NOT NULL,
              benchmark_version TEXT NOT NULL,
              profile_id TEXT NOT NULL,
              vigil_version TEXT NOT NULL,
              started_at DOUBLE NOT NULL,
              finished_at DOUBLE NOT NULL,
              score DOUBLE,
              score_max DOUBLE,
              score_system TEXT,
              pass INTEGER NOT NULL DEFAULT 0,
              fail INTEGER NOT NULL DEFAULT 0,
              error INTEGER NOT NULL DEFAULT 0,
              unknown INTEGER NOT NULL DEFAULT 0,
              notapplicable INTEGER NOT NULL DEFAULT 0,
              notchecked INTEGER NOT NULL DEFAULT 0,
              notselected INTEGER NOT NULL DEFAULT 0,
              informational INTEGER NOT NULL DEFAULT 0,
              fixed INTEGER NOT NULL DEFAULT 0
            );
            -- Rule ids, titles and references, kept once per content file and rule;
            -- results point at them by number, which keeps each result row small.
            CREATE TABLE rules (
              id INTEGER PRIMARY KEY,
              content_sha256 TEXT NOT NULL,
              rule_id TEXT NOT NULL,
              title TEXT NOT NULL,
              refs TEXT NOT NULL,
              UNIQUE (content_sha256, rule_id)
            );
            CREATE TABLE results (
              scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
              seq INTEGER NOT NULL,
              rule INTEGER NOT NULL REFERENCES rules(id),
              instance TEXT NOT NULL,
              severity TEXT NOT NULL,
              result TEXT NOT NULL,
              evidence TEXT,
              PRIMARY KEY (scan_id, seq)
            ) WITHOUT ROWID;
            """),
        // history and drift look scans up by host, benchmark and profile, newest first.
        ("v2-series-index", """
            CREATE INDEX scans_series ON scans (host_id, benchmark_id, profile_id, started_at);
            CREATE INDEX scans_started ON scans (started_at);
            """),
        // Reports show each rule's description, rationale and fix text.
        ("v3-rule-texts", """
            ALTER TABLE rules ADD COLUMN description TEXT NOT NULL DEFAULT '';
            ALTER TABLE rules ADD COLUMN rationale TEXT NOT NULL DEFAULT '';
            ALTER TABLE rules ADD COLUMN fixtext TEXT NOT NULL DEFAULT '';
            """),
        // Scans name the kind of target beside its reference; earlier scans were of the
        // live host ("/", or "live host" in the first releases) or of a root directory.
        ("v4-target-kind", """
            ALTER TABLE scans ADD COLUMN target_kind TEXT NOT NULL DEFAULT 'host';
            UPDATE scans SET target_kind = CASE WHEN target IN ('/', 'live host') THEN 'host' ELSE 'root' END;
            """),
        // The policy a scan applied (tailoring, values, the values each rule uses), as
        // JSON; earlier scans have none.
        ("v5-scan-policy", """
            CREATE TABLE scan_policies (
              scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,
              policy TEXT NOT NULL
            );
            """),
        // Rules keep the titles of the Groups that hold them (a JSON list, outermost first),
        // for the HTML report's tree view; rules stored before have none.
        ("v6-rule-groups", """
            ALTER TABLE rules ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';
            """),
        // Reports name the scanned system (OS, kernel, addresses, user) and the policy's
        // titles: one JSON text per scan (`SystemIdentity`); NULL for earlier scans.
        ("v7-system-identity", """
            ALTER TABLE scans ADD COLUMN system TEXT;
            """),
        // Each result keeps how its rule is checked (`RuleCheckSystem`), for the reports'
        // SCAP-pure marking, as a number (`StoredCheckSystem`: 0 oval, 1 native, 2 other):
        // SQLite stores 0 and 1 in the row's header alone, where a text adds about 13% to a
        // store of SCAP-pure scans. NULL (unknown) for earlier results.
        ("v8-check-system", """
            ALTER TABLE results ADD COLUMN check_system INTEGER CHECK (check_system IN (0, 1, 2));
            """),
        // A node's journal (`Outbox`): which stored scans still have to be sent to which
        // central database (its URI without a password), how often sending was tried and
        // why it last failed; `sent_at` is set once the destination has the scan. Empty in
        // a central database, which has it too: every database has the same migrations.
        ("v9-outbox", """
            CREATE TABLE outbox (
              scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
              destination TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0,
              last_error TEXT,
              queued_at DOUBLE NOT NULL,
              sent_at DOUBLE,
              PRIMARY KEY (scan_id, destination)
            );
            CREATE INDEX outbox_pending ON outbox (destination, sent_at);
            """),
        // `vigil fleet` reads the failing results of each series' latest two scans: a
        // partial index holds only those rows (a tenth of a typical scan's).
        ("v10-failing-results", """
            CREATE INDEX results_failing ON results (scan_id) WHERE result = 'fail';
            """),
    ]
}
