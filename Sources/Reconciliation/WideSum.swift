/// An exact sum of Int64 amounts in 128-bit two's complement.
///
/// Summing in 128 bits makes the result independent of the order of the terms: a total
/// that passes Int64.max halfway and comes back is still correct, and only a final value
/// outside Int64 is an overflow (AMOUNT_OVERFLOW). The high word cannot itself wrap before
/// 2^63 terms, which no run approaches.
struct WideSum: Sendable, Hashable {
    private var high: Int64 = 0
    private var low: UInt64 = 0

    init() {}

    mutating func add(_ value: Int64) {
        let (sum, carry) = low.addingReportingOverflow(UInt64(bitPattern: value))
        low = sum
        high = high &+ (value < 0 ? -1 : 0) &+ (carry ? 1 : 0)
    }

    mutating func subtract(_ value: Int64) {
        let (difference, borrow) = low.subtractingReportingOverflow(UInt64(bitPattern: value))
        low = difference
        high = high &- (value < 0 ? -1 : 0) &- (borrow ? 1 : 0)
    }

    /// The sum, or nil when it does not fit in Int64.
    var value: Int64? {
        let signBit = low >> 63
        if high == 0 && signBit == 0 { return Int64(bitPattern: low) }
        if high == -1 && signBit == 1 { return Int64(bitPattern: low) }
        return nil
    }
}
