"""`pool-api` on CPython: one real multiprocessing.Pool runs the same `tasks` CPU tasks through
map, imap, imap_unordered and apply_async in turn (task 0 three times as long as the others),
and records when each result reached this process's code: all at once when map returns, as
imap and imap_unordered yield, in apply_async's callbacks. Then `memory_items` tiny results go
through imap (consumed one by one, not kept) and through map, and this process's peak memory
(VmHWM, reset before each) is read from the kernel."""

import gc
import multiprocessing
import os
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "pool-api"

#: The four ways, in the order they run.
APIS = ("map", "imap", "imap_unordered", "apply_async")

#: Each way's colour in the arrivals chart.
TONES = {"map": "warn", "imap": "accent", "imap_unordered": "good", "apply_async": "normal"}

#: Bytes each task of the memory part returns.
ITEM_BYTES = 64

#: How long the pool's workers may take to be ready.
READY_TIMEOUT = 20.0

#: Most points per line of the arrivals chart (a protocol line stays under 4,000 bytes).
MAX_POINTS = 40

#: imap's peak must be at most this share of map's growth to count as clearly lower.
CLEARLY_LOWER = 0.5

#: The memory part sends its items in this many messages (chunks), through map and imap.
MEMORY_MESSAGES = 200


# --- what the pool runs (top level, so a spawn/forkserver worker can import it) ---------------


def task(arg):
    """One timed task: (index, CPU seconds); spins that long on its CPU clock, returns the
    index."""
    index, seconds = arg
    lp.busy(seconds)
    return index


def tiny(index):
    """One task of the memory part: no work, a 64-byte bytes object back."""
    return index.to_bytes(8, "little") * (ITEM_BYTES // 8)


def init_worker(parent, ready):
    """Pool initializer: die with the demo first, then say it is ready."""
    lp.die_with_parent(parent)
    ready.release()


# --- helpers ---------------------------------------------------------------------------------


def ms_text(value):
    return "{} ms".format(group(value)) if value >= 10 else "{:.1f} ms".format(value)


def durations(tasks, task_ms, seed):
    """CPU ms of each task, the same in both engines: a slow first task (imap waits for it),
    then lengths between 6/11 and 16/11 of task_ms."""
    out = []
    for i in range(tasks):
        if i == 0:
            out.append(3.0 * task_ms)
        else:
            out.append(task_ms * (6 + ((i * 7 + seed * 13) % 11)) / 11.0)
    return out


def memory_chunksize(items):
    """The chunksize of the memory part: ceil(items / MEMORY_MESSAGES)."""
    return max(-(-items // MEMORY_MESSAGES), 1)


def reset_peak():
    """Resets this process's peak RSS (VmHWM) to its RSS now; False if the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def status(field):
    """A field of /proc/self/status in bytes (VmHWM, VmRSS)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def thin(points):
    """At most MAX_POINTS points, always the first and the last."""
    if len(points) <= MAX_POINTS:
        return points
    step = (len(points) - 1) / float(MAX_POINTS - 1)
    return [points[int(round(k * step))] for k in range(MAX_POINTS)]


def show_arrivals(ctx, arrivals):
    lines = []
    for api in APIS:
        if api not in arrivals:
            continue
        points = [[0.0, 0.0]]
        for n, at in enumerate(sorted(arrivals[api]), 1):
            points.append([round(at, 1), float(n)])
        lines.append({"label": api, "points": thin(points), "tone": TONES[api]})
    ctx.view("arrivals", {
        "kind": "series",
        "x_label": "ms since the call",
        "y_label": "results received",
        "lines": lines,
    })


# --- the four ways -----------------------------------------------------------------------------


def run_api(api, pool, args, timeout):
    """Runs every task through one API; returns the ms since the call at which each result
    reached this code, and the results in the order they came."""
    got = []
    at = []
    t0 = time.perf_counter()
    if api == "map":
        out = pool.map(task, args, 1)
        now = (time.perf_counter() - t0) * 1000.0
        got = list(out)
        at = [now] * len(out)
    elif api in ("imap", "imap_unordered"):
        it = (pool.imap if api == "imap" else pool.imap_unordered)(task, args, 1)
        for _ in args:
            value = it.next(timeout)
            at.append((time.perf_counter() - t0) * 1000.0)
            got.append(value)
    else:
        arrived = []  # (ms, value), appended by the pool's result handler thread

        def callback(value):
            arrived.append(((time.perf_counter() - t0) * 1000.0, value))

        pending = [pool.apply_async(task, (arg,), callback=callback) for arg in args]
        for result in pending:
            result.get(timeout)
        # get() can return just before the callback of the same result has run.
        deadline = time.monotonic() + timeout
        while len(arrived) < len(args) and time.monotonic() < deadline:
            time.sleep(0.001)
        at = [ms for ms, _ in arrived]
        got = [value for _, value in arrived]
    if sorted(got) != list(range(len(args))):
        raise RuntimeError("{} returned wrong results".format(api))
    return at, got


def run_memory(ctx, pool, items, chunksize):
    """imap consumed one by one, then map kept whole: this process's peak RSS and its RSS
    before each (MiB), and whether the kernel let the peak be reset."""
    out = {}
    resets = []
    for api in ("imap", "map"):
        ctx.progress("{} tiny results through {}".format(group(items), api),
                     5 if api == "imap" else 6, 7)
        gc.collect()
        resets.append(reset_peak())
        before = status("VmRSS")
        received = 0
        if api == "imap":
            # With chunksize > 1 imap hands back a generator over the chunks' results (no
            # timeout on it): a plain loop.
            for value in pool.imap(tiny, range(items), chunksize):
                received += len(value) == ITEM_BYTES
            value = None
        else:
            kept = pool.map(tiny, range(items), chunksize)
            received = sum(1 for value in kept if len(value) == ITEM_BYTES)
        peak = status("VmHWM")
        if api == "map":
            del kept
        gc.collect()
        if received != items:
            raise RuntimeError("{} returned {} of {} results".format(api, received, items))
        out[api] = (lp.mib(peak), lp.mib(before))
    return out, all(resets)


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    tasks = max(1, int(p.get("tasks", 16)))
    task_ms = max(0, int(p.get("task_ms", 100)))
    workers = max(1, int(p.get("workers", 2)))
    seed = int(p.get("seed", 1))
    items = max(1, int(p.get("memory_items", 200000)))
    me = os.getpid()
    mp = multiprocessing.get_context()
    method = mp.get_start_method()

    lengths = durations(tasks, task_ms, seed)
    args = [(i, ms / 1000.0) for i, ms in enumerate(lengths)]
    timeout = 60.0 + 10.0 * sum(lengths) / 1000.0
    others = lengths[1:]
    ctx.note("info", "One Pool of {} (start method {}) runs the same {} through each API: "
             "map, imap and imap_unordered with chunksize 1, apply_async once per task with a "
             "callback. Task 0 takes {} of CPU{}.".format(
                 count(workers, "worker", "workers"), method, count(tasks, "task", "tasks"),
                 ms_text(lengths[0]),
                 ", the others {}\u2013{}".format(ms_text(min(others)), ms_text(max(others)))
                 if others else ""))

    # Under a forkserver the workers' parent is the forkserver (which dies with this process).
    parent = None if method == "forkserver" else me
    ready = mp.Semaphore(0)
    ctx.progress("starting a pool of {}".format(count(workers, "worker", "workers")), 0, 7)
    pool = mp.Pool(workers, initializer=init_worker, initargs=(parent, ready))
    procs = list(pool._pool)
    roles = {}
    closed = False
    arrivals = {}
    try:
        for i, proc in enumerate(procs, 1):
            roles[proc.pid] = "pool worker {}".format(i)
            ctx.count_started()
            ctx.process(proc.pid, me, roles[proc.pid])
        # Every API starts with every worker ready: none pays for the pool's start.
        for _ in procs:
            if not ready.acquire(timeout=READY_TIMEOUT):
                raise RuntimeError("the pool's workers were not ready in {:.0f} s".format(
                    READY_TIMEOUT))

        orders = {}
        for k, api in enumerate(APIS, 1):
            ctx.progress("{}: {}".format(api, count(tasks, "task", "tasks")), k, 7)
            arrivals[api], orders[api] = run_api(api, pool, args, timeout)
            show_arrivals(ctx, arrivals)

        chunksize = memory_chunksize(items)
        memory, reset_ok = run_memory(ctx, pool, items, chunksize)
        ctx.progress("done", 7, 7)
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

    first = {api: min(arrivals[api]) for api in APIS}
    last = {api: max(arrivals[api]) for api in APIS}
    for api in APIS:
        ctx.result("first_result_ms_" + api, first[api])
        ctx.result("last_result_ms_" + api, last[api])
    peak_map, before_map = memory["map"]
    peak_imap, before_imap = memory["imap"]
    ctx.result("peak_mb_map", peak_map)
    ctx.result("peak_mb_imap", peak_imap)
    grew_map = max(peak_map - before_map, 0.0)
    grew_imap = max(peak_imap - before_imap, 0.0)
    lower = grew_map > 0 and grew_imap <= CLEARLY_LOWER * grew_map
    ctx.view("memory", {
        "kind": "bars",
        "unit": "MiB",
        "bars": [
            {"label": "map", "value": peak_map,
             "detail": "all {} kept".format(group(items)), "tone": "warn"},
            {"label": "imap", "value": peak_imap,
             "detail": "consumed one by one", "tone": "good" if lower else "normal"},
        ],
        "caption": "this process's peak RSS (VmHWM, reset before each) while {} results of "
                   "{} bytes came back (chunksize {} for both)".format(
                       group(items), ITEM_BYTES, group(chunksize)),
    })

    in_order = orders["imap"] == list(range(tasks))
    fastest = min(("imap_unordered", "apply_async"), key=lambda a: first[a])
    # imap's wait for the slow first task is the differs note below, not the headline.
    ctx.headline("{} handed over its first result after {}; map made you wait {} for {}."
                 .format(fastest, ms_text(first[fastest]), ms_text(last["map"]),
                         "all {} at once".format(group(tasks)) if tasks > 1
                         else "its only one"), "accent")
    if tasks > 1 and in_order and first["imap"] > 1.5 * first["imap_unordered"]:
        ctx.note("differs", "imap yields in submission order, not \"as they complete\": its "
                 "first result waited for the slow task 0 ({}); imap_unordered's came after "
                 "{}.".format(ms_text(first["imap"]), ms_text(first["imap_unordered"])))
    else:
        ctx.note("info", "imap yielded its results {}; its first came after {}, "
                 "imap_unordered's after {}.".format(
                     "in submission order" if in_order else "out of submission order",
                     ms_text(first["imap"]), ms_text(first["imap_unordered"])))

    numbers = ("peak {:.1f} MiB through imap ({:+.1f} MiB over the {:.1f} MiB before it), "
               "{:.1f} MiB through map ({:+.1f} MiB over {:.1f} MiB)".format(
                   peak_imap, grew_imap, before_imap, peak_map, grew_map, before_map))
    if lower:
        ctx.note("info", "imap saved memory on the results: {}. map keeps all {} in one list "
                 "until it returns; the imap loop dropped each as it came. Both ran with "
                 "chunksize {} ({}); imap was measured first, so map's freed memory does not "
                 "count in imap's peak.".format(
                     numbers, count(items, "result", "results"), group(chunksize),
                     count(-(-items // chunksize), "message", "messages")))
    else:
        ctx.note("differs", "imap's peak was not clearly lower than map's: {}. CPython's imap "
                 "is lazy only on the results: its task handler thread (Pool._handle_tasks) "
                 "feeds the whole input to the task queue as fast as the workers take it, "
                 "without waiting for the loop, so results the loop has not taken yet pile up "
                 "in the iterator; and {} results of {} bytes are small next to the "
                 "interpreter itself (chunksize {} for both).".format(
                     numbers, group(items), ITEM_BYTES, group(chunksize)))
    if not reset_ok:
        ctx.note("warn", "This kernel did not let the demo reset its peak RSS (/proc/self/"
                 "clear_refs): the peaks count from the start of the run.")


def detail():
    return "Pool, start method " + multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
