import ArgumentParser
import Foundation
import KetchControllers
import KubeCore

/// `ketch node list`: the cluster's nodes, simulated or not.
struct NodeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the cluster's nodes with their role, status and pod CIDR.",
        discussion: """
            Prints NAME, ROLE (control-plane or worker), STATUS (as "kubectl get nodes" shows it) \
            and PODCIDR (<none> until the controller-manager's node-ipam assigns one).

            Examples:
              ketch node list
              ketch node list --state-dir /tmp/c2
            """
    )

    @OptionGroup var client: NodeClientOptions

    func run() async throws {
        let nodes = try await client.withClient { api in
            try await api.listAll(BuiltinResources.nodes, namespace: nil).items
        }
        let statusColumn = TableRenderer.columns(for: BuiltinResources.nodes).firstIndex { $0.name == "Status" }
        var rows = [["NAME", "ROLE", "STATUS", "PODCIDR"]]
        for node in nodes {
            let cells = TableRenderer.cells(for: BuiltinResources.nodes, object: node)
            let status = statusColumn.flatMap { $0 < cells.count ? cells[$0].string : nil } ?? "Unknown"
            let role = node["metadata"]?["labels"]?[WorkerNode.controlPlaneLabel] != nil ? "control-plane" : "worker"
            let cidr = node["spec"]?["podCIDR"]?.string ?? "<none>"
            rows.append([node["metadata"]?["name"]?.string ?? "", role, status, cidr])
        }
        print(Self.tabulate(rows), terminator: "")
    }

    /// Rows in columns three spaces apart, as kubectl's tabwriter prints them.
    static func tabulate(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 3, withPad: " ", startingAt: 0)
            }.joined() + "\n"
        }.joined()
    }
}
