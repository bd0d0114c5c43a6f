import Testing
@testable import KetchAPIServer
