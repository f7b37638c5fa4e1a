import APModels
import Foundation
import Reconciliation

/// A problem with an acknowledgements file or an edit of it, in words naming the file, the
/// entry and what to do.
public struct AcknowledgementFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The acknowledgements file: JSON, kept under version control (docs/acknowledgements.md).
///
/// ```json
/// {
///   "acknowledgements": [
///     {
///       "fingerprint": "PAYOUT_AMOUNT_MISMATCH|po_1|||",
///       "reason": "provider fee, credited in January",
///       "by": "alice",
///       "at": "2026-12-01T09:00:00Z",
///       "until": "2027-01-31T00:00:00Z",
///       "expected": 1000, "actual": 900, "currency": "USD"
///     }
///   ]
/// }
/// ```
///
/// `encode` writes entries sorted by fingerprint, one key per line in a fixed order, so an
/// `ack` or `unack` changes only the lines of its own entry in a diff.
public enum AcknowledgementFile {
    public static let entryKeys: [String] = ["fingerprint", "reason", "by", "at", "until", "expected", "actual", "currency"]

    /// Parses the file's bytes; `path` only names the file in errors.
    public static func parse(_ data: Data, path: String) throws(AcknowledgementFileError) -> Acknowledgements {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw AcknowledgementFileError("acknowledgements file \(path) is not valid JSON; fix it or restore it from version control")
        }
        guard let object = root as? [String: Any], let list = object["acknowledgements"] as? [Any],
              Set(object.keys) == ["acknowledgements"] else {
            throw AcknowledgementFileError("acknowledgements file \(path) must be an object with one key, \"acknowledgements\", holding an array")
        }
        var entries: [Acknowledgement] = []
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            let entry = try parseEntry(item, index: index, path: path)
            guard seen.insert(entry.fingerprint).inserted else {
                throw AcknowledgementFileError("acknowledgements file \(path): acknowledgements[\(index)] repeats fingerprint \(entry.fingerprint); keep one entry per fingerprint")
            }
            entries.append(entry)
        }
        return Acknowledgements(entries)
    }

    static func parseEntry(_ item: Any, index: Int, path: String) throws(AcknowledgementFileError) -> Acknowledgement {
        let place = "acknowledgements file \(path): acknowledgements[\(index)]"
        guard let object = item as? [String: Any] else { throw AcknowledgementFileError("\(place) must be an object") }
        let unknown = Set(object.keys).subtracting(entryKeys).sorted()
        guard unknown.isEmpty else {
            throw AcknowledgementFileError("\(place) has unknown key(s) \(unknown.joined(separator: ", ")); known: \(entryKeys.joined(separator: ", "))")
        }
        func text(_ key: String) throws(AcknowledgementFileError) -> String {
            guard let value = object[key] as? String, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw AcknowledgementFileError("\(place) needs \"\(key)\", a non-empty string")
            }
            return value
        }
        func amount(_ key: String) throws(AcknowledgementFileError) -> Int64? {
            guard let raw = object[key] else { return nil }
            if raw is NSNull { return nil }
            // JSONSerialization gives NSNumber; its text is digits only for a whole number.
            guard let number = raw as? NSNumber, let value = Int64(number.stringValue) else {
                throw AcknowledgementFileError("\(place): \"\(key)\" must be a whole number of minor units")
            }
            return value
        }
        let fingerprint = try text("fingerprint")
        try validate(fingerprint: fingerprint, place: place)
        guard let at = Timestamp.parse(try text("at")) else {
            throw AcknowledgementFileError("\(place): \"at\" must be an RFC 3339 time such as 2026-12-01T09:00:00Z")
        }
        var until: Timestamp?
        if let raw = object["until"], !(raw is NSNull) {
            guard let s = raw as? String, let t = Timestamp.parse(s, allowDateOnly: true) else {
                throw AcknowledgementFileError("\(place): \"until\" must be a date (2027-01-31) or an RFC 3339 time")
            }
            until = t
        }
        var currency: Currency?
        if let raw = object["currency"], !(raw is NSNull) {
            guard let s = raw as? String, let c = Currency(code: s) else {
                throw AcknowledgementFileError("\(place): \"currency\" must be a three-letter currency code")
            }
            currency = c
        }
        return Acknowledgement(fingerprint: fingerprint, reason: try text("reason"), by: try text("by"), at: at, until: until,
                               expected: try amount("expected"), actual: try amount("actual"), currency: currency)
    }

    /// A fingerprint starts with a catalogue code and a `|` (docs/diagnostics.md § Fingerprint).
    static func validate(fingerprint: String, place: String) throws(AcknowledgementFileError) {
        let code = fingerprint.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard fingerprint.contains("|"), DiagnosticCode(rawValue: code) != nil else {
            throw AcknowledgementFileError("\(place): \(fingerprint) is not a diagnostic fingerprint (CODE|payout|transaction|invoice|payment_request); copy it from the fingerprint column of diagnostics.csv or exceptions.csv")
        }
    }

    /// The file's bytes: entries by fingerprint, fixed key order, two-space indent, final newline.
    public static func encode(_ acknowledgements: Acknowledgements) -> [UInt8] {
        let entries = acknowledgements.entries.sorted { $0.fingerprint < $1.fingerprint }
        var out = "{\n  \"acknowledgements\": ["
        for (i, e) in entries.enumerated() {
            var fields: [(String, String)] = [
                ("fingerprint", quoted(e.fingerprint)), ("reason", quoted(e.reason)), ("by", quoted(e.by)),
                ("at", quoted(e.at.rfc3339)),
            ]
            if let until = e.until { fields.append(("until", quoted(until.rfc3339))) }
            if let expected = e.expected { fields.append(("expected", String(expected))) }
            if let actual = e.actual { fields.append(("actual", String(actual))) }
            if let currency = e.currency { fields.append(("currency", quoted(currency.code))) }
            out += i == 0 ? "\n" : ",\n"
            out += "    {\n"
            out += fields.map { "      \(quoted($0.0)): \($0.1)" }.joined(separator: ",\n")
            out += "\n    }"
        }
        out += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(out.utf8)
    }

    static func quoted(_ s: String) -> String { JSONText.quoted(s) }

    /// Adds `entry`; an entry already present for its fingerprint is replaced (re-acknowledging
    /// after the amounts changed is the usual reason). Returns the new list and whether it replaced.
    public static func adding(_ entry: Acknowledgement, to acknowledgements: Acknowledgements)
        throws(AcknowledgementFileError) -> (Acknowledgements, replaced: Bool) {
        try validate(fingerprint: entry.fingerprint, place: "ack")
        for (key, value) in [("reason", entry.reason), ("by", entry.by)]
        where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AcknowledgementFileError("ack: --\(key) must not be empty")
        }
        var entries = acknowledgements.entries
        if let i = entries.firstIndex(where: { $0.fingerprint == entry.fingerprint }) {
            entries[i] = entry
            return (Acknowledgements(entries), true)
        }
        entries.append(entry)
        return (Acknowledgements(entries), false)
    }

    /// Removes the entry for `fingerprint`; an error when there is none, so a typo is not silent.
    public static func removing(_ fingerprint: String, from acknowledgements: Acknowledgements, path: String)
        throws(AcknowledgementFileError) -> Acknowledgements {
        guard acknowledgements.entries.contains(where: { $0.fingerprint == fingerprint }) else {
            throw AcknowledgementFileError("unack: \(path) has no acknowledgement for \(fingerprint); nothing changed")
        }
        return Acknowledgements(acknowledgements.entries.filter { $0.fingerprint != fingerprint })
    }
}
