/// The journal's fixed vocabulary of operations: what a request asked for, named after the
/// route it reached, whatever its parameters.
enum JournalOperation {
    /// The operation of a request routed to `endpoint` (the route's pattern, `/portal/servers/{server}`)
    /// with `method`; `unknown` for a request that reached no route.
    static func name(method: String, endpoint: String?) -> String {
        guard let endpoint else { return "unknown" }
        return names[method + " " + endpoint] ?? names["* " + endpoint] ?? "unknown"
    }

    /// Every operation name, and `unknown`.
    static let all = Set(names.values).union(["unknown"])

    private static let names: [String: String] = [
        // Apple's DEP API (dep-api §3).
        "GET /session": "session",
        "GET /account": "account",
        "POST /server/devices": "fetch_devices",
        "POST /devices/sync": "sync_devices",
        "POST /devices": "device_details",
        "POST /devices/disown": "disown",
        "POST /profile": "define_profile",
        "GET /profile": "get_profile",
        "PUT /profile/devices": "assign_profile",
        "POST /profile/devices": "assign_profile",
        "DELETE /profile/devices": "remove_profile",
        "POST /device/activationlock": "activation_lock",
        "GET /device/replacementDetails": "replacement_details",
        "GET /os-beta-enrollment/tokens": "beta_enrollment_tokens",
        "POST /account-driven-enrollment/profile": "set_service_discovery_url",
        "GET /account-driven-enrollment/profile": "get_service_discovery_url",
        "DELETE /account-driven-enrollment/profile": "remove_service_discovery_url",
        // Apple's Business/School Manager API (peers §5.2).
        "POST /auth/oauth2/token": "abm_token",
        "POST /auth/oauth2/v2/token": "abm_token",
        // The portal.
        "GET /portal/organisation": "portal_show_organisation",
        "POST /portal/organisation": "portal_create_organisation",
        "PATCH /portal/organisation": "portal_change_organisation",
        "GET /portal/servers": "portal_list_servers",
        "POST /portal/servers": "portal_create_server",
        "GET /portal/servers/{server}": "portal_show_server",
        "DELETE /portal/servers/{server}": "portal_delete_server",
        "PUT /portal/servers/{server}/certificate": "portal_upload_certificate",
        "GET /portal/servers/{server}/token": "portal_download_token",
        "DELETE /portal/servers/{server}/token": "portal_revoke_token",
        "GET /portal/servers/{server}/default-families": "portal_show_default_families",
        "PUT /portal/servers/{server}/default-families": "portal_set_default_families",
        "POST /portal/servers/{server}/devices": "portal_assign",
        "POST /portal/servers/{server}/devices/csv": "portal_assign_csv",
        "POST /portal/devices/unassign": "portal_unassign",
        "POST /portal/devices/release": "portal_release",
        "GET /portal/devices": "portal_list_devices",
        "GET /portal/orders": "portal_list_orders",
        "POST /portal/seed": "portal_seed",
        "POST /portal/configurator/devices": "portal_configurator_add",
        "GET /portal/configurator/models": "portal_configurator_models",
        "POST /portal/devices/{serial}/release-provisional": "portal_release_provisional",
        "POST /portal/devices/{serial}/replace": "portal_replace_device",
        "PUT /portal/devices/{serial}/migration-deadline": "portal_set_migration_deadline",
        "PUT /portal/devices/{serial}/cooldown": "portal_start_cooldown",
        "DELETE /portal/devices/{serial}/cooldown": "portal_end_cooldown",
        "POST /portal/api-accounts": "portal_create_api_account",
        "GET /portal/api-accounts": "portal_list_api_accounts",
        "DELETE /portal/api-accounts/{clientID}": "portal_revoke_api_account",
        // The ABM API (peers §5.3).
        "GET /v1/orgDevices": "abm_list_devices",
        "GET /v1/orgDevices/{id}": "abm_get_device",
        "GET /v1/orgDevices/{id}/appleCareCoverage": "abm_get_applecare_coverage",
        "GET /v1/orgDevices/{id}/relationships/assignedServer": "abm_get_assigned_server_linkage",
        "GET /v1/orgDevices/{id}/assignedServer": "abm_get_assigned_server",
        "GET /v1/mdmServers": "abm_list_servers",
        "POST /v1/mdmServers": "abm_create_server",
        "GET /v1/mdmServers/{id}": "abm_get_server",
        "PATCH /v1/mdmServers/{id}": "abm_update_server",
        "DELETE /v1/mdmServers/{id}": "abm_delete_server",
        "GET /v1/mdmServers/{id}/relationships/devices": "abm_list_server_devices",
        "POST /v1/orgDeviceActivities": "abm_create_activity",
        "GET /v1/orgDeviceActivities/{id}": "abm_get_activity",
        "GET /activity-logs/{file}": "abm_download_activity_log",
        "GET /v1/auditEvents": "abm_list_audit_events",
        // The device side (dep-api §7).
        "POST /device/boot/{serial}": "device_boot",
        "GET /device/machine-info/{serial}": "device_machine_info",
    ]
}
