import ArgumentParser
import FlowBasics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--store PATH`, shared by every command that reads or writes runs.
struct StoreOption: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The store's folder (default: $FLOWSPEC_STORE, else .flowspec in the current folder).", valueName: "path"))
    var path: String?

    /// The store as the user named it (`--store`, else `$FLOWSPEC_STORE`); nil for the default.
    var asGiven: String? { path ?? ProcessInfo.processInfo.environment["FLOWSPEC_STORE"] }

    /// The store's folder, absolute.
    var resolved: String {
        let chosen = path ?? ProcessInfo.processInfo.environment["FLOWSPEC_STORE"] ?? ".flowspec"
        return UserPath.absolute(chosen)
    }
}
