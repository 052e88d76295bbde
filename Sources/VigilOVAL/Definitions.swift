/// An entity of an object or state: `<path operation="pattern match">^/etc</path>`.
public struct OVALEntity: Sendable {
    /// Element local name, e.g. `path`.
    public var name: String
    /// Literal text (empty when the value comes from `varRef`).
    public var value: String
    public var datatype: OVALDatatype
    public var operation: OVALOperation
    public var varRef: String?
    public var varCheck: CheckEnumeration
    public var entityCheck: CheckEnumeration
    /// A state entity's `check_existence` (how many item fields of this name must exist).
    public var checkExistence: ExistenceEnumeration
    /// `xsi:nil="true"`.
    public var isNil: Bool
    /// Fields of a `record` entity (`<field name="...">`).
    public var fields: [OVALEntity]
    /// Where it was written, "file:line".
    public var location: String

    public init(name: String, value: String = "", datatype: OVALDatatype = .string,
                operation: OVALOperation = .equals, varRef: String? = nil,
                varCheck: CheckEnumeration = .all, entityCheck: CheckEnumeration = .all,
                checkExistence: ExistenceEnumeration = .atLeastOneExists, isNil: Bool = false, fields: [OVALEntity] = [], location: String = "") {
        self.name = name
        self.value = value
        self.datatype = datatype
        self.operation = operation
        self.varRef = varRef
        self.varCheck = varCheck
        self.entityCheck = entityCheck
        self.checkExistence = checkExistence
        self.isNil = isNil
        self.fields = fields
        self.location = location
    }
}

/// A filter inside an object: keep (`include`) or drop (`exclude`) items matching a state.
public struct OVALFilter: Sendable {
    /// Whether matching items are kept or dropped.
    public enum Action: String, Sendable { case include, exclude }
    public var action: Action
    public var stateRef: String
    public init(action: Action, stateRef: String) {
        self.action = action
        self.stateRef = stateRef
    }
}

/// An object `<set>`: items combined from other objects or nested sets.
public struct OVALSet: Sendable {
    /// How the set's parts are combined.
    public enum Operation: String, Sendable { case union = "UNION", intersection = "INTERSECTION", complement = "COMPLEMENT" }
    public var operation: Operation
    public var objectRefs: [String]
    public var subsets: [OVALSet]
    public var filters: [OVALFilter]
    public init(operation: Operation, objectRefs: [String], subsets: [OVALSet], filters: [OVALFilter]) {
        self.operation = operation
        self.objectRefs = objectRefs
        self.subsets = subsets
        self.filters = filters
    }
}

/// An OVAL object: what to collect.
public struct OVALObject: Sendable {
    public var id: String
    /// Element local name, e.g. `textfilecontent54_object`.
    public var type: String
    /// Schema family from the namespace: `independent`, `unix`, `linux`, ...
    public var family: String
    /// Attributes of the `<behaviors>` element, by name.
    public var behaviors: [String: String]
    /// Entities in document order (behaviors, set and filters excluded).
    public var entities: [OVALEntity]
    public var set: OVALSet?
    public var filters: [OVALFilter]
    public var comment: String
    public var location: String

    public init(id: String, type: String, family: String, behaviors: [String: String] = [:],
                entities: [OVALEntity] = [], set: OVALSet? = nil, filters: [OVALFilter] = [],
                comment: String = "", location: String = "") {
        self.id = id
        self.type = type
        self.family = family
        self.behaviors = behaviors
        self.entities = entities
        self.set = set
        self.filters = filters
        self.comment = comment
        self.location = location
    }

    /// The first entity with that name.
    public func entity(_ name: String) -> OVALEntity? { entities.first { $0.name == name } }
}

/// An OVAL state: what collected items should look like.
public struct OVALState: Sendable {
    public var id: String
    public var type: String
    public var family: String
    public var `operator`: OVALOperator
    public var entities: [OVALEntity]
    public var location: String

    public init(id: String, type: String, family: String, operator: OVALOperator = .and,
                entities: [OVALEntity] = [], location: String = "") {
        self.id = id
        self.type = type
        self.family = family
        self.operator = `operator`
        self.entities = entities
        self.location = location
    }
}

/// An OVAL test: an object, optional states, and how to judge them.
public struct OVALTest: Sendable {
    public var id: String
    public var type: String
    public var family: String
    public var check: CheckEnumeration
    public var checkExistence: ExistenceEnumeration
    public var stateOperator: OVALOperator
    public var objectRef: String?
    public var stateRefs: [String]
    public var comment: String
    public var location: String

    public init(id: String, type: String, family: String, check: CheckEnumeration = .all,
                checkExistence: ExistenceEnumeration = .atLeastOneExists, stateOperator: OVALOperator = .and,
                objectRef: String?, stateRefs: [String] = [], comment: String = "", location: String = "") {
        self.id = id
        self.type = type
        self.family = family
        self.check = check
        self.checkExistence = checkExistence
        self.stateOperator = stateOperator
        self.objectRef = objectRef
        self.stateRefs = stateRefs
        self.comment = comment
        self.location = location
    }
}

/// A node of a definition's criteria tree.
public indirect enum CriteriaNode: Sendable {
    case criteria(OVALCriteria)
    case criterion(testRef: String, negate: Bool, applicabilityCheck: Bool?)
    case extendDefinition(definitionRef: String, negate: Bool, applicabilityCheck: Bool?)
}

/// `<criteria operator=... negate=...>`.
public struct OVALCriteria: Sendable {
    public var `operator`: OVALOperator
    public var negate: Bool
    public var applicabilityCheck: Bool?
    public var children: [CriteriaNode]
    public init(operator: OVALOperator = .and, negate: Bool = false, applicabilityCheck: Bool? = nil, children: [CriteriaNode]) {
        self.operator = `operator`
        self.negate = negate
        self.applicabilityCheck = applicabilityCheck
        self.children = children
    }
}

/// An OVAL definition.
public struct OVALDefinition: Sendable {
    public var id: String
    public var `class`: String
    public var title: String
    public var criteria: OVALCriteria?
    public var location: String
    public init(id: String, class: String, title: String, criteria: OVALCriteria?, location: String = "") {
        self.id = id
        self.class = `class`
        self.title = title
        self.criteria = criteria
        self.location = location
    }
}

/// A component of a local variable's value expression.
public indirect enum VariableComponent: Sendable {
    case literal(String, datatype: OVALDatatype)
    case object(objectRef: String, itemField: String, recordField: String?)
    case variable(varRef: String)
    /// A function (`concat`, `substring`, ...) with its attributes and arguments.
    case function(name: String, attributes: [String: String], arguments: [VariableComponent])
}

/// An OVAL variable.
public struct OVALVariable: Sendable {
    /// Where the variable's values come from.
    public enum Kind: Sendable {
        case constant([String])
        case external
        case local(VariableComponent)
    }
    public var id: String
    public var datatype: OVALDatatype
    public var kind: Kind
    public var comment: String
    public var location: String
    public init(id: String, datatype: OVALDatatype, kind: Kind, comment: String = "", location: String = "") {
        self.id = id
        self.datatype = datatype
        self.kind = kind
        self.comment = comment
        self.location = location
    }
}

/// One OVAL definitions document, indexed by id.
public struct OVALDocument: Sendable {
    public var source: String
    public var definitions: [String: OVALDefinition] = [:]
    public var tests: [String: OVALTest] = [:]
    public var objects: [String: OVALObject] = [:]
    public var states: [String: OVALState] = [:]
    public var variables: [String: OVALVariable] = [:]
    public init(source: String) { self.source = source }
}

extension OVALDocument {
    /// Every item field name the document compares or reads: state entities (and their
    /// record fields) and object components. Probes may skip costly fields outside it.
    public var referencedItemFields: Set<String> {
        var names = Set<String>()
        for state in states.values {
            for e in state.entities {
                names.insert(e.name)
                for f in e.fields { names.insert(f.name) }
            }
            if state.type == "textfilecontent_state" { names.insert("text") }
        }
        func visit(_ c: VariableComponent) {
            switch c {
            case .object(_, let field, let record):
                names.insert(field)
                if let record { names.insert(record) }
            case .function(_, _, let args):
                args.forEach(visit)
            case .literal, .variable:
                break
            }
        }
        for v in variables.values { if case .local(let c) = v.kind { visit(c) } }
        return names
    }
}
