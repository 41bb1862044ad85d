import Testing
@testable import FlowReport

@Suite struct HTMLTests {
    @Test func interpolatedTextIsEscapedAndMarkupIsKept() {
        let name = "<script>alert(\"x\" & 'y')</script>"
        let cell: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(cell.markup == "<td title=\"&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;\">"
            + "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;</td>")
        let inner: HTML = "<b>\("a<b")</b>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.markup == "<p><b>a&lt;b</b></p>")
    }

    @Test func controlCharactersBecomeReplacementCharacters() {
        let text: HTML = "\("a\u{0}b\u{1B}[31mc\nd\te")"
        #expect(text.markup == "a\u{FFFD}b\u{FFFD}[31mc\nd\te")
    }

    @Test func numbersInSVGHaveAtMostTwoDecimals() {
        #expect(HTML.number(12.0) == "12")
        #expect(HTML.number(1.23456) == "1.23")
        #expect(HTML.number(.nan) == "0")
    }
}
