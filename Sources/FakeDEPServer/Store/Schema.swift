import GRDB

/// The tables of the fake's world (dep-api §9) and their migrations.
///
/// Times are whole Unix seconds (Apple's wire has second precision). The event log keeps, per
/// event, the fields of the device that change over time (assignment and profile); the fields
/// that never change (model, colour, identifiers) are joined in from `devices` when a sync
/// page is read, so appending an event is one small insert. Server ids are never reused
/// (`AUTOINCREMENT`): the event log and sealed cursors name a server by id, and a new server must
/// not inherit a deleted one's log. Devices are stored by serial (`WITHOUT ROWID`): every
/// lookup is by serial, and a bulk assignment then reads and rewrites each row with one seek.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE organisation (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL, address TEXT NOT NULL,
                        org_id TEXT NOT NULL, org_id_hash TEXT NOT NULL, org_type TEXT NOT NULL,
                        org_version TEXT NOT NULL, admin_id TEXT NOT NULL,
                        terms_signed INTEGER NOT NULL DEFAULT 1);
                    CREATE TABLE orders (
                        number TEXT PRIMARY KEY, date INTEGER NOT NULL, source TEXT NOT NULL);
                    CREATE TABLE servers (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        uuid TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        certificate BLOB,
                        may_disown INTEGER NOT NULL DEFAULT 0,
                        consumer_key TEXT UNIQUE, consumer_secret TEXT, access_token TEXT, access_secret TEXT,
                        token_issued INTEGER, token_expiry INTEGER,
                        created INTEGER NOT NULL,
                        ade_url TEXT, ade_updated INTEGER);
                    CREATE TABLE devices (
                        serial TEXT PRIMARY KEY,
                        model TEXT NOT NULL, description TEXT NOT NULL, color TEXT, asset_tag TEXT,
                        os TEXT NOT NULL, family TEXT NOT NULL, product_type TEXT NOT NULL,
                        part_number TEXT NOT NULL, capacity TEXT,
                        order_number TEXT NOT NULL REFERENCES orders(number),
                        purchase_source TEXT NOT NULL,
                        imei TEXT, meid TEXT, eid TEXT, wifi_mac TEXT, ethernet_mac TEXT, bluetooth_mac TEXT,
                        added INTEGER NOT NULL,
                        released INTEGER,
                        server_id INTEGER REFERENCES servers(id),
                        assigned_by TEXT, assigned_date INTEGER,
                        profile_uuid TEXT, profile_status TEXT NOT NULL DEFAULT 'empty',
                        profile_assign_time INTEGER, profile_push_time INTEGER,
                        migration_deadline INTEGER,
                        activation_locked INTEGER NOT NULL DEFAULT 0,
                        original_serial TEXT, replacement_date INTEGER,
                        provisional_until INTEGER) WITHOUT ROWID;
                    CREATE INDEX devices_by_server ON devices(server_id, assigned_date, serial);
                    CREATE INDEX devices_by_order ON devices(order_number, serial);
                    CREATE TABLE profiles (
                        uuid TEXT PRIMARY KEY,
                        server_id INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        created INTEGER NOT NULL);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        server_id INTEGER NOT NULL,
                        serial TEXT NOT NULL,
                        op_type TEXT NOT NULL,
                        op_date INTEGER NOT NULL,
                        assigned_by TEXT, assigned_date INTEGER,
                        profile_uuid TEXT, profile_status TEXT,
                        profile_assign_time INTEGER, profile_push_time INTEGER,
                        released_by_replacement INTEGER);
                    CREATE INDEX events_by_server ON events(server_id, seq);
                    """)
        }
        // API accounts of Apple's Business/School Manager API (peers §5.2): only the public half
        // of each key is kept; the private key is handed out once, when the account is made.
        migrator.registerMigration("v2-api-accounts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_accounts (
                        client_id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        service TEXT NOT NULL,
                        key_id TEXT NOT NULL UNIQUE,
                        public_key BLOB NOT NULL,
                        created INTEGER NOT NULL,
                        revoked INTEGER);
                    """)
        }
        // The ABM API's view (peers §5): when a device or server last changed, a server's
        // default product families, device activities with their CSV log, and the audit log.
        migrator.registerMigration("abm-resources") { db in
            try db.execute(
                sql: """
                    ALTER TABLE devices ADD COLUMN updated INTEGER;
                    ALTER TABLE servers ADD COLUMN updated INTEGER;
                    ALTER TABLE servers ADD COLUMN default_families TEXT NOT NULL DEFAULT '';
                    CREATE TABLE activities (
                        id TEXT PRIMARY KEY,
                        type TEXT NOT NULL,
                        created INTEGER NOT NULL,
                        created_base REAL NOT NULL,
                        failures INTEGER NOT NULL,
                        log TEXT NOT NULL);
                    CREATE INDEX activities_by_created ON activities(created);
                    CREATE TABLE audit_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        time INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        serial TEXT NOT NULL,
                        server_name TEXT,
                        actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL,
                        group_id TEXT NOT NULL);
                    CREATE INDEX audit_events_by_time ON audit_events(time, seq);
                    """)
        }
        // The web portal's pages with a million devices: the overview counts devices by family and
        // status from devices_by_family alone (a tenth of a second, where reading the table takes
        // seconds); the newest orders are read in date order; released devices, usually few, are
        // paged in serial order from a partial index instead of a walk through every device.
        migrator.registerMigration("portal-indexes") { db in
            try db.execute(
                sql: """
                    CREATE INDEX devices_by_family ON devices(family, server_id, released);
                    CREATE INDEX orders_by_date ON orders(date, number);
                    CREATE INDEX released_devices ON devices(serial) WHERE released IS NOT NULL;
                    """)
        }
        // A fetch page is read from one index alone: the assigned devices in fetch order with every
        // column a page writes, so each entry is the next index entry instead of one more seek
        // into the table (a quarter less work for SQLite per device). Unassigned devices, most of
        // a seeded organisation, are left out, so seeding writes no more than before; the index it
        // replaces served only lookups by server.
        migrator.registerMigration("fetch-page-index") { db in
            try db.execute(
                sql: """
                    CREATE INDEX devices_by_server_page ON devices(
                        server_id, assigned_date, serial, description, model, os, family, color, asset_tag,
                        profile_uuid, profile_assign_time, profile_push_time, profile_status, assigned_by,
                        migration_deadline, eid, ethernet_mac, wifi_mac, bluetooth_mac, imei, meid, original_serial)
                    WHERE server_id IS NOT NULL;
                    DROP INDEX devices_by_server;
                    """)
        }
        return migrator
    }
}
