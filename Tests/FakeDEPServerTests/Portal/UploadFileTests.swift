import DEPTestSupport
import Foundation
import Testing

@testable import FakeDEPServer

/// An upload's temporary file is named for the process that received it, so a restart can tidy
/// what a killed fakedep left behind without touching the files of one still running.
struct UploadFileTests {
    @Test func theFilesOfEndedProcessesGoAndTheRestStay() async throws {
        try await ScratchDirectory.with { directory in
            // No process has the largest id: the kernel's limit is far below it.
            let names = [
                "fakedep-\(Int32.max)-\(UUID().uuidString).csv", "fakedep-\(getpid())-\(UUID().uuidString).csv",
                "fakedep-\(getppid())-\(UUID().uuidString).csv", "fakedep-notes.txt", "other-\(Int32.max)-x.csv",
            ]
            for name in names {
                #expect(
                    FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil))
            }
            UploadFile.removeLeftovers(in: directory)
            let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
            #expect(left == Set(names.dropFirst()))
        }
    }

    @Test func anUploadIsNamedForItsProcess() throws {
        let upload = try UploadFile.create(suffix: "csv")
        #expect(upload.url.lastPathComponent.hasPrefix("fakedep-\(getpid())-"))
        #expect(FileManager.default.fileExists(atPath: upload.url.path))
    }
}
