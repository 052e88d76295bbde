/// OVAL 5.11 datatypes (oval:DatatypeEnumeration).
public enum OVALDatatype: String, Sendable, CaseIterable {
    case string, int, float, boolean, version, binary, record
    case evrString = "evr_string"
    case debianEVRString = "debian_evr_string"
    case ipv4Address = "ipv4_address"
    case ipv6Address = "ipv6_address"
    case filesetRevision = "fileset_revision"
    case iosVersion = "ios_version"
}

/// OVAL 5.11 operations (oval:OperationEnumeration).
public enum OVALOperation: String, Sendable, CaseIterable {
    case equals
    case notEqual = "not equal"
    case caseInsensitiveEquals = "case insensitive equals"
    case caseInsensitiveNotEqual = "case insensitive not equal"
    case greaterThan = "greater than"
    case lessThan = "less than"
    case greaterThanOrEqual = "greater than or equal"
    case lessThanOrEqual = "less than or equal"
    case bitwiseAnd = "bitwise and"
    case bitwiseOr = "bitwise or"
    case patternMatch = "pattern match"
    case subsetOf = "subset of"
    case supersetOf = "superset of"
}

/// oval:CheckEnumeration, used by `check`, `var_check` and `entity_check`.
public enum CheckEnumeration: String, Sendable, CaseIterable {
    case all
    case atLeastOne = "at least one"
    case noneSatisfy = "none satisfy"
    case onlyOne = "only one"
    /// Deprecated alias of `noneSatisfy` kept by older content.
    case noneExist = "none exist"
}

/// oval:ExistenceEnumeration, used by a test's `check_existence`.
public enum ExistenceEnumeration: String, Sendable, CaseIterable {
    case allExist = "all_exist"
    case anyExist = "any_exist"
    case atLeastOneExists = "at_least_one_exists"
    case noneExist = "none_exist"
    case onlyOneExists = "only_one_exists"
}

/// oval:OperatorEnumeration, for criteria and state entities.
public enum OVALOperator: String, Sendable, CaseIterable {
    case and = "AND"
    case or = "OR"
    case one = "ONE"
    case xor = "XOR"
}

/// OVAL result values (oval-res:ResultEnumeration).
public enum OVALResult: String, Sendable, CaseIterable {
    case `true`
    case `false`
    case error
    case unknown
    case notEvaluated = "not evaluated"
    case notApplicable = "not applicable"

    /// Logical negation: true and false swap, everything else stays.
    public var negated: OVALResult {
        switch self {
        case .true: return .false
        case .false: return .true
        default: return self
        }
    }
}

/// oval-sc:FlagEnumeration: how complete a collected object is.
public enum CollectedFlag: String, Sendable, CaseIterable {
    case error
    case complete
    case incomplete
    case doesNotExist = "does not exist"
    case notCollected = "not collected"
    case notApplicable = "not applicable"
}

/// oval-sc:StatusEnumeration, for items and item entities.
public enum ItemStatus: String, Sendable, CaseIterable {
    case exists
    case doesNotExist = "does not exist"
    case error
    case notCollected = "not collected"
}
