import Foundation
import Mustache

/// The web portal's Mustache templates and static assets, read once from the bundle.
enum WebTemplates {
    /// Every `.mustache` file under `Resources/Web/templates`, by name without the extension.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in files(in: "templates", extension: "mustache") {
            do {
                try library.register(text, named: name)
            } catch {
                // The templates ship with the binary; one that does not parse is a build defect.
                preconditionFailure("The web template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// The CSS, JavaScript and icon files, by file name.
    static let assets: [String: Data] = Dictionary(
        uniqueKeysWithValues: files(in: "assets", extension: nil).map { ($0.name, Data($0.text.utf8)) })

    /// `template` rendered with `model`; a template that is not shipped is a build defect.
    static func render(_ template: String, _ model: Any) -> String {
        guard let html = library.render(model, withTemplate: template) else {
            preconditionFailure("No web template is named \(template)")
        }
        return html
    }

    private static func files(in folder: String, extension fileExtension: String?) -> [(name: String, text: String)] {
        guard let directory = Bundle.module.url(forResource: folder, withExtension: nil, subdirectory: "Web"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.sorted().compactMap { file in
            let url = directory.appendingPathComponent(file)
            if let fileExtension, url.pathExtension != fileExtension { return nil }
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return (fileExtension == nil ? file : url.deletingPathExtension().lastPathComponent, text)
        }
    }
}
