import BankStatements
import Foundation
import FuzzSupport

/// The MT940 reader: the input as a whole file, and as the lines of a statement with a balance.
@main enum FuzzMT940 {
    static func main() { FuzzEntry.main(testOneInput) }
}

let header = Array(":20:S\n:25:ACC\n:60F:C261103EUR0,\n".utf8)

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = [UInt8](FuzzEntry.data(bytes, count))
    for document in [input, header + input] {
        let read = { BankStatementReader.read(document, file: "f.sta") }
        let file = read()
        let problems = file.consistencyProblems(rereading: read)
        fuzzCheck(problems.isEmpty, problems.joined(separator: "; "))
        if document != input { fuzzCheck(file.format == .mt940, "MT940 input read as \(String(describing: file.format))") }
        // NONREF is never an id: such a line is FILE#N.
        for e in file.entries { fuzzCheck(e.bankReference?.uppercased() != "NONREF", "NONREF kept as the bank reference") }
    }
    return 0
}
