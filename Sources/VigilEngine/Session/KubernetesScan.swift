import VigilContent

extension ScanSession {
    /// The Kubernetes benchmark's scan that goes with a scan of the default content on a
    /// Kubernetes node (`DefaultKubernetesContent`), loaded and with its reports (named with
    /// `.kubernetes`); nil when content was named, `--no-kubernetes` is given, the target
    /// is no Kubernetes node, or `rules/kubernetes` is not found (a warning).
    /// `--rule`, `--skip-rule` and `--tailoring` name rules and profiles of one benchmark:
    /// with them the Kubernetes scan is left out, with a note. Its content or profile not
    /// loading is an error, as for the content itself.
    func kubernetesScan(_ main: Loaded, _ checked: CheckedOptions, events: (ScanEvent) -> Void,
                        errors: inout [ScanSessionError]) throws -> (loaded: Loaded, options: CheckedOptions)? {
        guard options.content == nil, options.kubernetes,
              let node = DefaultKubernetesContent.choose(target: main.target,
                                                         folder: options.kubernetesRules ?? DefaultKubernetesContent.folder())
        else { return nil }
        let distributions = node.installed.map(\.rawValue).joined(separator: ", ")
        guard let chosen = node.content else {
            events(.warning("this is a Kubernetes node (\(distributions)), but Vigil's rules/kubernetes was not found: only "
                + "\(main.contentPath) is scanned; set VIGIL_KUBERNETES_RULES to the folder"))
            return nil
        }
        let narrowing = [("--rule", !options.rules.isEmpty), ("--skip-rule", !options.skipRules.isEmpty),
                         ("--tailoring", options.tailoring != nil)].filter(\.1).map(\.0)
        guard narrowing.isEmpty else {
            events(.note("this is a Kubernetes node (\(distributions)); \(narrowing.joined(separator: ", ")) name rules or profiles of "
                + "\(main.contentPath) only, so \(chosen.path) is not scanned: name it to scan it"))
            return nil
        }
        events(.defaultContent(chosen, profile: chosen.profile))
        let content: SCAPContent, policy: Policy
        do {
            content = try SCAPContent.load(path: chosen.path)
            policy = try Self.policy(content.benchmark, profile: chosen.profile, contentPath: chosen.path)
        } catch {
            throw ScanSessionError.content("the Kubernetes benchmark cannot be used: \(error) (--no-kubernetes leaves it out)")
        }
        var companion = checked
        var notes: [String] = []
        companion.reports = checked.reports.tagged(DefaultKubernetesContent.reportTag, notes: &notes)
        errors += checked.reports.clashes(with: companion.reports)
        if !companion.reports.requests.isEmpty {
            notes.append("the Kubernetes scan's reports: " + companion.reports.requests.map(\.path).joined(separator: ", "))
        }
        notes.forEach { events(.note($0)) }
        return (Loaded(target: main.target, contentPath: chosen.path, content: content, policy: policy, onlyRules: nil), companion)
    }
}
