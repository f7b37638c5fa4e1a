import APTransport
import Foundation
import FuzzSupport

/// The Retry-After parser: any header value parses to nil, non-negative seconds or a date; a
/// date renders back to IMF-fixdate and parses to the same instant; the delay is never negative.
@main enum FuzzRetryAfter {
    static func main() { FuzzEntry.main(testOneInput) }
}

let clocks = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_793_000_000), .distantPast, .distantFuture]

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: FuzzEntry.data(bytes, count), as: UTF8.self)
    guard let parsed = RetryAfter.parse(text) else { return 0 }
    for now in clocks {
        fuzzCheck(parsed.delay(now: now) >= .zero, "\(String(reflecting: text)) gives a negative delay at \(now)")
    }
    switch parsed {
    case .seconds(let seconds):
        fuzzCheck(seconds >= 0, "\(String(reflecting: text)) gives \(seconds) seconds")
    case .date(let date):
        let seconds = date.timeIntervalSince1970
        fuzzCheck(seconds.isFinite && seconds == seconds.rounded(), "\(String(reflecting: text)) gives \(seconds)")
        // "Fri, 31 Dec 9999 23:59:60 GMT" (a leap second) is an instant in year 10000, which
        // has no 4-digit rendering: the round trip covers every other instant.
        guard seconds < 253_402_300_800 else { return 0 }
        let rendered = imfFixdate(Int64(seconds))
        fuzzCheck(RetryAfter.parse(rendered) == .date(date), "\(String(reflecting: text)) → \(rendered) does not parse back")
    }
    return 0
}

/// IMF-fixdate of a Unix time, by Howard Hinnant's civil_from_days (independent of the parser).
func imfFixdate(_ unix: Int64) -> String {
    let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
    let secondOfDay = unix - days * 86_400
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
    return "\(weekday), \(two(day)) \(months[Int(month - 1)]) \(yearText) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
}
