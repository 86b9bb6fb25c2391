"""`process-cost` on CPython: the same batch of `tasks` CPU tasks three ways, sequentially in
this process, with a new multiprocessing.Process per task (at most `workers` alive at a time)
and with a multiprocessing.Pool of `workers` processes reused for every task. Each task
process is timed from just before ``Process.start()`` to its first message; the pool workers'
memory (RSS and PSS) is read from the kernel while they are alive."""

import multiprocessing
import multiprocessing.connection
import os
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "process-cost"

#: The slide's rule of thumb: a process per task pays off for tasks of about this many ms.
SLIDE_BREAK_EVEN_MS = 100.0

#: What the slide says starting a process costs, in ms.
SLIDE_START_MS = (50.0, 200.0)

#: What the slide says a process weighs, in MiB.
SLIDE_PROCESS_MB = (30.0, 100.0)

#: A break-even this many times off the slide's (either way) gets a "differs" note.
FAR = 2.0

#: How long a task process may take beyond its task before the demo gives up on it.
CHILD_TIMEOUT = 20.0

CAPTION = (
    "wall time for the whole batch; the pool's own start ({}) is not counted: it is paid "
    "once, and the pool is timed from its workers being ready"
)


# --- what the children run (top level, so a spawn/forkserver child can import it) -----------


#: CPU seconds per task, set in this process by main() and in each pool worker by the
#: initializer (a spawn or forkserver worker does not inherit it).
TASK_SECONDS = 0.0


def task(x):
    """One pool task: task_ms of CPU time, then the argument back."""
    lp.busy(TASK_SECONDS)
    return x


def init_pool(parent, seconds, ready):
    """Pool initializer: die with the demo first, learn how long a task is, say it is ready."""
    global TASK_SECONDS
    lp.die_with_parent(parent)
    TASK_SECONDS = seconds
    ready.release()


def task_process(parent, hello, seconds):
    """A process started for one task: says when it started running (CLOCK_MONOTONIC, the
    same clock in every process), does its task, exits 0."""
    lp.die_with_parent(parent)
    hello.send(time.monotonic())
    hello.close()
    lp.busy(seconds)


# --- helpers ---------------------------------------------------------------------------------


def parent_of_children(mp):
    """The parent a child of this demo has: this process, except under a forkserver, which
    forks every child itself (then the child dies with the forkserver, which dies with the
    demo)."""
    return None if mp.get_start_method() == "forkserver" else os.getpid()


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return 0.0
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


def ms(value):
    return "{:.0f} ms".format(value) if value >= 100 else "{:.1f} ms".format(value)


def show_ways(ctx, times, tasks, workers, pool_start_ms):
    """The three bars, as far as they are measured."""
    bars = []
    if "sequential" in times:
        bars.append({"label": "sequential", "value": times["sequential"],
                     "detail": "this process", "tone": "muted"})
    if "process" in times:
        bars.append({"label": "a process per task", "value": times["process"],
                     "detail": "{} started".format(count(tasks, "process", "processes")),
                     "tone": "warn"})
    if "pool" in times:
        bars.append({"label": "a pool of {}".format(group(workers)),
                     "value": times["pool"],
                     "detail": "{}, reused".format(count(workers, "process", "processes")),
                     "tone": "good"})
    if not bars:
        return
    ctx.view("ways", {
        "kind": "bars",
        "unit": "ms",
        "bars": bars,
        "caption": CAPTION.format("not yet started" if pool_start_ms is None
                                  else ms(pool_start_ms)),
    })


def show_memory(ctx, parent, worker):
    def cell(value):
        return "\u2026" if value is None else "{:.1f} MiB".format(value)

    rows = [["parent", cell(parent[0]), cell(parent[1])],
            ["pool worker (median)", cell(worker[0]), cell(worker[1])]]
    ctx.view("memory", {
        "kind": "table",
        "columns": ["process", "RSS", "PSS"],
        "rows": rows,
        "caption": "measured while the pool was alive; PSS splits shared pages among the "
                   "processes that map them",
    })


# --- the three ways ------------------------------------------------------------------------


def run_sequential(ctx, tasks, seconds):
    ctx.progress("{} sequentially, in this process".format(count(tasks, "task", "tasks")),
                 0, 3)
    started = time.perf_counter()
    for x in range(tasks):
        task(x)
    return (time.perf_counter() - started) * 1000.0


def run_process_per_task(ctx, mp, tasks, workers, seconds):
    """Starts a process per task, at most `workers` alive; the next starts when one ends.
    Returns (wall ms, [start ms of each process])."""
    me = os.getpid()
    parent = parent_of_children(mp)
    alive = {}  # sentinel -> (process, role, hello reader, t0)
    starts = []
    next_task = 1
    done = 0
    timeout = CHILD_TIMEOUT + 10.0 * seconds
    started = time.perf_counter()
    try:
        while next_task <= tasks or alive:
            while next_task <= tasks and len(alive) < workers:
                role = "task {}".format(next_task)
                reader, writer = mp.Pipe(duplex=False)
                proc = mp.Process(target=task_process, args=(parent, writer, seconds),
                                  name=role)
                t0 = time.monotonic()
                proc.start()
                writer.close()
                ctx.count_started()
                ctx.process(proc.pid, me, role)
                alive[proc.sentinel] = (proc, role, reader, t0)
                next_task += 1
            ready = multiprocessing.connection.wait(list(alive), timeout)
            if not ready:
                raise RuntimeError("no task process ended in {:.0f} s".format(timeout))
            for sentinel in ready:
                proc, role, reader, t0 = alive.pop(sentinel)
                proc.join()
                ctx.exited(proc.pid, role, proc.exitcode)
                hello = None
                try:
                    if reader.poll(0):
                        hello = reader.recv()
                except EOFError:
                    pass
                reader.close()
                if hello is None or proc.exitcode != 0:
                    raise RuntimeError("{} ended with exit code {} without {}".format(
                        role, proc.exitcode, "its task" if hello else "saying it started"))
                start_ms = (hello - t0) * 1000.0
                starts.append(start_ms)
                ctx.measure("start_ms", start_ms, "ms", role=role)
                done += 1
                ctx.progress("a process per task: {} of {} done".format(done, tasks), done,
                             tasks)
        return (time.perf_counter() - started) * 1000.0, starts
    finally:
        for proc, role, reader, _ in alive.values():
            if proc.exitcode is None:
                proc.kill()
            proc.join()
            reader.close()
            ctx.exited(proc.pid, role, proc.exitcode)


def run_pool(ctx, mp, tasks, workers, seconds):
    """Maps the batch on a pool of `workers` (chunksize 1) once every worker is ready, and
    measures the workers' memory while they are alive. Returns (map ms, pool start ms,
    parent (RSS, PSS) MiB, worker (RSS, PSS) medians MiB)."""
    me = os.getpid()
    ctx.progress("starting a pool of {}".format(count(workers, "worker", "workers")), 2, 3)
    ready = mp.Semaphore(0)
    t0 = time.perf_counter()
    pool = mp.Pool(workers, initializer=init_pool,
                   initargs=(parent_of_children(mp), seconds, ready))
    procs = list(pool._pool)
    roles = {}
    closed = False
    try:
        for i, proc in enumerate(procs, 1):
            roles[proc.pid] = "pool worker {}".format(i)
            ctx.count_started()
            ctx.process(proc.pid, me, roles[proc.pid])
        for _ in procs:
            if not ready.acquire(timeout=CHILD_TIMEOUT):
                raise RuntimeError("the pool's workers were not ready in {:.0f} s".format(
                    CHILD_TIMEOUT))
        pool_start_ms = (time.perf_counter() - t0) * 1000.0
        ctx.progress("the pool maps {} (chunksize 1)".format(count(tasks, "task", "tasks")),
                     2, 3)
        t0 = time.perf_counter()
        out = pool.map(task, range(tasks), 1)
        pool_ms = (time.perf_counter() - t0) * 1000.0
        if out != list(range(tasks)):
            raise RuntimeError("the pool returned wrong results")

        rss_list, pss_list = [], []
        for proc in procs:
            rss, pss = lp.rss_pss(proc.pid)
            if rss is not None:
                rss_list.append(lp.mib(rss))
                ctx.measure("rss_mb", lp.mib(rss), "MiB", role=roles[proc.pid])
            if pss is not None:
                pss_list.append(lp.mib(pss))
                ctx.measure("pss_mb", lp.mib(pss), "MiB", role=roles[proc.pid])
        rss, pss = lp.rss_pss(me)
        parent = (lp.mib(rss) if rss is not None else None,
                  lp.mib(pss) if pss is not None else None)
        worker = (median(rss_list) if rss_list else None,
                  median(pss_list) if pss_list else None)
        pool.close()
        pool.join()
        closed = True
    finally:
        if not closed:
            pool.terminate()
        for proc in procs:
            proc.join(5)
            if proc.exitcode is None:
                proc.kill()
                proc.join()
    for proc in procs:
        ctx.exited(proc.pid, roles[proc.pid], proc.exitcode)
    return pool_ms, pool_start_ms, parent, worker


# --- the demo --------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    tasks = max(1, int(p.get("tasks", 40)))
    task_ms = max(0, int(p.get("task_ms", 5)))
    workers = max(1, int(p.get("workers", 2)))
    seconds = task_ms / 1000.0
    global TASK_SECONDS
    TASK_SECONDS = seconds
    mp = multiprocessing.get_context()
    method = mp.get_start_method()

    ctx.note("info", "A batch of {} of {} ms of CPU each, three ways. Processes are started "
             "with multiprocessing's default start method on this Python, {}.".format(
                 count(tasks, "task", "tasks"), task_ms, method))

    times = {}
    times["sequential"] = run_sequential(ctx, tasks, seconds)
    show_ways(ctx, times, tasks, workers, None)

    ctx.progress("a process per task, at most {} alive".format(workers), 1, 3)
    times["process"], starts = run_process_per_task(ctx, mp, tasks, workers, seconds)
    show_ways(ctx, times, tasks, workers, None)

    pool_ms, pool_start_ms, parent, worker = run_pool(ctx, mp, tasks, workers, seconds)
    times["pool"] = pool_ms
    show_ways(ctx, times, tasks, workers, pool_start_ms)
    show_memory(ctx, parent, worker)
    ctx.progress("done", 3, 3)

    per_process = times["process"]
    per_task_process = per_process * workers / tasks
    pool_per_task = pool_ms * workers / tasks
    start_overhead = max(per_task_process - pool_per_task, 0.0)
    break_even = 9.0 * start_overhead
    process_start = median(starts)
    speedup = per_process / pool_ms if pool_ms > 0 else 0.0

    ctx.result("sequential_ms", times["sequential"])
    ctx.result("per_process_ms", per_process)
    ctx.result("pool_ms", pool_ms)
    ctx.result("per_task_process_ms", per_task_process)
    ctx.result("pool_per_task_ms", pool_per_task)
    ctx.result("process_start_ms", process_start)
    ctx.result("start_overhead_ms", start_overhead)
    ctx.result("break_even_task_ms", break_even)
    ctx.result("speedup_pool_vs_process", speedup)
    ctx.result("worker_rss_mb", worker[0] or 0.0)
    ctx.result("worker_pss_mb", worker[1] or 0.0)
    ctx.result("parent_rss_mb", parent[0] or 0.0)
    ctx.result("tasks", tasks)
    ctx.result("workers", workers)

    if start_overhead > 0:
        ctx.headline(
            "A process per task cost {:.1f} ms more per task than a reused pool ({:.1f}\u00d7 "
            "slower): starting processes pays off only for tasks of about {:.0f} ms or more "
            "here.".format(start_overhead, speedup, break_even), "warn")
    else:
        ctx.headline(
            "A process per task cost no more per task than a reused pool here "
            "({:.2f}\u00d7): {} of {} ms hid the cost of starting processes.".format(
                speedup, count(tasks, "task", "tasks"), task_ms), "accent")

    if method == "fork":
        why = ("this CPython starts processes with fork, which copies this running "
               "interpreter: no new interpreter to start and no imports to redo. The slide's "
               "50\u2013200 ms per process is spawn, a fresh interpreter importing a real "
               "program's modules")
    elif method == "forkserver":
        why = ("this CPython starts processes with the forkserver: each is forked from a "
               "server that started once as a fresh interpreter, and sets up only this small "
               "program. The slide's 50\u2013200 ms per process is spawn, a fresh interpreter "
               "importing a real program's modules")
    else:
        why = ("this CPython starts processes with {}: a fresh interpreter that imports only "
               "multiprocessing and this small program, where the slide's 50\u2013200 ms per "
               "process is a real program's imports".format(method))
    if process_start < start_overhead:
        split = "{:.1f} ms of it to start, the rest to exit, be reaped and be replaced".format(
            process_start)
    else:
        split = "its median start alone took {:.1f} ms".format(process_start)
    if break_even < SLIDE_BREAK_EVEN_MS / FAR:
        ctx.note("differs", "Starting a process per task costs at most 10% of the work from "
                 "tasks of about {:.0f} ms here, not the slide's rule of thumb of {:.0f} ms: "
                 "each process cost {:.1f} ms more per task than the pool ({}), because "
                 "{}.".format(break_even, SLIDE_BREAK_EVEN_MS, start_overhead, split, why))
    elif break_even > SLIDE_BREAK_EVEN_MS * FAR:
        ctx.note("differs", "Starting a process per task costs at most 10% of the work only "
                 "from tasks of about {:.0f} ms here, far above the slide's rule of thumb of "
                 "{:.0f} ms: each process cost {:.1f} ms more per task than the pool ({}; "
                 "start method {}), and a task must be 9 times that for starting its process to "
                 "cost at most 10% of the total.".format(
                     break_even, SLIDE_BREAK_EVEN_MS, start_overhead, split, method))
    elif not SLIDE_START_MS[0] <= process_start <= SLIDE_START_MS[1]:
        ctx.note("differs", "A process took {:.1f} ms to start here (median), outside the "
                 "slide's 50\u2013200 ms: {}.".format(process_start, why))
    if worker[0] is not None:
        ctx.note("info", "Each pool worker: RSS {:.1f} MiB, PSS {:.1f} MiB (the parent: RSS "
                 "{:.1f} MiB). {}".format(
                     worker[0], worker[1] or 0.0, parent[0] or 0.0,
                     "A fork child shares the parent's pages copy-on-write, so its RSS counts "
                     "pages it does not own; PSS splits each shared page among its users. The "
                     "slide's 30\u2013100 MB is a process with a real program's imports."
                     if method == "fork" else
                     "The slide's 30\u2013100 MB is a process with a real program's imports."))


if __name__ == "__main__":
    lp.run(NAME, main, detail=lambda: "start method " + multiprocessing.get_start_method())
