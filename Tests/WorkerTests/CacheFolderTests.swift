import FlowBasics
import LocalExecution
import Testing

@Suite struct CacheFolderTests {
    /// Workers read the same variable, so a relative one must mean one folder for all of them.
    @Test func aRelativeCacheFolderIsResolvedOnce() {
        #expect(CacheFolder.path(["FLOWSPEC_CACHE_DIR": "x/../cache"]) == UserPath.currentFolder + "/cache")
        #expect(CacheFolder.path(["XDG_CACHE_HOME": "/c"]) == "/c/flowspec")
        #expect(CacheFolder.path(["HOME": "/h"]) == "/h/.cache/flowspec")
    }
}
