import FlowBasics
import FlowSpec
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A param's value before it is stored: how the worker should make the Python object.
public enum ParamInput: Hashable, Sendable {
    case json(JSONValue)
    /// A `file` param: the file's text (UTF-8).
    case textFile(String)
    /// A `file` param with `binary: true`: the file's bytes.
    case bytesFile(String)
}

/// A param given wrongly on the command line, or a required one not given.
public struct ParamError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// Turns `-p NAME=VALUE` options and the spec's defaults into param values (docs/spec.md section 1):
/// types converted, choices enforced, files checked, every required param present.
public struct ParamValues {
    public let spec: Spec
    /// Where relative default paths of `file` params start: the spec's folder.
    public let specFolder: String
    /// Where relative paths given on the command line start: the current folder.
    public let workingFolder: String

    public init(spec: Spec, specFolder: String, workingFolder: String) {
        self.spec = spec
        self.specFolder = specFolder
        self.workingFolder = workingFolder
    }

    public func resolve(_ assignments: [String]) throws(ParamError) -> [String: ParamInput] {
        var given: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ParamError(description: "-p '\(assignment)' is not NAME=VALUE")
            }
            let name = String(assignment[..<equals])
            guard spec.params.contains(where: { $0.name.value == name }) else {
                let known = spec.params.map(\.name.value)
                let hint = NearestNames.hint(for: name, among: known).map { "; \($0)" }
                    ?? (known.isEmpty ? "; the flow takes no params" : "; its params are \(quotedList(known))")
                throw ParamError(description: "flow '\(spec.name?.value ?? "")' has no param '\(name)'\(hint)")
            }
            given[name] = String(assignment[assignment.index(after: equals)...])
        }
        var values: [String: ParamInput] = [:]
        for param in spec.params {
            let name = param.name.value
            if let text = given[name] {
                values[name] = try fromCommandLine(text, param)
            } else if let node = param.defaultValue {
                values[name] = try fromDefault(node, param)
            } else {
                throw ParamError(description: "param '\(name)' is required: run with -p \(name)=VALUE" + (param.help.map { " (\($0))" } ?? ""))
            }
        }
        return values
    }

    private func fromCommandLine(_ text: String, _ param: Param) throws(ParamError) -> ParamInput {
        let name = param.name.value
        let value: JSONValue
        switch param.kind {
        case .str: value = .string(text)
        case .int:
            guard let number = Int(text) else { throw ParamError(description: "-p \(name)=\(text): '\(name)' is an int") }
            value = .int(number)
        case .float:
            guard let number = Double(pythonFloat: text) else {
                throw ParamError(description: "-p \(name)=\(text): '\(name)' is a float (a number, inf or nan, as Python's float() reads it)")
            }
            value = .double(number)
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes": value = .bool(true)
            case "false", "0", "no": value = .bool(false)
            default: throw ParamError(description: "-p \(name)=\(text): '\(name)' is a bool (true or false)")
            }
        case .json:
            do {
                value = try JSONValue(parsingJSON: text)
            } catch {
                let why = error.message + (error.hint.map { "; \($0)" } ?? "")
                throw ParamError(description: "-p \(name)=\(text): '\(name)' takes JSON, e.g. -p '\(name)={\"a\": 1}' (\(why))")
            }
        case .file:
            return try file(text, relativeTo: workingFolder, param)
        }
        try checkChoices(value, param)
        return .json(value)
    }

    private func fromDefault(_ node: Node, _ param: Param) throws(ParamError) -> ParamInput {
        if param.kind == .file, let path = node.string { return try file(path, relativeTo: specFolder, param) }
        var value = node.json
        if param.kind == .float, case .int(let whole) = value { value = .double(Double(whole)) }
        return .json(value)
    }

    private func checkChoices(_ value: JSONValue, _ param: Param) throws(ParamError) {
        guard let choices = param.choices?.map(\.json) else { return }
        let matches = choices.contains { choice in
            choice == value || { if case .int(let a) = choice, case .double(let b) = value { Double(a) == b } else { false } }()
        }
        guard matches else {
            let listed = param.choices?.map { $0.scalarText ?? "\($0.json)" } ?? []
            throw ParamError(description: "param '\(param.name.value)' must be one of \(quotedList(listed, conjunction: "or"))")
        }
    }

    private func file(_ path: String, relativeTo folder: String, _ param: Param) throws(ParamError) -> ParamInput {
        let absolute = UserPath.absolute(path, from: folder)
        let target = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        guard (try? FileManager.default.attributesOfItem(atPath: target)[.type] as? FileAttributeType) == .typeRegular else {
            throw ParamError(description: "param '\(param.name.value)': no file '\(path)' (looked for \(absolute))")
        }
        return param.binary ? .bytesFile(absolute) : .textFile(absolute)
    }
}
