import APModels

/// Numbers and fixed text appended straight to bytes, for the hot loops of the renderers: no
/// `String` per value (a heap allocation past 15 bytes, and always a copy).
enum ByteFormat {
    private static let blanks = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    /// `count` spaces.
    @inline(__always)
    static func spaces(_ count: Int, into out: inout [UInt8]) {
        var left = count
        while left > 0 {
            let n = min(left, blanks.count)
            out.append(contentsOf: blanks[0..<n])
            left -= n
        }
    }

    /// The bytes of a literal.
    @inline(__always)
    static func literal(_ text: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `String(value)`'s bytes.
    static func integer(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        digits(value.magnitude, exponent: 0, into: &out)
    }

    static func integer(_ value: Int, into out: inout [UInt8]) {
        integer(Int64(value), into: &out)
    }

    /// `Money.decimalString(minor, exponent:)`'s bytes: "1500.00", "-0.05", "1500" (exponent 0).
    static func decimal(_ minor: Int64, exponent: Int, into out: inout [UInt8]) {
        guard exponent <= maxExponent else {
            // No currency has such an exponent; the general formatter says the same thing, slowly.
            out.append(contentsOf: Money.decimalString(minor, exponent: exponent).utf8)
            return
        }
        if minor < 0 { out.append(UInt8(ascii: "-")) }
        digits(minor.magnitude, exponent: exponent, into: &out)
    }

    private static let maxExponent = 18

    /// The decimal digits of `magnitude` with a point before the last `exponent` of them (none
    /// when `exponent` ≤ 0), zero-padded so that at least one digit stands before the point.
    private static func digits(_ magnitude: UInt64, exponent: Int, into out: inout [UInt8]) {
        // 20 digits of a UInt64, the point and the padding up to maxExponent fit in 48.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var i = buffer.count
            var rest = magnitude
            var written = 0
            repeat {
                if exponent > 0 && written == exponent {
                    i -= 1
                    buffer[i] = UInt8(ascii: ".")
                }
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                written += 1
            } while rest > 0 || written <= exponent
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i...]))
        }
    }
}
