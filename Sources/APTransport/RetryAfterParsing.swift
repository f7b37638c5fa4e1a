import APModels
import Foundation

extension RetryAfter {
    /// A hand-written parser over the header's bytes: pure (no locale, no clock, no
    /// DateFormatter), so it can be fuzzed and behaves the same on every machine.
    ///
    /// Accepted, with optional surrounding spaces/tabs:
    /// - delay-seconds: ASCII digits only; values beyond `Int64.max` clamp to it.
    /// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
    /// - RFC 850:     `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years 00–69 are 20xx, 70–99 are 19xx)
    /// - asctime:     `Sun Nov  6 08:49:37 1994`
    /// The day name must be a real one but is not checked against the date (RFC 9110 lets
    /// recipients ignore it). Impossible dates (31 Feb, hour 24) are rejected.
    static func parseHeader(_ value: String) -> RetryAfter? {
        var bytes = Array(value.utf8)[...]
        while let f = bytes.first, isWhitespace(f) { bytes.removeFirst() }
        while let l = bytes.last, isWhitespace(l) { bytes.removeLast() }
        guard let first = bytes.first else { return nil }
        if isDigit(first) {
            return parseDelaySeconds(bytes).map { .seconds($0) }
        }
        let cursor = ByteCursor(bytes)
        let date = parseIMFFixdate(cursor) ?? parseRFC850(cursor) ?? parseAsctime(cursor)
        return date.map { .date($0) }
    }

    private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func parseDelaySeconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var total: Int64 = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            let (times10, o1) = total.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 0x30))
            // Keep scanning after overflow so that "99999999999999999999x" is still rejected.
            total = (o1 || o2) ? Int64.max : sum
        }
        return total
    }

    // MARK: - HTTP-date forms (RFC 9110 §5.6.7)

    private static let shortDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func parseIMFFixdate(_ input: ByteCursor) -> Date? {
        var s = input
        guard s.word(in: shortDays) != nil, s.literal(", "),
              let day = s.digits(2), s.literal(" "),
              let month = s.word(in: months), s.literal(" "),
              let year = s.digits(4), s.literal(" "),
              let time = s.timeOfDay(), s.literal(" GMT"), s.atEnd
        else { return nil }
        return makeDate(year: year, month: month + 1, day: day, time)
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`
    private static func parseRFC850(_ input: ByteCursor) -> Date? {
        var s = input
        guard s.word(in: longDays) != nil, s.literal(", "),
              let day = s.digits(2), s.literal("-"),
              let month = s.word(in: months), s.literal("-"),
              let shortYear = s.digits(2), s.literal(" "),
              let time = s.timeOfDay(), s.literal(" GMT"), s.atEnd
        else { return nil }
        // RFC 9110 resolves two-digit years against the current date; a fixed pivot keeps
        // this function pure. The form has been obsolete since 1995, so dates it carries
        // in practice are all 19xx or near-present 20xx.
        let year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
        return makeDate(year: year, month: month + 1, day: day, time)
    }

    /// `Sun Nov  6 08:49:37 1994`
    private static func parseAsctime(_ input: ByteCursor) -> Date? {
        var s = input
        guard s.word(in: shortDays) != nil, s.literal(" "),
              let month = s.word(in: months), s.literal(" ")
        else { return nil }
        let day: Int
        if s.literal(" ") {
            guard let d = s.digits(1) else { return nil }
            day = d
        } else {
            guard let d = s.digits(2) else { return nil }
            day = d
        }
        guard s.literal(" "), let time = s.timeOfDay(), s.literal(" "),
              let year = s.digits(4), s.atEnd
        else { return nil }
        return makeDate(year: year, month: month + 1, day: day, time)
    }

    private static func makeDate(year: Int, month: Int, day: Int, _ time: (hour: Int, minute: Int, second: Int)) -> Date? {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(Int64(year), Int64(month)),
              (0...23).contains(time.hour), (0...59).contains(time.minute),
              // 60 is a leap second; it reads as the first second of the next minute.
              (0...60).contains(time.second)
        else { return nil }
        let days = CivilDate.daysFromCivil(Int64(year), Int64(month), Int64(day))
        let seconds = days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// A cursor over ASCII bytes; each method consumes input only when it matches.
    fileprivate struct ByteCursor {
        private var rest: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

        var atEnd: Bool { rest.isEmpty }

        mutating func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard rest.starts(with: expected) else { return false }
            rest.removeFirst(expected.count)
            return true
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            guard rest.count >= count else { return nil }
            var value = 0
            for byte in rest.prefix(count) {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            rest.removeFirst(count)
            return value
        }

        /// The index in `words` of the (case-sensitive) word at the cursor.
        /// Longest match first, so "Sunday" is not read as "Sun" + "day".
        mutating func word(in words: [String]) -> Int? {
            let candidates = words.enumerated().sorted { $0.element.utf8.count > $1.element.utf8.count }
            for (index, word) in candidates where literal(word) {
                return index
            }
            return nil
        }

        mutating func timeOfDay() -> (hour: Int, minute: Int, second: Int)? {
            var s = self
            guard let hour = s.digits(2), s.literal(":"),
                  let minute = s.digits(2), s.literal(":"),
                  let second = s.digits(2)
            else { return nil }
            self = s
            return (hour, minute, second)
        }
    }
}
