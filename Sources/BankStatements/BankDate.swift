import APModels

/// A calendar day as a bank states it (booking date, value date, balance date), with no time
/// and no time zone: banks book by their own business day, and a day is what the matcher compares.
public struct BankDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int64

    public init(dayNumber: Int64) {
        self.dayNumber = dayNumber
    }

    /// A valid Gregorian date; nil otherwise (2026-02-30 is refused, not rolled over).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        guard let stamp = Timestamp.parse(BankDate.iso(year, month, day), allowDateOnly: true) else { return nil }
        self.dayNumber = stamp.epochSeconds / 86_400
    }

    /// `YYYY-MM-DD`, or the date part of an ISO date-time (`2026-11-05T10:00:00+01:00` is the
    /// 5th: the bank's own day, whatever its offset).
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8.prefix(11))
        guard bytes.count >= 10, bytes.count == 10 || bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = BankDate.number(bytes[0..<4]), let m = BankDate.number(bytes[5..<7]), let d = BankDate.number(bytes[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `YYMMDD` as in MT940 and BAI2: years 00–79 are 20xx, 80–99 are 19xx.
    public init?(yymmdd text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, let yy = BankDate.number(bytes[0..<2]), let m = BankDate.number(bytes[2..<4]),
              let d = BankDate.number(bytes[4..<6]) else { return nil }
        self.init(year: yy < 80 ? 2000 + yy : 1900 + yy, month: m, day: d)
    }

    /// The date of an API timestamp in UTC.
    public init(utcDayOf timestamp: Timestamp) {
        self.dayNumber = timestamp.startOfUTCDay.epochSeconds / 86_400
    }

    public var year: Int { Int(components.0) }
    public var month: Int { Int(components.1) }
    public var day: Int { Int(components.2) }

    private var components: (Int64, Int64, Int64) {
        let text = Timestamp(epochSeconds: dayNumber * 86_400).utcDate
        // utcDate is `YYYY-MM-DD`: the last two fields are fixed-width whatever the year's sign.
        let parts = text.split(separator: "-").map { Int64($0) ?? 0 }
        guard parts.count >= 3 else { return (0, 0, 0) }
        return (parts[parts.count - 3], parts[parts.count - 2], parts[parts.count - 1])
    }

    /// `YYYY-MM-DD`.
    public var description: String { Timestamp(epochSeconds: dayNumber * 86_400).utcDate }

    /// Saturday and Sunday are not business days; public holidays are not known here.
    public var isWeekend: Bool {
        // 1970-01-01 was a Thursday: (dayNumber + 3) mod 7 is 0 on Mondays.
        let weekday = ((dayNumber + 3) % 7 + 7) % 7
        return weekday >= 5
    }

    public func adding(days: Int64) -> BankDate { BankDate(dayNumber: dayNumber + days) }

    /// The day `count` business days (Monday to Friday) after this one.
    public func adding(businessDays count: Int) -> BankDate {
        var date = self
        var left = max(0, count)
        while left > 0 {
            date = date.adding(days: 1)
            if !date.isWeekend { left -= 1 }
        }
        return date
    }

    public static func < (a: BankDate, b: BankDate) -> Bool { a.dayNumber < b.dayNumber }

    static func iso(_ y: Int, _ m: Int, _ d: Int) -> String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var v = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}
