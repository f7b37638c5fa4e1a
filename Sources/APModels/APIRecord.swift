/// A record the API lists or returns by id. The paging layer needs the id to detect a
/// server repeating records across pages.
public protocol APIRecord: Decodable, Sendable {
    var id: String { get }
}
