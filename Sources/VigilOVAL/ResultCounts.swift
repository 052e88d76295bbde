/// Tallies of OVAL results, combined by a check (`all`, `at least one`, ...) or an
/// operator (`AND`, `OR`, ...) with the truth tables of the OVAL 5.11 specification
/// (as OpenSCAP implements them).
struct ResultCounts: Equatable {
    var t = 0, f = 0, e = 0, u = 0, na = 0, ne = 0

    mutating func add(_ r: OVALResult) {
        switch r {
        case .true: t += 1
        case .false: f += 1
        case .error: e += 1
        case .unknown: u += 1
        case .notApplicable: na += 1
        case .notEvaluated: ne += 1
        }
    }

    init() {}
    init<S: Sequence>(_ results: S) where S.Element == OVALResult {
        for r in results { add(r) }
    }

    private var special: OVALResult? {
        if t == 0 && f == 0 && e == 0 && u == 0 && na == 0 && ne == 0 { return .unknown }
        if na > 0 && ne == 0 && f == 0 && e == 0 && u == 0 && t == 0 { return .notApplicable }
        return nil
    }

    func combined(by check: CheckEnumeration) -> OVALResult {
        if let s = special { return s }
        switch check {
        case .all:
            if t > 0 && f == 0 && e == 0 && u == 0 && ne == 0 { return .true }
            if f > 0 { return .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
        case .atLeastOne:
            if t > 0 { return .true }
            if f > 0 && u == 0 && e == 0 && ne == 0 { return .false }
            if e > 0 { return .error }
            if f == 0 && u > 0 { return .unknown }
            if f == 0 && ne > 0 { return .notEvaluated }
        case .noneSatisfy, .noneExist:
            if t > 0 { return .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
            if f > 0 { return .true }
        case .onlyOne:
            if t == 1 && e == 0 && u == 0 && ne == 0 { return .true }
            if t > 1 { return .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
            if t != 1 && f > 0 { return .false }
        }
        return .error
    }

    func combined(by op: OVALOperator) -> OVALResult {
        if let s = special { return s }
        switch op {
        case .and:
            return combined(by: .all)
        case .or:
            if t > 0 { return .true }
            if f > 0 && e == 0 && u == 0 && ne == 0 { return .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
        case .one:
            if t == 1 && e == 0 && u == 0 && ne == 0 { return .true }
            if t >= 2 { return .false }
            if t == 0 && e == 0 && u == 0 && ne == 0 { return .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
        case .xor:
            if e == 0 && u == 0 && ne == 0 { return t % 2 == 1 ? .true : .false }
            if e > 0 { return .error }
            if u > 0 { return .unknown }
            if ne > 0 { return .notEvaluated }
        }
        return .error
    }
}

/// Item status tallies, judged by a `check_existence` value.
package struct ExistenceCounts: Sendable {
    package var exists = 0, doesNotExist = 0, error = 0, notCollected = 0

    package init() {}

    /// The statuses of an item's fields.
    package init(_ item: OVALItem) {
        for field in item.fields { add(field.status) }
    }

    package mutating func add(_ s: ItemStatus) {
        switch s {
        case .exists: exists += 1
        case .doesNotExist: doesNotExist += 1
        case .error: error += 1
        case .notCollected: notCollected += 1
        }
    }

    /// Existence of a test's items (OpenSCAP counts only `exists` and `error` items here).
    func testResult(_ check: ExistenceEnumeration) -> OVALResult {
        switch check {
        case .allExist:
            if exists >= 1 && error == 0 { return .true }
            if exists == 0 && error == 0 { return .false }
            return .error
        case .anyExist:
            if error == 0 { return .true }
            if exists >= 1 { return .true }
            return .error
        case .atLeastOneExists:
            if exists >= 1 { return .true }
            if error == 0 { return .false }
            return .error
        case .noneExist:
            if exists == 0 && error == 0 { return .true }
            if exists >= 1 && error == 0 { return .false }
            return .error
        case .onlyOneExists:
            if exists == 1 && error == 0 { return .true }
            if exists >= 2 { return .false }
            if exists == 0 && error == 0 { return .false }
            return .error
        }
    }

    /// Existence of item fields for a state entity's `check_existence`.
    func entityResult(_ check: ExistenceEnumeration) -> OVALResult {
        let x = exists, d = doesNotExist, e = error, n = notCollected
        switch check {
        case .allExist:
            if x >= 1 && d == 0 && e == 0 && n == 0 { return .true }
            if x == 0 && d == 0 && e == 0 && n == 0 { return .false }
            if d >= 1 { return .false }
            if e >= 1 { return .error }
            if n >= 1 { return .unknown }
        case .anyExist:
            if e == 0 { return .true }
            if x >= 1 { return .true }
            return .error
        case .atLeastOneExists:
            if x >= 1 { return .true }
            if e >= 1 { return .error }
            if n >= 1 { return .unknown }
        case .noneExist:
            if x == 0 && e == 0 && n == 0 { return .true }
            if x >= 1 { return .false }
            if e >= 1 { return .error }
            if n >= 1 { return .unknown }
        case .onlyOneExists:
            if x == 1 && e == 0 && n == 0 { return .true }
            if x >= 2 { return .false }
            if x == 0 && e == 0 && n == 1 { return .false }
            if x <= 1 && e >= 1 { return .error }
            if x <= 1 && n >= 1 { return .error }
        }
        return .unknown
    }
}
