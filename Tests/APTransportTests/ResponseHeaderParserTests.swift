@testable import APTransport
import Testing

@Suite struct ResponseHeaderParserTests {
    private func parse(_ lines: [String]) -> [HTTPHeader] {
        var parser = ResponseHeaderParser()
        for line in lines { parser.consume(line: Array(line.utf8)) }
        return parser.entries
    }

    @Test func keepsOrderAndTrimsValues() {
        let headers = parse(["HTTP/1.1 200 OK\r\n", "B: 1\r\n", "A:  two  \r\n", "B:3\r\n", "\r\n"])
        #expect(headers == [HTTPHeader("B", "1"), HTTPHeader("A", "two"), HTTPHeader("B", "3")])
    }

    @Test func laterBlockReplacesInterimResponse() {
        let headers = parse([
            "HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
            "HTTP/1.1 201 Created\r\n", "Location: /x\r\n", "\r\n",
        ])
        #expect(headers == [HTTPHeader("Location", "/x")])
    }

    @Test func http2StatusLineStartsABlock() {
        #expect(parse(["HTTP/2 200\r\n", "content-type: text/plain\r\n", "\r\n"]) == [HTTPHeader("content-type", "text/plain")])
    }

    @Test func foldedLinesJoinThePreviousValue() {
        let headers = parse(["HTTP/1.1 200 OK\r\n", "X-Long: a\r\n", " \t b\r\n", "\r\n"])
        #expect(headers == [HTTPHeader("X-Long", "a b")])
    }

    @Test func trailersAndMalformedLinesAreIgnored() {
        let headers = parse([
            "HTTP/1.1 200 OK\r\n", "no colon here\r\n", ": no name\r\n", " fold without header\r\n",
            "Good: yes\r\n", "\r\n", "X-Trailer: after body\r\n",
        ])
        #expect(headers == [HTTPHeader("Good", "yes")])
    }

    @Test func linesBeforeAnyStatusLineAreIgnored() {
        #expect(parse(["Stray: 1\r\n"]) == [])
    }
}
