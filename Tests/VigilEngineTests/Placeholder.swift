import XCTest

final class VigilEngineTestsPlaceholder: XCTestCase {}
