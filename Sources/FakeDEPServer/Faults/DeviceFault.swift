import DEPWire

/// The per-device result a fired `devices` rule imposes on the request being handled: the
/// operation gives its devices this result instead of acting on them. Read once, before the
/// store's transaction (task-locals do not reach its queue).
struct DeviceFault: Sendable {
    @TaskLocal static var current: DeviceFault?

    /// The one device it is for; `nil` for every device.
    let serial: String?
    let result: DeviceResultStatus
    let retryAfterSeconds: Int?

    /// The result imposed on `serial`, if any.
    func result(for serial: String) -> DeviceResultStatus? {
        self.serial == nil || self.serial == serial ? result : nil
    }
}
