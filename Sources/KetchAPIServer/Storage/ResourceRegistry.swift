import KubeCore
import Synchronization

/// The resources served right now: the built-ins plus those of the stored
/// CustomResourceDefinitions, rebuilt whenever a CRD changes.
final class ResourceRegistry: Sendable {
    private let mirror: PrefixMirror
    private let cache = Mutex<(generation: Int, catalogue: ResourceCatalogue?)>((-1, nil))

    /// The CRD prefix the mirror must follow.
    static func prefixes(root: String) -> [String] {
        ["\(root)/apiextensions.k8s.io/customresourcedefinitions/"]
    }

    /// Serves what `mirror` holds (the CRDs).
    init(mirror: PrefixMirror) {
        self.mirror = mirror
    }

    /// The current catalogue.
    var catalogue: ResourceCatalogue {
        let generation = mirror.generation
        if let cached = cache.withLock({ $0.generation == generation ? $0.catalogue : nil }) { return cached }
        var custom: [ResourceType] = []
        for crd in mirror.objects(under: "") where crd["kind"]?.string == "CustomResourceDefinition" {
            custom += ResourceCatalogue.customResource(fromCRD: crd)
        }
        let catalogue = ResourceCatalogue(builtins: BuiltinResources.all, customResources: custom)
        cache.withLock { $0 = (generation, catalogue) }
        return catalogue
    }

    /// Records a CRD written through this server, so its resources are served at once.
    func noteCRD(key: String, object: JSONValue?) {
        mirror.apply(key: key, object: object)
    }
}
