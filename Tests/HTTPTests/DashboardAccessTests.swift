import Foundation
@testable import HeraldHTTP
import Testing

/// The dashboard's files load nothing from elsewhere and never parse user data as HTML (their access is tested
/// in `AccessControlTests`).
@Suite struct DashboardAccessTests {
    @Test func thePageLoadsNothingFromElsewhereAndHasNoInlineScript() {
        let html = DashboardAsset.page.body
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(!html.contains("<script>") && !html.contains("onclick=") && !html.contains("style="))
        #expect(!DashboardAsset.script.body.contains("innerHTML"), "user data is set as text, never parsed")
        let script = DashboardAsset.script.body.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!script.contains("http://") && !script.contains("https://"), "only the SVG namespace names a URL")
    }
}
