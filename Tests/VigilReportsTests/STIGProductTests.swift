import Foundation
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// The STIG a checklist is for, from its rules' STIG ids; its release from a title.
final class STIGProductTests: XCTestCase {
    func testTheSTIGMostIdsBelongToIsChosen() {
        XCTAssertEqual(STIGProduct.of(["CNTR-K8-000850", "CNTR-K8-001160", "RHEL-09-255045"])?.stigID, "Kubernetes_STIG")
        XCTAssertEqual(STIGProduct.of(["cntr-k8-000850"])?.stigID, "Kubernetes_STIG", "case does not matter")
        XCTAssertNil(STIGProduct.of(["RHEL-09-255045", "V-1"]), "not in the table: the benchmark's names are kept")
        XCTAssertNil(STIGProduct.of([]))
    }

    func testTheReleaseIsReadFromAVersionReleaseWord() {
        XCTAssertEqual(STIGProduct.release(in: ["DISA Kubernetes STIG V2R3"]).map { [$0.version, $0.release] }, ["2", "3"])
        XCTAssertEqual(STIGProduct.release(in: ["", "stig", "Kubernetes STIG (v1r12)"]).map { [$0.version, $0.release] }, ["1", "12"])
        XCTAssertNil(STIGProduct.release(in: ["DISA STIG", "SV2R3X", "V2R"]), "only a word of its own")
    }

    /// A checklist of SSG-like content keeps the benchmark's names and an unset role.
    func testOtherContentKeepsTheBenchmarksNames() throws {
        var data = identifiedReport()
        data.rules[1].record.references = [RuleReference(kind: "stig", system: "https://public.cyber.mil/stigs", id: "RHEL-09-255045")]
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try ReportPipeline.render(.ckl, data)), label: "x.ckl").root)
        XCTAssertEqual(root.child("ASSET")?.child("ROLE")?.text, "None")
        let info = Dictionary(uniqueKeysWithValues: try XCTUnwrap(root.child("STIGS")?.child("iSTIG")?.child("STIG_INFO"))
            .children("SI_DATA").map { ($0.child("SID_NAME")?.text ?? "", $0.child("SID_DATA")?.text ?? "") })
        XCTAssertEqual(info["stigid"], STIGChecklist.stigID(data))
        XCTAssertEqual(info["version"], data.scan.benchmarkVersion)
    }
}
