import XCTest

final class VigilContentTestsPlaceholder: XCTestCase {}
