import FlowCommands

@main
struct Entrypoint {
    static func main() {
        FlowspecCommand.runAndExit()
    }
}
