import GRDB

/// The tables of the agent's store and their migrations.
///
/// `devices` holds every field Apple sends, as of the latest operation applied, plus what the
/// agent derives: when it first saw the device, when it was removed, the full fetch that last
/// listed it (`seen_in_fetch`, for reconciliation) and profile-assignment bookkeeping.
/// `device_events` is each device's history. `sync_state` is one row: the cursor, stored only
/// in the transaction that stores its page. Times are Unix seconds.
enum LocalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE devices (
                        serial TEXT PRIMARY KEY,
                        description TEXT, model TEXT, os TEXT, device_family TEXT, color TEXT, asset_tag TEXT,
                        profile_uuid TEXT, profile_assign_time REAL, profile_push_time REAL, profile_status TEXT,
                        device_assigned_by TEXT, device_assigned_date REAL, mdm_migration_deadline REAL,
                        eid TEXT, ethernet_mac_address TEXT, wifi_mac_address TEXT, bluetooth_mac_address TEXT,
                        imei TEXT, meid TEXT, is_replacement_device INTEGER, released_by_replacement INTEGER,
                        op_type TEXT, op_date REAL,
                        first_seen REAL NOT NULL,
                        updated REAL NOT NULL,
                        removed REAL,
                        seen_in_fetch INTEGER NOT NULL DEFAULT 0,
                        auto_assign_pending INTEGER NOT NULL DEFAULT 0,
                        assign_result TEXT,
                        assign_not_before REAL) WITHOUT ROWID;
                    CREATE INDEX devices_pending_auto_assign ON devices(auto_assign_pending) WHERE auto_assign_pending;
                    CREATE TABLE device_events (
                        id INTEGER PRIMARY KEY,
                        serial TEXT NOT NULL,
                        source TEXT NOT NULL,
                        op_type TEXT,
                        op_date REAL,
                        profile_status TEXT,
                        profile_uuid TEXT,
                        recorded REAL NOT NULL);
                    CREATE INDEX device_events_by_serial ON device_events(serial, id);
                    CREATE TABLE sync_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        cursor TEXT,
                        phase TEXT NOT NULL DEFAULT 'fetch',
                        cursor_saved REAL,
                        fetch_generation INTEGER NOT NULL DEFAULT 0,
                        last_sync REAL,
                        last_full_fetch REAL);
                    INSERT INTO sync_state (id) VALUES (1);
                    CREATE TABLE token (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        consumer_key TEXT NOT NULL, consumer_secret TEXT NOT NULL,
                        access_token TEXT NOT NULL, access_secret TEXT NOT NULL,
                        access_token_expiry REAL NOT NULL,
                        imported REAL NOT NULL);
                    CREATE TABLE profiles (
                        uuid TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        body TEXT NOT NULL,
                        defined REAL NOT NULL);
                    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        // Profiles' user affinity and description, and devices' users (LocalStore+Users.swift).
        migrator.registerMigration("v2-user-affinity", migrate: LocalStore.addUserAffinity)
        // Events for webhooks and hooks, written with their page (LocalStore+Outbox.swift).
        migrator.registerMigration("v3-outbox", migrate: LocalStore.addOutbox)
        // The organisation's inventory and API account credentials of `depsync abm` (LocalStore+ABM.swift).
        migrator.registerMigration("v4-abm", migrate: LocalStore.addABM)
        return migrator
    }
}
