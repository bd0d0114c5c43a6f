import Foundation

/// etcd's comma-separated URL lists.
enum EtcdURLList {
    /// The entries of `list`, trimmed, empty ones dropped.
    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
