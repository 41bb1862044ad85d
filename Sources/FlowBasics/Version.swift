/// flowspec's release: `flowspec --version`, SARIF's tool version, and each run's
/// `flowspec_version:` tag.
public let flowspecVersion = "0.1.0"
