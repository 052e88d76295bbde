import XCTest

final class VigilOVALTestsPlaceholder: XCTestCase {}
