/// The version of Vigil: what `vigil --version` prints, what scans store and what every
/// report names as its generator.
public enum VigilVersion {
    public static let current = "0.1.0"
}
