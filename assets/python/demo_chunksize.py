"""`chunksize` on CPython: a real multiprocessing Pool maps `tasks` small tasks once per
chunksize (1, 10, 100, 1000 and Python's own default), against a sequential run in this
process. Task batches and result messages are counted as they cross the pool's pipes, by
wrapping the two callables the pool's handler threads use to send and receive them."""

import math
import multiprocessing
import multiprocessing.pool
import os
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "chunksize"

#: The chunksizes swept, besides Python's default.
SWEEP = (1, 10, 100, 1000)

#: How long a paced run should last, so the gauges can show it.
PACE_S = 3.0

#: Most rounds the automatic pacing asks for.
MAX_AUTO_ROUNDS = 50

CAPTION = (
    "wall time per map by chunksize; messages counted as they crossed the queue; "
    "× = speedup over sequential"
)


# --- what the pool runs (top level, so a spawn/forkserver child can import it) ---------------


#: CPU seconds per task, set in this process by main() and in each pool worker by the
#: initializer (a spawn or forkserver worker does not inherit it).
TASK_SECONDS = 0.0


def task(x):
    """One task: task_us of CPU time, then the argument back."""
    lp.busy(TASK_SECONDS)
    return x


def init_worker(parent, seconds):
    """Pool initializer: die with the demo first, then learn how long a task is."""
    global TASK_SECONDS
    lp.die_with_parent(parent)
    TASK_SECONDS = seconds


class CountingPool(multiprocessing.pool.Pool):
    """A Pool that counts the task batches its task handler thread sends to the workers and
    the result messages its result handler thread reads back, per job, as they happen.

    Pool.__init__ calls _setup_queues() before it starts the _handle_tasks and
    _handle_results threads, which take self._quick_put and self._quick_get as arguments
    (CPython 3.8 to 3.13): wrapping them here means every message of a map passes through
    the wrappers. Sentinels (None) are not counted."""

    def _setup_queues(self):
        super()._setup_queues()
        self.sent = {}  # job -> task batches sent
        self.received = {}  # job -> result messages read
        put, get = self._quick_put, self._quick_get
        sent, received = self.sent, self.received

        def counted_put(obj):
            # Counted before it is sent: by the time its result is back, the count is in.
            if obj is not None:
                job = obj[0]
                sent[job] = sent.get(job, 0) + 1
            return put(obj)

        def counted_get():
            obj = get()
            # Counted before the result handler hands it to the map's result.
            if obj is not None:
                job = obj[0]
                received[job] = received.get(job, 0) + 1
            return obj

        self._quick_put = counted_put
        self._quick_get = counted_get

    def reset_counts(self):
        self.sent.clear()
        self.received.clear()

    def counts(self):
        """(task batches, result messages) of the latest job since the reset."""
        jobs = set(self.sent) | set(self.received)
        if not jobs:
            return 0, 0
        job = max(jobs)
        return self.sent.get(job, 0), self.received.get(job, 0)


# --- helpers ---------------------------------------------------------------------------------


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return 0.0
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2.0


def python_default(tasks, workers):
    """What Pool.map computes when chunksize is None: ceil(n / (4 × processes))."""
    size, extra = divmod(tasks, max(workers, 1) * 4)
    return max(size + (1 if extra else 0), 1)


class Sweep:
    def __init__(self, default):
        self.sizes = [(str(c), c) for c in SWEEP] + [("default", default)]
        self.times = []  # per round: sequential ms, then one ms per size
        self.messages = [(0, 0)] * len(self.sizes)

    def median(self, i):
        return median([r[i] for r in self.times if len(r) > i])

    def show(self, ctx):
        sequential = self.median(0)
        bars = [{"label": "sequential", "value": sequential, "detail": "no messages",
                 "tone": "muted"}]
        measured = len(self.times[0]) - 1 if self.times else 0
        for i, (name, size) in enumerate(self.sizes[:measured]):
            ms = self.median(i + 1)
            speedup = sequential / ms if ms > 0 else 0.0
            bars.append({
                "label": "default ({})".format(size) if name == "default"
                else "chunksize {}".format(size),
                "value": ms,
                "detail": "{} · {:.2f}×".format(
                    count(self.messages[i][0], "message", "messages"), speedup),
                "tone": "warn" if speedup < 1.0 else "good",
            })
        ctx.view("times", {"kind": "bars", "unit": "ms", "bars": bars, "caption": CAPTION})


def run_round(ctx, pool, sweep, p, round_no, rounds):
    tasks, task_us = p["tasks"], p["task_us"]
    steps = len(sweep.sizes) + 1
    done = (round_no - 1) * steps
    of = rounds * steps
    prefix = "round {} of {}: ".format(round_no, rounds) if rounds > 1 else ""
    ctx.progress("{}{} of {} µs sequentially, in this process".format(
        prefix, count(tasks, "task", "tasks"), task_us), done, of)
    items = range(tasks)
    started = time.perf_counter()
    for x in items:
        task(x)
    sweep.times.append([(time.perf_counter() - started) * 1000.0])
    sweep.show(ctx)
    for i, (name, size) in enumerate(sweep.sizes):
        ctx.progress("{}chunksize {}: mapping {}".format(prefix, size, count(tasks, "task", "tasks")),
                     done + 1 + i, of)
        pool.reset_counts()
        started = time.perf_counter()
        if name == "default":
            out = pool.map(task, items)  # no chunksize: Python picks it
        else:
            out = pool.map(task, items, size)
        ms = (time.perf_counter() - started) * 1000.0
        if out != list(items):
            raise RuntimeError("map with chunksize {} returned wrong results".format(size))
        sweep.messages[i] = pool.counts()
        sweep.times[-1].append(ms)
        sweep.show(ctx)


def pace(ctx, one_s):
    wanted = min(math.ceil(PACE_S / max(one_s, 1e-3)), 1000)
    rounds = int(min(max(wanted, 1), MAX_AUTO_ROUNDS))
    if rounds > 1:
        ctx.note("info", "One sweep took {:.0f} ms, too fast to watch: it runs {} times, and "
                 "each time shown is the median of the rounds (rounds=N sets it).".format(
                     one_s * 1000.0, rounds))
    return rounds


def report(ctx, sweep, p, rounds):
    workers, tasks, task_us = p["workers"], p["tasks"], p["task_us"]
    sequential = sweep.median(0)
    ctx.result("sequential_ms", sequential)
    ctx.result("rounds", rounds)
    best = None
    for i, (name, size) in enumerate(sweep.sizes):
        ms = sweep.median(i + 1)
        sent, received = sweep.messages[i]
        ctx.result("time_ms_cs{}".format(name), ms)
        ctx.result("messages_cs{}".format(name), sent)
        ctx.result("result_messages_cs{}".format(name), received)
        ctx.result("speedup_cs{}".format(name), sequential / ms if ms > 0 else 0.0)
        if best is None or ms < best[1]:
            best = (size, ms)
    size, ms = best
    speedup = sequential / ms if ms > 0 else 0.0
    if speedup >= 1.0:
        ctx.headline("Fastest: chunksize {}, {:.2f}× sequential with {}; chunksize 1 sent {} "
                     "task messages.".format(size, speedup, count(workers, "worker", "workers"),
                                             group(sweep.messages[0][0])), "good")
    elif workers == 1:
        ctx.headline("No chunksize beat sequential: one worker does the same work as this "
                     "process, plus the sending (best: chunksize {}, {:.2f}×).".format(
                         size, speedup), "warn")
    else:
        ctx.headline("No chunksize beat sequential: tasks of {} µs cost less than sending them "
                     "(best: chunksize {}, {:.2f}×).".format(task_us, size, speedup), "warn")
    default = python_default(tasks, workers)
    if default > 1:
        ctx.note("differs", "map does not send one item per message by default: Python's "
                 "Pool.map picks chunksize ceil(n / (4 × workers)) = {} here, so the default "
                 "sent {}. One item per message is what imap and apply_async do "
                 "(chunksize=1).".format(default, count(sweep.messages[-1][0], "message",
                                                         "messages")))
    cs1 = sequential / sweep.median(1) if sweep.median(1) > 0 else 0.0
    if task_us <= 10 and cs1 >= 1.0:
        ctx.note("differs", "chunksize 1 still beat sequential on {} µs tasks here ({:.2f}×): "
                 "the workers' CPU outweighed CPython's cost of pickling and sending one "
                 "message per task on this machine.".format(task_us, cs1))


def main(ctx):
    p = ctx.params
    workers = int(p.get("workers", os.cpu_count() or 1))
    tasks = int(p.get("tasks", 10000))
    task_us = int(p.get("task_us", 20))
    rounds_param = int(p.get("rounds", 0))
    p = dict(workers=workers, tasks=tasks, task_us=task_us)
    seconds = task_us / 1e6
    global TASK_SECONDS
    TASK_SECONDS = seconds

    # Under a forkserver (Python 3.14's default on Linux) the server is the workers' parent.
    parent = None if multiprocessing.get_start_method() == "forkserver" else os.getpid()
    pool = CountingPool(workers, initializer=init_worker, initargs=(parent, seconds))
    procs = list(pool._pool)
    roles = {}
    closed = False
    try:
        for i, proc in enumerate(procs, 1):
            roles[proc.pid] = "pool worker {}".format(i)
            ctx.process(proc.pid, os.getpid(), roles[proc.pid])
            ctx.count_started()
        default = python_default(tasks, len(procs))
        ctx.result("default_chunksize", default)
        ctx.note("info", "Python's Pool.map default chunksize here: ceil({} / (4 × {})) = "
                 "{}.".format(tasks, workers, default))
        sweep = Sweep(default)
        started = time.perf_counter()
        rounds = max(rounds_param, 1)
        round_no = 0
        while round_no < rounds:
            round_no += 1
            run_round(ctx, pool, sweep, p, round_no, rounds)
            if round_no == 1:
                per_task_us = sweep.times[0][0] * 1000.0 / max(tasks, 1)
                if task_us > 0 and per_task_us > 1.5 * task_us + 2:
                    busy_floor_note(ctx, task_us, per_task_us)
                if rounds_param == 0:
                    rounds = pace(ctx, time.perf_counter() - started)
        report(ctx, sweep, p, rounds)
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


def busy_floor_note(ctx, task_us, per_task_us):
    ctx.note("info", "A task asks for {} µs of CPU, but each one took {:.1f} µs in the "
             "sequential run: that is the least lectern_protocol.busy() can spin on this "
             "machine (it reads the thread's CPU clock between loops of 200 "
             "multiplications).".format(task_us, per_task_us))


def detail():
    return "Pool, start method " + multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
