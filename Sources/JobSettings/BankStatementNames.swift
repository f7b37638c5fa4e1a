import Foundation

/// How a run names its statement files in the reports (bank.csv `statement_file`, `FILE#N`
/// ids, report.json's `bank` section): by base file name, so the same file gives the same
/// reports from any working directory and no absolute path reaches a report. Files that share
/// a base name are named by the shortest trailing part of their paths that tells them all apart.
public enum BankStatementNames {
    /// One name per path, in order. Pure: the names depend on the list of paths only. `.` and
    /// empty components (`./a.xml`, `a//b.xml`, a leading `/`) are not part of a name. Two paths
    /// whose components are the same (`/x/a.xml` and `x/a.xml`) keep the path as given, the
    /// only way left to tell them apart.
    public static func names(for paths: [String]) -> [String] {
        let components = paths.map { path in
            path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        }
        // How many trailing components each path's name takes; grown only for names that collide.
        var lengths = Array(repeating: 1, count: paths.count)
        func name(_ index: Int) -> String {
            let parts = components[index]
            guard !parts.isEmpty else { return paths[index] }
            return parts.suffix(lengths[index]).joined(separator: "/")
        }
        while true {
            var byName: [String: [Int]] = [:]
            for index in paths.indices { byName[name(index), default: []].append(index) }
            var grew = false
            for (_, group) in byName where group.count > 1 {
                for index in group where lengths[index] < components[index].count {
                    lengths[index] += 1
                    grew = true
                }
            }
            guard grew else { break }
        }
        var counts: [String: Int] = [:]
        for index in paths.indices { counts[name(index), default: 0] += 1 }
        return paths.indices.map { counts[name($0), default: 0] > 1 ? paths[$0] : name($0) }
    }
}
