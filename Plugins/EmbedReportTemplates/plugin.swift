import Foundation
import PackagePlugin

/// Builds the templates in `reports/html` into the VigilReports module, so that the
/// templates live in `reports/` and the `vigil` binary needs no files beside it.
@main
struct EmbedReportTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "reports").appending(path: "html")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path())
            .filter { $0.hasSuffix(".mustache") }.sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedTemplates.swift")
        return [.buildCommand(displayName: "Embedding report templates",
                              executable: try context.tool(named: "EmbedTemplates").url,
                              arguments: [output.path()] + inputs.map { $0.path() },
                              inputFiles: inputs, outputFiles: [output])]
    }
}
