import ArgumentParser

/// `ketch-bench`: a load client for any etcd v3 endpoint (Ketch or real etcd), in the spirit of
/// etcd's `tools/benchmark`, so both servers are measured by the same client. `hack/bench.sh`
/// drives it (`suite`, `load`, `report`); `put` and `range` are single workloads for
/// `hack/bench-quick.sh` and quick checks by hand.
@main
struct KetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ketch-bench",
        abstract: "Load etcd v3 endpoints and report throughput and latency.",
        subcommands: [SuiteCommand.self, BulkLoadCommand.self, ReportCommand.self, PutBenchmark.self, RangeBenchmark.self]
    )
}
