import XCTest

final class VigilConformanceTestsPlaceholder: XCTestCase {}
