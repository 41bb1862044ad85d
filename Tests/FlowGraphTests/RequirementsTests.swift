import FlowGraph
import Testing

@Suite struct RequirementsTests {
    @Test func theSameSetWrittenDifferentlyIsOneList() {
        let one = Requirements.normalized(["Pandas >= 2", "numpy==2.1.0", "pandas>=2", " "])
        let other = Requirements.normalized(["numpy == 2.1.0", "pandas>=2"])
        #expect(one == ["numpy==2.1.0", "pandas>=2"])
        #expect(one == other)
    }

    @Test func markersKeepTheirSpacesAndURLsTheirCase() {
        #expect(Requirements.normalized(["tomli;  python_version < \"3.11\""]) == ["tomli; python_version < \"3.11\""])
        #expect(Requirements.normalized(["Pkg @ https://example.org/Pkg.whl"]) == ["Pkg@https://example.org/Pkg.whl"])
    }
}
