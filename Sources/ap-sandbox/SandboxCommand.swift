import ArgumentParser

@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap-sandbox",
        abstract: "A stand-in server of the Alternative Payments API, for demos and integration tests.",
        discussion: "See docs/sandbox.md for the dataset format, the routes and the faults.",
        subcommands: [ServeCommand.self, GenerateCommand.self, StatementsCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
