import DEPWire
import Testing

@testable import FakeDEPServer

/// Profile statuses and event types read back from their stored text, every case of each.
struct StoredVocabularyTests {
    private func read<T>(_ text: String, _ make: (UnsafeBufferPointer<UInt8>?) -> T?) -> T? {
        var text = text
        return text.withUTF8 { make($0) }
    }

    @Test func everyProfileStatusReadsBackFromItsStoredText() {
        for status in ProfileStatus.allCases {
            #expect(read(status.rawValue, ProfileStatus.init(stored:)) == status)
        }
        #expect(read("pushe", ProfileStatus.init(stored:)) == nil)
        #expect(read("pushedd", ProfileStatus.init(stored:)) == nil)
        #expect(read("", ProfileStatus.init(stored:)) == nil)
        #expect(ProfileStatus(stored: nil) == nil)
    }

    @Test func everyOperationTypeReadsBackFromItsStoredText() {
        for type in OperationType.allCases {
            #expect(read(type.rawValue, OperationType.init(stored:)) == type)
        }
        #expect(read("Added", OperationType.init(stored:)) == nil)
        #expect(OperationType(stored: nil) == nil)
    }

    @Test func holdsComparesWholeBuffers() {
        #expect(read("iPadOS") { $0!.holds("iPadOS") } == true)
        #expect(read("iPadO") { $0!.holds("iPadOS") } == false)
        #expect(read("iPadOSX") { $0!.holds("iPadOS") } == false)
        #expect(read("") { $0!.holds("") } == true)
    }
}
