import BankStatements
import Foundation
import FuzzSupport

/// The BAI2 reader: the input as a whole file, and after a file, group and account header.
@main enum FuzzBAI2 {
    static func main() { FuzzEntry.main(testOneInput) }
}

let header = Array("01,B,C,261105,2300,1,,,2/\n02,C,B,1,261104,2300,USD,2/\n03,ACC,USD,010,100,,/\n".utf8)

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = [UInt8](FuzzEntry.data(bytes, count))
    for document in [input, header + input] {
        let read = { BankStatementReader.read(document, file: "f.bai") }
        let file = read()
        let problems = file.consistencyProblems(rereading: read)
        fuzzCheck(problems.isEmpty, problems.joined(separator: "; "))
        if document != input { fuzzCheck(file.format == .bai2, "a file after a 01 header read as \(String(describing: file.format))") }
        // BAI2 reports the group's as-of day: every entry of a statement is booked on its coverage day.
        for s in file.statements where file.format == .bai2 {
            for e in s.entries { fuzzCheck(e.bookingDate == s.coverageFrom, "entry \(e.id) booked off its group's day") }
        }
    }
    return 0
}
