import DEPCrypto
import DEPDevice
import DEPTestServer
import DEPWire
import Foundation
import Testing

/// A device asking its MDM for the enrollment profile (dep-api §7.4), against an MDM endpoint
/// over TLS that checks the device's signature.
struct DeviceEnrollmentTests {
    static let machineInfo = MachineInfo(
        udid: "00008150-0123456789ABCDEF", serial: "C02XK1ABCDEF", product: "iPhone18,3", version: "23B85",
        osVersion: "26.1", imei: "356789012345678", language: "en", mdmCanRequestSoftwareUpdate: true)

    /// A configuration naming `url` and trusting `anchors`.
    static func configuration(url: String?, web: String? = nil, anchors: [Data]?) -> CloudConfiguration {
        var configuration = CloudConfiguration()
        configuration.configurationURL = url
        configuration.configurationWebURL = web
        configuration.anchorCertificates = anchors
        return configuration
    }

    static func enroll(_ configuration: CloudConfiguration, allowHTTP: Bool = false) async throws(EnrollmentError)
        -> EnrollmentOutcome
    {
        var enrollment = DeviceEnrollment(machineInfo: machineInfo, configuration: configuration)
        enrollment.allowHTTP = allowHTTP
        // Generous: the tests share two cores with the whole suite.
        enrollment.timeout = 120
        return try await enrollment.run()
    }

    @Test func theDevicePostsItsSignedMachineInfoAndReceivesTheSignedProfile() async throws {
        try await TestMDM.with(answer: .profile(signed: true)) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .enrolled(let profile, let signer) = outcome else {
                Issue.record("not enrolled: \(outcome)")
                return
            }
            #expect(signer == "Test MDM")
            #expect(profile.identifier == "com.example.enroll")
            #expect(profile.displayName == "Test MDM Enrollment")
            #expect(profile.mdm?.serverURL == "https://mdm.example.com/mdm/connect")
            #expect(profile.mdm?.topic == "com.apple.mgmt.External.test")

            let requests = mdm.requests
            #expect(requests.count == 1)
            #expect(requests.first?.method == "POST")
            #expect(requests.first?.contentType == DeviceEnrollment.signedContentType)
            #expect(requests.first?.machineInfo == Self.machineInfo)
            // The device signs with an identity named after its UDID.
            #expect(requests.first?.signer == Self.machineInfo.udid)
        }
    }

    @Test func anUnsignedProfileIsAcceptedAndSaidToBeUnsigned() async throws {
        try await TestMDM.with(answer: .profile(signed: false)) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .enrolled(_, let signer) = outcome else {
                Issue.record("not enrolled: \(outcome)")
                return
            }
            #expect(signer == nil)
        }
    }

    @Test func anMDMWhoseCertificateIsNotAnAnchorIsNotTrusted() async throws {
        let other = try Certificate.selfSigned(key: try PrivateKey.generateRSA(), commonName: "Other CA", days: 30)
        let otherDER = try other.der
        try await TestMDM.with { mdm in
            do throws(EnrollmentError) {
                _ = try await Self.enroll(Self.configuration(url: mdm.enrollURL, anchors: [otherDER]))
                Issue.record("enrolled with an untrusted MDM")
            } catch {
                guard case .untrustedServer(let url, let anchored, _) = error else {
                    Issue.record("wrong error: \(error)")
                    return
                }
                #expect(url == mdm.enrollURL)
                #expect(anchored)
                #expect(error.description.contains("put the MDM's CA certificate in anchor_certs"))
            }
            #expect(mdm.requests.isEmpty)
        }
    }

    @Test func withoutAnchorsOnlyTheSystemsRootsAreTrusted() async throws {
        try await TestMDM.with { mdm in
            do throws(EnrollmentError) {
                _ = try await Self.enroll(Self.configuration(url: mdm.enrollURL, anchors: nil))
                Issue.record("enrolled with a self-signed MDM and no anchors")
            } catch {
                guard case .untrustedServer(_, let anchored, _) = error else {
                    Issue.record("wrong error: \(error)")
                    return
                }
                #expect(!anchored)
            }
            #expect(mdm.requests.isEmpty)
        }
    }

    @Test func aPlainHTTPURLIsRefusedUnlessAllowed() async throws {
        do throws(EnrollmentError) {
            _ = try await Self.enroll(Self.configuration(url: "http://127.0.0.1:9/enroll", anchors: nil))
            Issue.record("a plain-HTTP URL was used")
        } catch {
            guard case .notHTTPS("http://127.0.0.1:9/enroll") = error else {
                Issue.record("wrong error: \(error)")
                return
            }
            #expect(error.description.contains("--allow-http"))
        }
        // Allowed, it is tried: port 9 (discard) is closed on loopback.
        do throws(EnrollmentError) {
            _ = try await Self.enroll(
                Self.configuration(url: "http://127.0.0.1:9/enroll", anchors: nil), allowHTTP: true)
            Issue.record("reached a closed port")
        } catch {
            guard case .unreachable = error else {
                Issue.record("wrong error: \(error)")
                return
            }
        }
    }

    @Test func aConfigurationWithoutAnMDMURLOrWithABadOneIsRefused() async throws {
        await #expect(throws: EnrollmentError.self) {
            try await Self.enroll(Self.configuration(url: nil, anchors: nil))
        }
        do throws(EnrollmentError) {
            _ = try await Self.enroll(Self.configuration(url: "mdm.example.com/enroll", anchors: nil))
            Issue.record("a URL without a scheme was used")
        } catch {
            guard case .invalidURL = error else {
                Issue.record("wrong error: \(error)")
                return
            }
        }
    }

    @Test func aRefusalIsReportedWithTheMDMsStatusAndReason() async throws {
        try await TestMDM.with(answer: .refusal(status: 401, body: "device not in inventory")) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .refused(let status, let contentType, let reason) = outcome else {
                Issue.record("not refused: \(outcome)")
                return
            }
            #expect(status == 401)
            #expect(contentType == "text/plain")
            #expect(reason == "device not in inventory")
            #expect(mdm.requests.count == 1)
        }
    }

    @Test func anAnswerThatIsNotAProfileIsRefused() async throws {
        try await TestMDM.with(answer: .page) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .refused(200, _, let reason) = outcome else {
                Issue.record("not refused: \(outcome)")
                return
            }
            #expect(reason.contains("not application/x-apple-aspen-config"))
        }
    }

    @Test func aProfileWithoutAnMDMPayloadIsNoEnrollment() async throws {
        try await TestMDM.with(answer: .profile(signed: false, withoutMDM: true)) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .refused(200, _, let reason) = outcome else {
                Issue.record("not refused: \(outcome)")
                return
            }
            #expect(reason == "the profile com.example.enroll has no com.apple.mdm payload")
        }
    }

    @Test func anMDMMayAskForASoftwareUpdateFirst() async throws {
        try await TestMDM.with(answer: .softwareUpdate(version: "26.2", build: "23C55")) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, anchors: [mdm.certificate]))
            guard case .softwareUpdateRequired(let version, let build) = outcome else {
                Issue.record("no update asked: \(outcome)")
                return
            }
            #expect(version == "26.2")
            #expect(build == "23C55")
        }
    }

    @Test func theWebFlowSendsTheSignedMachineInfoInAHeaderAndShowsTheSignInPage() async throws {
        try await TestMDM.with(answer: .page) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, web: mdm.webURL, anchors: [mdm.certificate]))
            guard case .webSignIn(let url, 200, let contentType) = outcome else {
                Issue.record("no sign-in page: \(outcome)")
                return
            }
            #expect(url == mdm.webURL)
            #expect(contentType == "text/html; charset=utf-8")
            #expect(mdm.requests.first?.method == "GET")
            #expect(mdm.requests.first?.machineInfo == Self.machineInfo)
        }
    }

    @Test func theWebFlowEndsWhenTheHostServesTheProfile() async throws {
        try await TestMDM.with(answer: .profile(signed: true)) { mdm in
            let outcome = try await Self.enroll(
                Self.configuration(url: mdm.enrollURL, web: mdm.webURL, anchors: [mdm.certificate]))
            guard case .enrolled = outcome else {
                Issue.record("not enrolled: \(outcome)")
                return
            }
        }
    }
}
