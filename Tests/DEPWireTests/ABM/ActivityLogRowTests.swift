import DEPWire
import Foundation
import Testing

/// An activity's CSV log read back into rows.
struct ActivityLogRowTests {
    @Test func aLogIsReadRowByRowWithoutItsHeader() {
        let log =
            "serial_number,result,detail\r\nC02FKD0001XY,SUCCESS,assigned\r\nZZUNKNOWN0001,FAILED,\"No device, of this org\"\r\n"

        let rows = ActivityLogRow.rows(in: Array(log.utf8))

        #expect(
            rows == [
                ActivityLogRow(serial: "C02FKD0001XY", result: "SUCCESS", detail: "assigned"),
                ActivityLogRow(serial: "ZZUNKNOWN0001", result: "FAILED", detail: "No device, of this org"),
            ])
        #expect(rows.map(\.succeeded) == [true, false])
    }

    @Test func formulaGuardedCellsReadBackAsTheyWere() {
        let row = ActivityLogRow(serial: "=cmd", result: "FAILED", detail: "-1 is not a serial")
        let text = CSVWriter.row(ActivityLogRow.header) + CSVWriter.row(row.fields)

        #expect(text.contains("'=cmd"))
        #expect(ActivityLogRow.rows(in: Array(text.utf8)) == [row])
    }

    @Test func aLastLineWithoutItsLineEndAndOtherShapesAreHandled() {
        let log = "serial_number,result,detail\nnot,a row\nC02FKD0001XY,SUCCESS,"

        #expect(ActivityLogRow.rows(in: Array(log.utf8)) == [ActivityLogRow(serial: "C02FKD0001XY", result: "SUCCESS")])
    }
}
