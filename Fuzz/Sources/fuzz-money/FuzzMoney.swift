import APModels
import Foundation
import FuzzSupport

/// The money parser: `AmountParser.parse(digits:)` against an independent decimal-text oracle,
/// `Money.decimalString` at every exponent, and the amount field of a record fed any JSON value.
@main enum FuzzMoney {
    static func main() { FuzzEntry.main(testOneInput) }
}

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = FuzzEntry.data(bytes, count)
    let text = String(decoding: data, as: UTF8.self)
    checkDigitsParser(text)
    checkRecordAmount(data)
    return 0
}

/// What `parse(digits:)` must answer, worked out on the text alone (no Int64 arithmetic).
func checkDigitsParser(_ text: String) {
    let result = AmountParser.parse(digits: text)
    let bytes = Array(text.utf8)
    let negative = bytes.first == UInt8(ascii: "-")
    let digits = negative ? Array(bytes.dropFirst()) : bytes
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
        guard case .failure(.notAnInteger) = result else { return fuzzCheck(false, "\(debug(text)) is not digits but gave \(result)") }
        return
    }
    let significant = Array(digits.drop(while: { $0 == 48 }))
    let limit = Array((negative ? "9223372036854775808" : "9223372036854775807").utf8)
    let fits = significant.count < limit.count || (significant.count == limit.count && !limit.lexicographicallyPrecedes(significant))
    switch result {
    case .success(let value):
        fuzzCheck(fits, "\(debug(text)) is out of range but parsed as \(value)")
        let expected = significant.isEmpty ? "0" : (negative ? "-" : "") + String(decoding: significant, as: UTF8.self)
        fuzzCheck(String(value) == expected, "\(debug(text)) parsed as \(value), expected \(expected)")
        checkDecimalString(value)
    case .failure(.outOfRange):
        fuzzCheck(!fits, "\(debug(text)) fits in Int64 but was refused as out of range")
    case .failure(let error):
        fuzzCheck(false, "\(debug(text)) is digits but gave \(error)")
    }
}

/// `decimalString` only places a point: removing it (and leading zeros) gives the integer back.
func checkDecimalString(_ value: Int64) {
    for exponent in 0...4 {
        let shown = Money.decimalString(value, exponent: exponent)
        let parts = shown.split(separator: ".", omittingEmptySubsequences: false)
        fuzzCheck(parts.count == (exponent == 0 ? 1 : 2), "\(value) at exponent \(exponent) shows as \(shown)")
        if exponent > 0 { fuzzCheck(parts[1].count == exponent, "\(value) at exponent \(exponent) shows as \(shown)") }
        let joined = shown.replacingOccurrences(of: ".", with: "")
        let negative = joined.hasPrefix("-")
        let magnitude = joined.drop(while: { $0 == "-" }).drop(while: { $0 == "0" })
        let back = magnitude.isEmpty ? "0" : (negative ? "-" : "") + magnitude
        fuzzCheck(back == String(value), "\(value) at exponent \(exponent) shows as \(shown)")
    }
}

/// The input as the `amount` of a payout: any JSON value (number, string, object, garbage)
/// must give a payout with that amount or a RecordError naming the field, never a crash.
func checkRecordAmount(_ data: Data) {
    var json = Data(#"{"id":"po_1","status":"paid","currency":"USD","created_at":"2026-11-03T09:00:00Z","amount":"#.utf8)
    json.append(data)
    json.append(Data("}".utf8))
    do {
        let payout = try JSONDecoder().decode(Payout.self, from: json)
        // Accepted: the value must be what the text says. A JSON string must have gone through parse(digits:).
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2, !text.contains("\\"),
           case .success(let value) = AmountParser.parse(digits: String(text.dropFirst().dropLast())) {
            fuzzCheck(payout.amount.minorUnits == value, "amount \(debug(text)) decoded as \(payout.amount.minorUnits)")
        }
        // A plain JSON integer must decode exactly (no rounding through Double).
        if case .success(let value) = AmountParser.parse(digits: text) {
            fuzzCheck(payout.amount.minorUnits == value, "amount \(debug(text)) decoded as \(payout.amount.minorUnits)")
        }
    } catch let error as RecordError {
        fuzzCheck(error.field == "amount", "amount \(debug(String(decoding: data, as: UTF8.self))) failed on field \(error.field)")
    } catch {
        // Not JSON at all: JSONDecoder's own error, which the page decoder reports.
    }
}

func debug(_ text: String) -> String {
    let cut = text.count > 60 ? String(text.prefix(60)) + "…" : text
    return String(reflecting: cut)
}
