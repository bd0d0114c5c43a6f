import Foundation
import KubeCore
import Testing
@testable import KetchBootstrap

/// The seed's default StorageClass: kind's `standard`, served by the simulated provisioner, so
/// `kubectl get storageclass` shows a default and claims without a class get one.
@Suite struct StorageClassSeedTests {
    @Test func seedsTheDefaultStandardClass() throws {
        let dir = try TestDirectory()
        let certificates = SeedCertificates(caPEM: "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n",
                                            frontProxyCAPEM: "-----BEGIN CERTIFICATE-----\nRlA=\n-----END CERTIFICATE-----\n")
        let seed = RegistrySeed(controlPlane: try testConfiguration(dir).resolved(), certificates: certificates, node: .sample,
                                now: Date(timeIntervalSince1970: 1_750_000_000))
        let classes = try seed.objects().filter { $0.key.hasPrefix("/registry/storageclasses/") }
        #expect(classes.map(\.key) == ["/registry/storageclasses/standard"])
        let standard = try #require(classes.first?.object)
        #expect(standard["apiVersion"] == .string("storage.k8s.io/v1") && standard["kind"] == .string("StorageClass"))
        #expect(standard["metadata"]?["annotations"]?[StorageDefaults.isDefaultClassAnnotation] == .string("true"))
        #expect(standard["provisioner"] == .string("ketch.dev/simulated"))
        #expect(standard["reclaimPolicy"] == .string("Delete"))
        #expect(standard["volumeBindingMode"] == .string("Immediate"))
        // Stored as the apiserver would store it: its defaults change nothing.
        #expect(StorageDefaults.storageClass(standard) == standard)
        #expect(RegistryResource.forKind("StorageClass", group: "storage.k8s.io")?.key(name: "standard", namespace: nil)
                == "/registry/storageclasses/standard")
    }
}
