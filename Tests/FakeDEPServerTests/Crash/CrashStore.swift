import DEPCrypto
import DEPSync
import DEPTestSupport
import DEPWire
import Foundation
import GRDB

/// The store every kill run starts from, made once and copied for each run: 101,000 generated
/// devices, an MDM server for the CSV assignment and one holding 1,000 devices and a profile not
/// yet assigned to them.
struct CrashStore: Sendable {
    /// The server the 100,000-serial CSV assigns to.
    static let csvServer = "Crash MDM"
    /// The server whose devices the profile assignment changes.
    static let profileServer = "Profile MDM"

    /// Where the store's files are.
    let directory: URL
    /// The MDM's key pair, whose certificate both servers hold.
    let keyPair: TokenKeyPair
    /// The serials of the CSV: every device on no server.
    let csvSerials: [String]
    /// The devices of `profileServer`.
    let profileSerials: [String]
    /// The profile of `profileServer` that no device has yet.
    let profileUUID: String

    /// Makes the store in `directory` through a `fakedep serve`, then stops it.
    static func make(in directory: URL) async throws -> CrashStore {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
        let keyPair = TokenKeyPair(key: key, certificate: certificate)
        let serve = try await ServeProcess.start(
            database: directory.appendingPathComponent("fakedep.sqlite"),
            worldsDirectory: directory.appendingPathComponent("worlds"), in: directory)
        do {
            _ = try await serve.expect(200, "POST", "/portal/seed", body: Data(#"{"devices":101000,"seed":7}"#.utf8))
            for name in [csvServer, profileServer] {
                let body = try JSONSerialization.data(withJSONObject: [
                    "name": name, "certificate": try certificate.pem,
                ])
                _ = try await serve.expect(201, "POST", "/portal/servers", body: body)
            }
            let all = try await MDMView.portalSerials(serve, server: nil)
            let profileSerials = Array(all.prefix(1000))
            let assignment = try JSONSerialization.data(withJSONObject: ["serials": profileSerials])
            _ = try await serve.expect(
                200, "POST", "/portal/servers/\(MDMView.escape(profileServer))/devices", body: assignment)
            let session = try await MDMView.openSession(serve, server: profileServer, keyPair: keyPair)
            let defined = try await serve.expect(
                200, "POST", "/profile",
                body: Data(#"{"profile_name":"Crash","url":"https://mdm.example.com/enroll"}"#.utf8),
                headers: session)
            let profile = try DEPJSON.decode(DefineProfileResponse.self, from: defined)
            await serve.stop()
            return CrashStore(
                directory: directory, keyPair: keyPair, csvSerials: Array(all.dropFirst(1000)),
                profileSerials: profileSerials, profileUUID: profile.profileUUID)
        } catch {
            await serve.kill()
            throw error
        }
    }

    /// Copies the store's database (and write-ahead log, if any) into `run`, with an empty
    /// worlds directory; returns the database's place.
    func copy(into run: URL) throws -> URL {
        let database = run.appendingPathComponent("fakedep.sqlite")
        let fileManager = FileManager.default
        for suffix in ["", "-wal"] {
            let source = directory.appendingPathComponent("fakedep.sqlite" + suffix)
            if fileManager.fileExists(atPath: source.path) {
                try fileManager.copyItem(at: source, to: URL(fileURLWithPath: database.path + suffix))
            }
        }
        try fileManager.createDirectory(at: run.appendingPathComponent("worlds"), withIntermediateDirectories: true)
        return database
    }
}
