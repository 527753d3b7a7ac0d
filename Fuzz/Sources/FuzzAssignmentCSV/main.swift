// The bulk-assignment CSV reader (dep-api §8) and the assignment report reader. The first byte
// chooses where the file is cut in two: fed in two chunks, each reader must give exactly what
// it gives for the whole file at once, so no record depends on how the upload arrived.
import DEPWire
import FuzzSupport

Fuzzer.run { input in
    guard let (selector, file) = input.choice else { return }
    let cut = file.isEmpty ? 0 : Int(selector) % (file.count + 1)
    let maxLineLength = 16 + Int(selector)

    let whole = AssignmentCSVReader.lines(in: file, maxLineLength: maxLineLength)
    var reader = AssignmentCSVReader(maxLineLength: maxLineLength)
    let chunked = reader.feed(file[..<cut]) + reader.feed(file[cut...]) + reader.finish()
    guard whole == chunked else {
        Fuzzer.disagreement("the CSV cut at \(cut) reads \(chunked), whole \(whole)")
    }

    let rows = AssignmentReportReader.rows(in: file)
    var reportReader = AssignmentReportReader()
    let chunkedRows = reportReader.feed(file[..<cut]) + reportReader.feed(file[cut...]) + reportReader.finish()
    guard rows == chunkedRows else {
        Fuzzer.disagreement("the report cut at \(cut) reads \(chunkedRows), whole \(rows)")
    }
}
