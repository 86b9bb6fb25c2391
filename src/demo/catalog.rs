//! The demos lectern ships, with their parameters.

use super::registry::{Default, DemoSpec, Kind, ParamSpec, Params, cap_param, int};

/// Every demo, in lecture order.
pub static ALL: &[DemoSpec] = &[START_METHODS, FORK_LOCK, MAIN_GUARD];

const LINGER: ParamSpec = ParamSpec {
    name: "linger_s",
    kind: Kind::Int { min: 0, max: 60 },
    default: Default::Int(3),
    unit: "s",
    meaning: "how long the processes stay alive after the run, so the gauges show them",
};

/// `start-methods`.
pub const START_METHODS: DemoSpec = DemoSpec {
    name: "start-methods",
    title: "Start methods: fork vs spawn vs forkserver",
    slides: &[3, 4],
    summary: "Starts children by fork, by spawn (a fresh exec) and through a forkserver, and \
              times each from request to its first message. Measures each child's RSS and PSS \
              while alive: fork children share the parent's pages copy-on-write.",
    params: &[
        ParamSpec {
            name: "children",
            kind: Kind::Int { min: 1, max: 20 },
            default: Default::PerCore(2),
            unit: "processes",
            meaning: "children started with each method (default: 2 per core)",
        },
        ParamSpec {
            name: "parent_mb",
            kind: Kind::Int { min: 0, max: 1024 },
            default: Default::Int(8),
            unit: "MiB",
            meaning: "memory the parent fills before starting children (shows copy-on-write)",
        },
        ParamSpec {
            name: "import_ms",
            kind: Kind::Int { min: 0, max: 1000 },
            default: Default::Int(0),
            unit: "ms",
            meaning: "simulated Python import time, paid by each spawned child and once by the forkserver",
        },
        ParamSpec {
            name: "import_mb",
            kind: Kind::Int { min: 0, max: 256 },
            default: Default::Int(0),
            unit: "MiB",
            meaning: "simulated memory of imported modules, in each spawned child and once in the forkserver",
        },
        LINGER,
        cap_param(64),
    ],
    check: Some(start_methods_fit),
};

fn start_methods_fit(params: &Params) -> Result<(), String> {
    let needed = 3 * int(params, "children") + 2;
    let cap = int(params, "cap");
    if needed > cap {
        return Err(format!(
            "children={} needs {needed} processes (3 methods, a forkserver and the demo) but cap={cap}",
            int(params, "children")
        ));
    }
    Ok(())
}

/// `fork-lock`.
pub const FORK_LOCK: DemoSpec = DemoSpec {
    name: "fork-lock",
    title: "Forking while another thread holds a lock",
    slides: &[3],
    summary: "A process whose second thread holds a mutex forks; the child waits for a lock whose \
              owner does not exist in it. A watchdog detects the deadlock and kills the child. \
              safe=true forks with no lock held.",
    params: &[
        ParamSpec {
            name: "safe",
            kind: Kind::Bool,
            default: Default::Bool(false),
            unit: "",
            meaning: "fork only when no lock is held (the fix)",
        },
        ParamSpec {
            name: "timeout_ms",
            kind: Kind::Int {
                min: 100,
                max: 10_000,
            },
            default: Default::Int(1000),
            unit: "ms",
            meaning: "how long the watchdog waits before calling it a deadlock",
        },
        cap_param(64),
    ],
    check: None,
};

/// `main-guard`.
pub const MAIN_GUARD: DemoSpec = DemoSpec {
    name: "main-guard",
    title: "Spawn without if __name__ == \"__main__\"",
    slides: &[3, 12],
    summary: "Each spawned child re-runs main and starts children of its own, as spawn does to a \
              script without the guard: a growing tree of real processes, stopped by a depth \
              limit and the process cap. guard=true starts only the intended children.",
    params: &[
        ParamSpec {
            name: "guard",
            kind: Kind::Bool,
            default: Default::Bool(false),
            unit: "",
            meaning: "wrap main in if __name__ == \"__main__\"",
        },
        ParamSpec {
            name: "children",
            kind: Kind::Int { min: 1, max: 4 },
            default: Default::Int(2),
            unit: "processes",
            meaning: "children each main() starts",
        },
        ParamSpec {
            name: "depth",
            kind: Kind::Int { min: 1, max: 12 },
            default: Default::Int(8),
            unit: "levels",
            meaning: "how deep re-running main may go before the demo stops it",
        },
        LINGER,
        cap_param(24),
    ],
    check: None,
};
