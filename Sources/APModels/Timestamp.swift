import Foundation

/// An instant parsed from an RFC 3339 timestamp, kept with the text the API sent.
/// Parsed by hand (no DateFormatter): pure, fast, and the same on every platform.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public let nanoseconds: Int32

    public init(epochSeconds: Int64, nanoseconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        let s = t.rounded(.down)
        self.epochSeconds = Int64(s)
        self.nanoseconds = Int32(min(999_999_999, max(0, ((t - s) * 1e9).rounded())))
    }

    public var date: Date { Date(timeIntervalSince1970: Double(epochSeconds) + Double(nanoseconds) / 1e9) }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.epochSeconds, a.nanoseconds) < (b.epochSeconds, b.nanoseconds)
    }

    /// Canonical UTC form: `2024-01-10T15:00:00Z`, with a fraction only when non-zero.
    public var description: String { rfc3339 }

    public var rfc3339: String {
        let days = Timestamp.floorDiv(epochSeconds, 86_400)
        let secs = epochSeconds - days * 86_400
        let (y, m, d) = CivilDate.civil(fromDays: days)
        var out = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
        if nanoseconds != 0 {
            var frac = pad(Int64(nanoseconds), 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }

    /// `YYYY-MM-DD` of the UTC day this instant falls in.
    public var utcDate: String {
        let (y, m, d) = CivilDate.civil(fromDays: Timestamp.floorDiv(epochSeconds, 86_400))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// UTC midnight starting the day of this instant.
    public var startOfUTCDay: Timestamp {
        Timestamp(epochSeconds: Timestamp.floorDiv(epochSeconds, 86_400) * 86_400)
    }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(epochSeconds: epochSeconds + seconds, nanoseconds: nanoseconds)
    }

    // MARK: parsing

    /// Parses RFC 3339 (`2024-01-10T15:00:00Z`, `…T15:00:00.123+02:00`; `t`, `z` and a space
    /// separator accepted) or, when `allowDateOnly`, a plain date `2024-01-10` (its UTC midnight).
    public static func parse(_ text: String, allowDateOnly: Bool = false) -> Timestamp? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year, month) else { return nil }
        let dayNumber = CivilDate.daysFromCivil(year, month, day)
        if i == b.count {
            return allowDateOnly ? Timestamp(epochSeconds: dayNumber * 86_400) : nil
        }
        guard i < b.count, b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil } // T t space
        i += 1
        guard let hour = digits(2), expect(58), let minute = digits(2), expect(58), let second = digits(2) else { return nil }
        guard hour < 24, minute < 60, second < 61 else { return nil } // 60: leap second, folded below
        var nanos: Int64 = 0
        if i < b.count, b[i] == 46 { // '.'
            i += 1
            var count = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if count < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 90 || b[i] == 122 { // Z z
            i += 1
        } else if b[i] == 43 || b[i] == 45 { // + -
            let sign: Int64 = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(58), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = dayNumber * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Timestamp(epochSeconds: seconds, nanoseconds: Int32(nanos))
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}

private func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
