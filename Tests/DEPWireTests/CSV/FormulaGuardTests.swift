import DEPWire
import Testing

@Test(arguments: ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
func cellsThatASpreadsheetWouldRunGetALeadingApostrophe(cell: String) {
    #expect(FormulaGuard.guarded(cell) == "'" + cell)
}

@Test(arguments: ["C02XK1JDJGH5", "", "moved from Alpha", " =x", "1-2"])
func otherCellsAreLeftAlone(cell: String) {
    #expect(FormulaGuard.guarded(cell) == cell)
}

@Test(arguments: ["=1+1", "'=1+1", "''", "'", "plain", "", "-", "'plain"])
func guardedCellsReadBackExactly(cell: String) {
    #expect(FormulaGuard.unguarded(FormulaGuard.guarded(cell)) == cell)
}

@Test func aReportRowWithFormulaTextIsWrittenGuardedAndReadBackExactly() {
    let row = AssignmentReportRow(line: 4, error: .invalidSerial("=cmd|' /C calc'!A0"))
    #expect(row.csvRow.hasPrefix("'=cmd|' /C calc'!A0,4,malformed,"))
    #expect(AssignmentReportReader.rows(in: Array(row.csvRow.utf8)) == [row])
}
