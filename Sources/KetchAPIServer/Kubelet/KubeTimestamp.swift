import KubeCore

/// The kubelet emulation's former name for ``KubeTime``, kept for its tests.
typealias KubeTimestamp = KubeTime
