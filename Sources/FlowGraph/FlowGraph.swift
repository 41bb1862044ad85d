import FlowBasics
import FlowSpec
public enum SpecLint { public static func check(_ spec: Spec) -> [Diagnostic] { [] } }
