@testable import APSandbox
import Foundation
import Testing

/// The Authorization header's token, read without Foundation for ASCII headers: the same
/// answer as a lower-case-and-trim reading.
@Suite struct BearerTokenTests {
    static func reference(_ header: String) -> String? {
        header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
    }

    @Test func readsTheTokenAsBefore() {
        #expect(SandboxResponder.bearerToken("Bearer sbx_0123abcd") == "sbx_0123abcd")
        #expect(SandboxResponder.bearerToken("bEaReR \t tok \t") == "tok")
        #expect(SandboxResponder.bearerToken("Bearer    ") == "")
        #expect(SandboxResponder.bearerToken("Bearer") == nil)
        #expect(SandboxResponder.bearerToken("Basic c2FuZGJveA==") == nil)
        #expect(SandboxResponder.bearerToken("") == nil)
        let headers = ["Bearer sbx_0123abcd", "BEARER x", "bearer  x y ", "Bearer\tx", "Bearer@x", "Bearerx", "Bearer ", "Bearer",
                       "bearer \u{A0}tok\u{3000}", "Bearér tok", "Bearer tök ", "Bearer \u{0}x", "\u{0}earer x", "Bearer\u{0}x",
                       " Bearer x", "Bearer x\t", "Token x", "", "b", "bearer tok\u{2003}"]
        for header in headers {
            #expect(SandboxResponder.bearerToken(header) == Self.reference(header), "\(header.debugDescription)")
        }
    }
}
