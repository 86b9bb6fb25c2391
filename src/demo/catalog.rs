//! The demos lectern ships, with their parameters.

use super::registry::{Default, DemoSpec, Kind, ParamSpec, Params, cap_param, int};

/// Every demo, in lecture order.
pub static ALL: &[DemoSpec] = &[
    GIL,
    START_METHODS,
    FORK_LOCK,
    MAIN_GUARD,
    QUEUE_SENTINEL,
    CHUNKSIZE,
];

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

/// `gil`.
pub const GIL: DemoSpec = DemoSpec {
    name: "gil",
    title: "One interpreter lock: threads vs processes",
    slides: &[1, 2],
    summary: "Real OS threads contend for one lock that follows CPython's GIL protocol (switch \
              interval, drop requests, forced switching); compare free threads and one process \
              per worker. Lanes show who holds, waits or does I/O; speedup is measured against \
              one worker in the same run.",
    params: &[
        ParamSpec {
            name: "mode",
            kind: Kind::Choice(&["gil", "nogil", "processes"]),
            default: Default::Choice("gil"),
            unit: "",
            meaning: "gil: threads share one lock; nogil: no lock; processes: one process (and lock) per worker",
        },
        ParamSpec {
            name: "workers",
            kind: Kind::Int { min: 1, max: 16 },
            default: Default::PerCore(1),
            unit: "threads",
            meaning: "CPU-bound workers (default: one per core)",
        },
        ParamSpec {
            name: "duration_s",
            kind: Kind::Int { min: 1, max: 30 },
            default: Default::Int(4),
            unit: "s",
            meaning: "how long the workers run",
        },
        ParamSpec {
            name: "switch_ms",
            kind: Kind::Int { min: 1, max: 100 },
            default: Default::Int(5),
            unit: "ms",
            meaning: "switch interval: how long a waiter waits before asking for the lock (sys.setswitchinterval)",
        },
        ParamSpec {
            name: "check_every",
            kind: Kind::Int {
                min: 1,
                max: 10_000,
            },
            default: Default::Int(100),
            unit: "units",
            meaning: "work units between the holder's checks for a drop request",
        },
        ParamSpec {
            name: "io_threads",
            kind: Kind::Int { min: 0, max: 4 },
            default: Default::Int(0),
            unit: "threads",
            meaning: "I/O-bound threads beside the workers (shows the convoy effect)",
        },
        ParamSpec {
            name: "io_ms",
            kind: Kind::Int { min: 1, max: 100 },
            default: Default::Int(5),
            unit: "ms",
            meaning: "length of each simulated blocking I/O wait",
        },
        ParamSpec {
            name: "deterministic",
            kind: Kind::Bool,
            default: Default::Bool(false),
            unit: "",
            meaning: "simulate on a virtual clock (seeded) instead of measuring: for tests and recordings",
        },
        ParamSpec {
            name: "seed",
            kind: Kind::Int {
                min: 0,
                max: 1_000_000,
            },
            default: Default::Int(1),
            unit: "",
            meaning: "seed of the deterministic mode",
        },
        cap_param(64),
    ],
    check: Some(gil_fits),
};

fn gil_fits(params: &Params) -> Result<(), String> {
    let needed = int(params, "workers") + 1;
    if super::registry::choice(params, "mode") == "processes" && needed > int(params, "cap") {
        return Err(format!(
            "mode=processes with {} workers needs {needed} processes but cap={}",
            int(params, "workers"),
            int(params, "cap")
        ));
    }
    Ok(())
}

/// `queue-sentinel`.
pub const QUEUE_SENTINEL: DemoSpec = DemoSpec {
    name: "queue-sentinel",
    title: "Queue producer/consumer and the sentinel shutdown",
    slides: &[6],
    summary: "A producer and worker processes share a real inter-process task queue and result \
              queue (pipes with a reader lock). One sentinel per worker shuts them down; with \
              fewer, a watchdog names the workers blocked forever in get().",
    params: &[
        ParamSpec {
            name: "workers",
            kind: Kind::Int { min: 1, max: 16 },
            default: Default::PerCore(2),
            unit: "processes",
            meaning: "worker processes (default: 2 per core)",
        },
        ParamSpec {
            name: "sentinels",
            kind: Kind::Int { min: 0, max: 32 },
            default: Default::SameAs("workers"),
            unit: "",
            meaning: "sentinels the producer puts (default: one per worker)",
        },
        ParamSpec {
            name: "tasks",
            kind: Kind::Int { min: 0, max: 500 },
            default: Default::Int(24),
            unit: "tasks",
            meaning: "tasks the producer puts before the sentinels",
        },
        ParamSpec {
            name: "task_ms",
            kind: Kind::Int { min: 0, max: 2000 },
            default: Default::Int(100),
            unit: "ms",
            meaning: "CPU work per task",
        },
        ParamSpec {
            name: "watchdog_ms",
            kind: Kind::Int {
                min: 100,
                max: 10_000,
            },
            default: Default::Int(1500),
            unit: "ms",
            meaning: "how long join() waits before the watchdog calls a worker blocked",
        },
        cap_param(64),
    ],
    check: Some(pool_fits),
};

/// `chunksize`.
pub const CHUNKSIZE: DemoSpec = DemoSpec {
    name: "chunksize",
    title: "Pool.map chunksize: messages vs work",
    slides: &[8, 10],
    summary: "A pool of worker processes maps many small tasks, once per chunksize (1, 10, 100, \
              1000 and Python's default), with task and result messages counted as they cross \
              the pipes, against a sequential run in the same demo.",
    params: &[
        ParamSpec {
            name: "workers",
            kind: Kind::Int { min: 1, max: 16 },
            default: Default::PerCore(1),
            unit: "processes",
            meaning: "pool worker processes (default: one per core)",
        },
        ParamSpec {
            name: "tasks",
            kind: Kind::Int {
                min: 10,
                max: 100_000,
            },
            default: Default::Int(10_000),
            unit: "tasks",
            meaning: "items mapped in each run",
        },
        ParamSpec {
            name: "task_us",
            kind: Kind::Int {
                min: 0,
                max: 10_000,
            },
            default: Default::Int(20),
            unit: "µs",
            meaning: "CPU work per task",
        },
        cap_param(64),
    ],
    check: Some(pool_fits),
};

fn pool_fits(params: &Params) -> Result<(), String> {
    let needed = int(params, "workers") + 1;
    let cap = int(params, "cap");
    if needed > cap {
        return Err(format!(
            "workers={} needs {needed} processes but cap={cap}",
            int(params, "workers")
        ));
    }
    Ok(())
}
