// XML (and binary) property lists from devices and MDMs: a device's MachineInfo (dep-api §7.4)
// and an enrollment profile (§7.3). Either is read or refused, never a crash.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    let data = input.data
    _ = try? MachineInfo(propertyList: data)
    _ = try? EnrollmentProfile(propertyList: data)
}
