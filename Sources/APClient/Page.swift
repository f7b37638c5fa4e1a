/// One decoded page of a listing.
public struct Page<Record: Sendable>: Sendable {
    public var items: [Fetched<Record>]
    public var hasNextPage: Bool
    /// The cursor to pass as `after` for the next page; nil or empty when none was sent.
    public var endCursor: String?

    public init(items: [Fetched<Record>], hasNextPage: Bool, endCursor: String?) {
        self.items = items
        self.hasNextPage = hasNextPage
        self.endCursor = endCursor
    }
}
