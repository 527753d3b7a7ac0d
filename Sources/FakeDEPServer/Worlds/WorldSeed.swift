/// What a new world starts with, and what a reset brings it back to.
public enum WorldSeed: Sendable, Hashable {
    /// The bundled mock organisation: Acme Corp, its 82 devices in 4 orders.
    case mock
    /// The mock organisation's identity and `devices` generated devices, reproducibly from `seed`.
    case generated(devices: Int, seed: UInt64)
    /// The mock organisation's identity and no devices: a usable organisation with nothing in it.
    case empty
    /// Nothing at all, as `fakedep serve --no-mock-data` starts: the organisation is created later.
    case none
    /// The state of a world snapshot it was loaded from (`WorldSnapshot`).
    case snapshot
    /// What a scenario document sets up (`Scenario`).
    case scenario
}

extension World {
    /// Brings a world with an empty store to `seed`.
    func plant(_ seed: WorldSeed) async throws {
        switch seed {
        case .mock: try await seedMockOrganisationIfEmpty()
        case .generated(let devices, let seed): _ = try await self.seed(deviceCount: devices, seed: seed)
        case .empty: try await createMockOrganisationIdentity()
        case .none, .snapshot, .scenario: break
        }
    }
}

/// As JSON: `"mock"`, `"empty"`, `"none"`, `"snapshot"`, `"scenario"`, or `{"devices": N, "seed": S}` (`seed`
/// defaults to 1).
extension WorldSeed: Codable {
    private struct Generated: Codable {
        var devices: Int
        var seed: UInt64?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let generated = try? container.decode(Generated.self) {
            guard (1...10_000_000).contains(generated.devices) else {
                throw PortalError(.invalidRequest, "A generated world has 1 to 10,000,000 devices.")
            }
            self = .generated(devices: generated.devices, seed: generated.seed ?? 1)
            return
        }
        switch try? container.decode(String.self) {
        case "mock": self = .mock
        case "empty": self = .empty
        case "none": self = .none
        case "snapshot": self = .snapshot
        case "scenario": self = .scenario
        default:
            throw PortalError(
                .invalidRequest, #"A world's seed is "mock", "empty", "none" or {"devices": N, "seed": S}."#)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .mock: try container.encode("mock")
        case .empty: try container.encode("empty")
        case .none: try container.encode("none")
        case .snapshot: try container.encode("snapshot")
        case .scenario: try container.encode("scenario")
        case .generated(let devices, let seed): try container.encode(Generated(devices: devices, seed: seed))
        }
    }
}
