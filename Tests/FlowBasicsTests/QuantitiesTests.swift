import Testing
@testable import FlowBasics

@Suite struct QuantitiesTests {
    @Test func parsesDurations() {
        #expect(Duration(parsing: "90s")?.seconds == 90)
        #expect(Duration(parsing: "10m")?.seconds == 600)
        #expect(Duration(parsing: "1.5h")?.seconds == 5400)
        #expect(Duration(parsing: "2d")?.seconds == 172_800)
        #expect(Duration(parsing: "100ms")?.seconds == 0.1)
        #expect(Duration(parsing: "2.5ms")?.seconds == 0.0025)
        for bad in ["90", "s", "10x", "-5s", "1e3s", "", "m10", "ms", "10sm", "10mss"] {
            #expect(Duration(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func parsesMemorySizesInBinaryUnits() {
        #expect(MemorySize(parsing: "512")?.bytes == 512 << 20)
        #expect(MemorySize(parsing: "4G")?.bytes == 4 << 30)
        #expect(MemorySize(parsing: "1K")?.bytes == 1024)
        #expect(MemorySize(parsing: "2T")?.bytes == 2 << 40)
        for bad in ["G", "4GB", "-1G", "", "4 G"] {
            #expect(MemorySize(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func checksIdentifiers() {
        #expect(Identifier.isValid("per_genre"))
        #expect(Identifier.isValid("_x1"))
        #expect(!Identifier.isValid("1x"))
        #expect(!Identifier.isValid("per-genre"))
        #expect(!Identifier.isValid(""))
        #expect(!Identifier.isValid("é"))
    }
}
