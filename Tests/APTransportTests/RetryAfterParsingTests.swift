import APTransport
import Foundation
import Testing

@Suite struct RetryAfterParsingTests {
    /// 1994-11-06T08:49:37Z, the RFC 9110 example date.
    static let example = Date(timeIntervalSince1970: 784_111_777)

    @Test(arguments: [
        ("0", Int64(0)),
        ("120", 120),
        ("  7\t", 7),
        ("007", 7),
        ("9223372036854775807", Int64.max),
        ("9223372036854775808", Int64.max),
        ("99999999999999999999999999999999", Int64.max),
    ])
    func delaySeconds(_ header: String, _ seconds: Int64) {
        #expect(RetryAfter.parse(header) == .seconds(seconds))
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "  Sun, 06 Nov 1994 08:49:37 GMT  ",
        "\tSun Nov  6 08:49:37 1994\t",
    ])
    func httpDateForms(_ header: String) {
        #expect(RetryAfter.parse(header) == .date(Self.example))
    }

    @Test func datesAcrossCalendarEdges() {
        #expect(RetryAfter.parse("Thu, 01 Jan 1970 00:00:00 GMT") == .date(Date(timeIntervalSince1970: 0)))
        #expect(RetryAfter.parse("Tue, 29 Feb 2000 12:00:00 GMT") == .date(Date(timeIntervalSince1970: 951_825_600)))
        #expect(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT") == .date(Date(timeIntervalSince1970: 253_402_300_799)))
        #expect(RetryAfter.parse("Wed, 31 Dec 1969 23:59:59 GMT") == .date(Date(timeIntervalSince1970: -1)))
        // Two-digit RFC 850 years: 00–69 are 20xx, 70–99 are 19xx.
        #expect(RetryAfter.parse("Saturday, 01-Jan-00 00:00:00 GMT") == .date(Date(timeIntervalSince1970: 946_684_800)))
        #expect(RetryAfter.parse("Thursday, 01-Jan-70 00:00:00 GMT") == .date(Date(timeIntervalSince1970: 0)))
        // asctime with a two-digit day.
        #expect(RetryAfter.parse("Mon Nov 14 08:49:37 1994") == .date(Date(timeIntervalSince1970: 784_111_777 + 8 * 86_400)))
        // A leap second reads as the next minute's first second.
        #expect(RetryAfter.parse("Sat, 31 Dec 2016 23:59:60 GMT") == .date(Date(timeIntervalSince1970: 1_483_228_800)))
    }

    @Test(arguments: [
        "", "   ", "-1", "+5", "5.0", "1e3", "12 34", "0x10", "５", "120s",
        "Sun, 06 Nov 1994 08:49:37",         // no zone
        "Sun, 06 Nov 1994 08:49:37 UTC",     // wrong zone
        "Sun, 06 Nov 1994 08:49:37 GMT x",   // trailing junk
        "Sun, 6 Nov 1994 08:49:37 GMT",      // one-digit day in IMF-fixdate
        "sun, 06 nov 1994 08:49:37 GMT",     // names are case-sensitive
        "Xyz, 06 Nov 1994 08:49:37 GMT",     // not a day name
        "Sun, 06 Foo 1994 08:49:37 GMT",     // not a month
        "Sun, 31 Feb 1994 08:49:37 GMT",     // no such date
        "Sun, 29 Feb 1900 08:49:37 GMT",     // 1900 was not a leap year
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",       // two-digit year in IMF-fixdate
        "Sunday, 06-Nov-1994 08:49:37 GMT",  // four-digit year in RFC 850
        "Sun, 06-Nov-94 08:49:37 GMT",       // RFC 850 needs the long day name
        "Sun Nov 6 08:49:37 1994",           // asctime pads the day with a space
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 8:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 GMT\u{0}",
    ])
    func garbageIsNil(_ header: String) {
        #expect(RetryAfter.parse(header) == nil)
    }

    @Test func delayIsNeverNegative() {
        let now = Self.example
        #expect(RetryAfter.seconds(30).delay(now: now) == .seconds(30))
        #expect(RetryAfter.date(now.addingTimeInterval(90)).delay(now: now) == .seconds(90))
        #expect(RetryAfter.date(now.addingTimeInterval(-90)).delay(now: now) == .zero)
    }

    @Test func responseExposesParsedRetryAfter() {
        let response = APTransport.HTTPResponse(status: 429, headers: HTTPHeaders([HTTPHeader("retry-after", " 3 ")]), body: Data())
        #expect(response.retryAfter == .seconds(3))
    }
}
