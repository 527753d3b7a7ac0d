import DEPCrypto
import DEPSync
public import DEPWire
public import Foundation

/// A device at the end of Setup Assistant asking its MDM for the enrollment profile
/// (dep-api §7.4), as MDM developers need to rehearse it:
///
/// - Without `ConfigurationWebURL`, it POSTs its MachineInfo property list, CMS-signed with its
///   identity (`application/pkcs7-signature`), to `ConfigurationURL`.
/// - With one, it loads that page with the same signed MachineInfo, base64, in
///   `x-apple-aspen-deviceinfo`; the flow ends when the host serves the profile.
///
/// Either way the profile's `AnchorCertificates`, when set, are the only roots it trusts for
/// the connection; without them it trusts the system's. Only HTTPS, unless `allowHTTP`.
public struct DeviceEnrollment: Sendable {
    public var machineInfo: MachineInfo
    public var configuration: CloudConfiguration
    /// Lets a plain-HTTP MDM be rehearsed; a real device refuses one.
    public var allowHTTP = false
    /// Seconds allowed for the whole exchange.
    public var timeout: Double = 60

    public static let signedContentType = "application/pkcs7-signature"
    public static let deviceInfoHeader = "x-apple-aspen-deviceinfo"

    public init(machineInfo: MachineInfo, configuration: CloudConfiguration) {
        self.machineInfo = machineInfo
        self.configuration = configuration
    }

    /// Asks the MDM for the profile and reads its answer.
    public func run(now: Date = Date()) async throws(EnrollmentError) -> EnrollmentOutcome {
        let signed: Data
        do {
            let identity = try DeviceIdentity.make(udid: machineInfo.udid, now: now)
            signed = try identity.sign(Data(machineInfo.propertyList.utf8))
        } catch {
            throw .identity(error)
        }
        if let web = configuration.configurationWebURL {
            let url = try checked(web)
            let request = HTTPRequest(
                method: "GET", url: url, headers: [(Self.deviceInfoHeader, signed.base64EncodedString())])
            return Self.outcome(of: try await send(request), web: url)
        }
        guard let target = configuration.configurationURL else { throw .noEnrollmentURL }
        let url = try checked(target)
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", Self.signedContentType)], body: signed)
        return Self.outcome(of: try await send(request), web: nil)
    }

    private func checked(_ text: String) throws(EnrollmentError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), url.host != nil else {
            throw .invalidURL(text)
        }
        guard scheme == "https" || (scheme == "http" && allowHTTP) else {
            throw scheme == "http" ? .notHTTPS(text) : .invalidURL(text)
        }
        return text
    }

    private func send(_ request: HTTPRequest) async throws(EnrollmentError) -> HTTPResponse {
        var options = TransportOptions()
        options.totalTimeout = timeout
        options.connectTimeout = min(timeout, 10)
        let anchors = configuration.anchorCertificates ?? []
        if !anchors.isEmpty { options.anchorCertificates = anchors }
        let client = HTTPClient(userAgent: "fakedep-device/1.0", options: options)
        do {
            return try await client.send(request)
        } catch let error as TransportError where error.isUntrustedServer {
            throw .untrustedServer(url: request.url, anchored: !anchors.isEmpty, detail: error.message)
        } catch {
            throw .unreachable(url: request.url, detail: "\(error)")
        }
    }

    /// Reads the MDM's answer as Setup Assistant would.
    static func outcome(of response: HTTPResponse, web: String?) -> EnrollmentOutcome {
        let contentType = response.header("Content-Type")
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if (200..<300).contains(response.status) {
            guard mediaType == EnrollmentProfile.contentType else {
                if let web { return .webSignIn(url: web, status: response.status, contentType: contentType) }
                return .refused(
                    status: response.status, contentType: contentType,
                    reason: "the answer is \(contentType ?? "untyped"), not \(EnrollmentProfile.contentType)")
            }
            do {
                let (content, signer) = try unsigned(response.body)
                let profile = try EnrollmentProfile(propertyList: content)
                guard profile.mdm != nil else {
                    return .refused(
                        status: response.status, contentType: contentType,
                        reason: "the profile \(profile.identifier) has no com.apple.mdm payload")
                }
                return .enrolled(profile, signer: signer)
            } catch {
                return .refused(status: response.status, contentType: contentType, reason: "\(error)")
            }
        }
        if response.status == 403, let update = SoftwareUpdateRequired.read(response.body) {
            return .softwareUpdateRequired(osVersion: update.details?.osVersion, build: update.details?.buildVersion)
        }
        return .refused(status: response.status, contentType: contentType, reason: summary(of: response.text))
    }

    /// The profile's property list, out of its CMS signature when it is signed, and who signed it.
    private static func unsigned(_ body: Data) throws -> (Data, String?) {
        let start = body.prefix(64).drop { " \t\r\n".utf8.contains($0) }
        if start.starts(with: "<?xml".utf8) || start.starts(with: "<plist".utf8) || start.starts(with: "bplist".utf8) {
            return (body, nil)
        }
        let signed = try SignedData.open(body)
        return (signed.content, signed.signers.first.map { $0.subjectCommonName ?? "an unnamed certificate" })
    }

    /// The first line of a refusal's body, short enough for one line of output.
    private static func summary(of text: String) -> String {
        let line =
            text.split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        guard !line.isEmpty else { return "no explanation" }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// The MDM's "update first" answer (Apple's `ErrorCodeSoftwareUpdateRequired`).
private struct SoftwareUpdateRequired: Decodable {
    struct Details: Decodable {
        var osVersion: String?
        var buildVersion: String?
        enum CodingKeys: String, CodingKey { case osVersion = "OSVersion", buildVersion = "BuildVersion" }
    }
    var code: String
    var details: Details?

    static func read(_ body: Data) -> SoftwareUpdateRequired? {
        guard let answer = try? JSONDecoder().decode(Self.self, from: body),
            answer.code == "com.apple.softwareupdate.required"
        else { return nil }
        return answer
    }
}
