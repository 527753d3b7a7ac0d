import ArgumentParser
import FakeDEPServer

/// `fakedep`: the fake Apple side — portal, server tokens, the DEP API and the device side.
@main
struct FakeDEPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fakedep",
        abstract: "A local stand-in for Apple's device-enrollment services (DEP / ADE).",
        discussion: "Serves the portal, Apple's DEP API and the device side on one port."
    )
}
