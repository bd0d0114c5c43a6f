import ArgumentParser
import Testing
@testable import EtcdServerConfig

/// Flags as etcd's Go `flag` package reads them, and each setting's Go type.
@Suite struct EtcdFlagParsingTests {
    private func parsed(_ args: [String]) throws -> [String] {
        try EtcdFlagCompatibility.parse(args).map { "\($0.name)=\($0.value)" }
    }

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func goFlagSyntax() throws {
        #expect(try parsed(["-name", "a", "--data-dir=/d", "--snapshot-count", "5"]) == ["name=a", "data-dir=/d", "snapshot-count=5"])
        #expect(try parsed(["--auto-tls", "-client-cert-auth=false", "--enable-v2=true"])
            == ["auto-tls=true", "client-cert-auth=false", "enable-v2=true"])
        #expect(try parsed(["--initial-cluster=a=http://x:2380"]) == ["initial-cluster=a=http://x:2380"])
    }

    @Test func goFlagErrors() {
        #expect(message { _ = try parsed(["--nope"]) } == "flag provided but not defined: -nope")
        #expect(message { _ = try parsed(["--snapshot-count"]) } == "flag needs an argument: -snapshot-count")
        #expect(message { _ = try parsed(["--auto-tls", "false"]) } == "'false' is not a valid flag")
        #expect(message { _ = try parsed(["--client-cert-auth=yes"] ) }
            == "invalid boolean value \"yes\" for flag -client-cert-auth: parse error")
        #expect(message { _ = try parsed(["--max-txn-ops=lots"]) } == "invalid value \"lots\" for flag -max-txn-ops: parse error")
        #expect(message { _ = try parsed(["--"]) } == "'--' is not a valid flag")
    }

    @Test func flagsThatWouldWeakenSecurityAreRefused() {
        #expect(message { _ = try parsed(["--client-crl-file=/crl.pem"]) }
            == "--client-crl-file: certificate revocation lists are not checked by ketch etcd")
        #expect(message { _ = try parsed(["--client-cert-allowed-hostname", "x"]) }
            == "--client-cert-allowed-hostname: client certificates are not matched against a hostname by ketch etcd")
    }

    @Test func flagGroupsReportWhatWasGiven() throws {
        let member = try MemberFlags.parse(["--name", "m", "--max-txn-ops", "0x10"])
        #expect(try member.checkedFlags().map { "\($0.name)=\($0.value)" } == ["name=m", "max-txn-ops=0x10"])
        let config = try LoggingAndConfigFlags.parse([])
        #expect(try config.checkedFlags().isEmpty)
    }

    @Test func flagGroupsCheckGoTypes() throws {
        let member = try MemberFlags.parse(["--max-request-bytes", "1.5MB"])
        #expect(message { _ = try member.checkedFlags() } == "invalid value \"1.5MB\" for flag -max-request-bytes: parse error")
    }

    @Test func goIntegers() throws {
        let uint = try #require(EtcdSetting.all["max-txn-ops"])
        #expect(uint.parse("0x10")?.string == "16")
        #expect(uint.parse("010")?.string == "8")
        #expect(uint.parse("0o17")?.string == "15")
        #expect(uint.parse("0b101")?.string == "5")
        #expect(uint.parse("1_000")?.string == "1000")
        #expect(uint.parse("0")?.string == "0")
        #expect(uint.parse("-1") == nil)
        #expect(uint.parse("") == nil)
        #expect(uint.parse("12abc") == nil)
        let int64 = try #require(EtcdSetting.all["quota-backend-bytes"])
        #expect(int64.parse("-1")?.string == "-1")
        #expect(int64.parse("+4294967296")?.string == "4294967296")
    }

    @Test func goBooleans() throws {
        let bool = try #require(EtcdSetting.all["auto-tls"])
        for yes in ["1", "t", "T", "true", "TRUE", "True"] { #expect(bool.parse(yes)?.string == "true", "\(yes)") }
        for no in ["0", "f", "F", "false", "FALSE", "False"] { #expect(bool.parse(no)?.string == "false", "\(no)") }
        for bad in ["yes", "tRUE", "", "2"] { #expect(bool.parse(bad) == nil, "\(bad)") }
    }

    @Test func settingsAreKnownByThreeNames() throws {
        let setting = try #require(EtcdSetting.all["max-txn-ops"])
        #expect(setting.environmentVariable == "ETCD_MAX_TXN_OPS")
        #expect(EtcdSetting.all["snapshot-count"]?.apply == nil)
        #expect(EtcdSetting.all["config-file"]?.apply == nil)
        let urls = try #require(EtcdSetting.all["listen-client-urls"])
        #expect(urls.parse(" http://a:1 ,,http://b:2 ")?.string == "http://a:1,http://b:2")
    }
}
