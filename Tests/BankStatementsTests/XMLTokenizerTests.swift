@testable import BankStatements
import Testing

@Suite struct XMLTokenizerTests {
    func events(_ xml: String, limits: XMLLimits = .standard) throws(XMLError) -> [XMLEvent] {
        var t = XMLTokenizer(bytes: Array(xml.utf8), limits: limits)
        var out: [XMLEvent] = []
        while let e = try t.next() { out.append(e) }
        return out
    }

    func failure(_ xml: String, limits: XMLLimits = .standard) -> String? {
        do {
            _ = try events(xml, limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func elementsAttributesNamespacesTextAndEntities() throws {
        let got = try events("<?xml version=\"1.0\"?><!-- c --><a:r xmlns:a=\"urn:x\" xmlns=\"urn:d\" k='v&lt;'><b/>t&amp;&#233;&#x20AC;<![CDATA[<&>]]></a:r>")
        #expect(got == [
            .start(XMLName(prefix: "a", local: "r", namespace: "urn:x"), [XMLAttribute(name: XMLName(prefix: nil, local: "k", namespace: nil), value: "v<")]),
            .start(XMLName(prefix: nil, local: "b", namespace: "urn:d"), []),
            .end(XMLName(prefix: nil, local: "b", namespace: "urn:d")),
            .text("t&é€"),
            .text("<&>"),
            .end(XMLName(prefix: "a", local: "r", namespace: "urn:x")),
        ])
    }

    @Test func doctypeAndEntityDeclarationsAreRefused() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"
        #expect(failure(xxe) == "line 1: a DTD declaration (<!DOCTYPE or <!ENTITY) is not accepted in a bank statement")
        let laughs = "<!ENTITY lol \"lol\"><r/>"
        #expect(failure(laughs) == "line 1: a DTD declaration (<!DOCTYPE or <!ENTITY) is not accepted in a bank statement")
        #expect(failure("<r>&lol;</r>") == "line 1: the entity &lol; is not defined (DTDs are not accepted)")
        let file = BankStatementReader.read(Array(("<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY e \"camt.053.\">]>\n"
            + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"/>").utf8), file: "x.xml")
        #expect(file.unreadable.map(\.id) == ["x.xml#0"])
        #expect(file.unreadable.first?.reason == "the XML cannot be read (line 2: a DTD declaration (<!DOCTYPE or <!ENTITY) is not accepted in a bank statement)")
    }

    @Test func depthAndSizeAreLimited() {
        let deep = String(repeating: "<a>", count: 5) + String(repeating: "</a>", count: 5)
        #expect(failure(deep, limits: XMLLimits(maxDepth: 5)) == nil)
        #expect(failure(deep, limits: XMLLimits(maxDepth: 4)) == "line 1: elements nest deeper than the limit of 4")
        #expect(failure("<r>0123456789</r>", limits: XMLLimits(maxBytes: 10)) == "line 1: the document is 17 bytes, more than the limit of 10")
        let big = BankStatementReader.read(Array("<r>0123456789</r>".utf8), file: "big.xml", limits: XMLLimits(maxBytes: 10))
        #expect(big.unreadable == [BankUnreadable(file: "big.xml", position: 0, reason: "the file is 17 bytes, more than the limit of 10")])
    }

    @Test func malformedDocumentsAreErrorsWithTheirLine() {
        #expect(failure("<r>\n<a></b></r>") == "line 2: </b> closes <a>")
        #expect(failure("<r>") == "line 1: the document ends inside <r>")
        #expect(failure("<p:r/>") == "line 1: the prefix p of p:r is not bound to a namespace")
        #expect(failure("<r a='1' a='2'/>") == "line 1: attribute a twice on <r>")
        #expect(failure("<r/><s/>") == "line 1: a second root element")
        #expect(failure("<r>&#0;</r>") == "line 1: &#0; is not a valid character reference")
        #expect(failure("") == "line 1: the document has no root element")
    }
}
