import VigilCore
import XCTest
@testable import VigilImage

/// How the image model names things in messages and identities.
final class ImageModelTests: XCTestCase {
    func testErrorsNameImageLayerAndEntry() {
        let error = ImageError(image: "oci:/tmp/x:latest", layer: "layer 2 (sha256:0123456789ab…)", entry: "etc/../x",
                               message: "path leaves the image")
        XCTAssertEqual(error.description,
                       "image oci:/tmp/x:latest, layer 2 (sha256:0123456789ab…), entry 'etc/../x': path leaves the image")
    }

    func testPlatformSpelling() {
        XCTAssertEqual(ImageIdentity(reference: "r", name: "n", os: "linux", architecture: "arm64", variant: "v8").platform,
                       "linux/arm64/v8")
        XCTAssertEqual(ImageIdentity(reference: "r", name: "n", os: "linux", architecture: "amd64").platform, "linux/amd64")
    }
}
