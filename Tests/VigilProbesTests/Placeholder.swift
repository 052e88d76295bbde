import XCTest

final class VigilProbesTestsPlaceholder: XCTestCase {}
