"""`crossover` on CPython: tasks of 1 µs to 100 ms of CPU, each with a payload argument, run
sequentially in this process and through a real multiprocessing.Pool, with chunksize 1 and
with Python's default chunksize. Where the pool's speedup over sequential crosses 1.0 is the
task length below which sending a task costs more than doing it."""

import math
import multiprocessing
import os
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "crossover"

#: The task lengths swept, in µs (the result keys use these numbers).
LENGTHS_US = (1, 10, 100, 1000, 10000, 100000)

#: Each point costs about this many µs of work sequentially.
POINT_US = 200000

#: Slide 4's rule of thumb: a process per task pays off for tasks of about this many µs.
SLIDE_RULE_US = 100000

#: How long the pool's workers may take to be ready.
READY_TIMEOUT = 20.0

#: The payloads of one point may use at most this share of the memory available...
MEMORY_SHARE = 0.25

#: ...and at most this much: 1,024 tasks of 64 KiB still show the payload's cost, where
#: 20,000 held 1.3 GB and took 20 s.
PAYLOAD_BUDGET = 64 * 1024 * 1024


# --- what the pool runs (top level, so a spawn/forkserver worker can import it) ---------------


def task(arg):
    """One task: (CPU seconds, payload); spins that long on its CPU clock, returns 1."""
    seconds, _payload = arg
    lp.busy(seconds)
    return 1


def init_worker(parent, ready):
    """Pool initializer: die with the demo first, then say it is ready."""
    lp.die_with_parent(parent)
    ready.release()


# --- helpers -----------------------------------------------------------------------------------


def times_text(speedup):
    return "{:.2f}\u00d7".format(speedup) if speedup < 10 else "{:.1f}\u00d7".format(speedup)


def us_text(us):
    return "{} \u00b5s".format(group(us))


def python_default(tasks, workers):
    """What Pool.map computes when chunksize is None: ceil(n / (4 × processes))."""
    size, extra = divmod(tasks, max(workers, 1) * 4)
    return max(size + (1 if extra else 0), 1)


def tasks_for(length_us, workers, max_tasks):
    """clamp(200000 // L, 4 × workers, max_tasks): about 0.2 s of work sequentially."""
    return max(min(max(POINT_US // length_us, 4 * workers), max_tasks), 1)


def mem_available():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def payloads(n, size):
    """n distinct arguments: ints when size is 0, else bytes objects of `size` bytes, each
    different (pickle would send one object repeated in a chunk only once)."""
    if size <= 0:
        return list(range(n))
    out = []
    for i in range(n):
        buf = bytearray(size)
        stamp = i.to_bytes(8, "little")[:size]
        buf[:len(stamp)] = stamp
        out.append(bytes(buf))
    return out


def break_even(points):
    """The task length at which chunksize 1 reaches a speedup of 1.0: interpolated in
    log-space between the sweep points around the first crossing from below; 1 when every
    point is at or above 1.0; the largest length when none is."""
    if all(s >= 1.0 for _, s in points):
        return float(points[0][0])
    for (l0, s0), (l1, s1) in zip(points, points[1:]):
        if s0 < 1.0 <= s1:
            t = (1.0 - s0) / (s1 - s0) if s1 != s0 else 0.0
            return 10 ** (math.log10(l0) + t * (math.log10(l1) - math.log10(l0)))
    return float(points[-1][0])


def show(ctx, cs1, default):
    ctx.view("speedup", {
        "kind": "series",
        "x_label": "task length (\u00b5s)",
        "y_label": "speedup over sequential",
        "x_log": True,
        "reference_y": 1.0,
        "lines": [
            {"label": "chunksize 1", "points": [[float(l), s] for l, s in cs1],
             "tone": "warn"},
            {"label": "default chunksize", "points": [[float(l), s] for l, s in default],
             "tone": "good"},
        ],
    })


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    workers = max(1, int(p.get("workers", 2)))
    payload_kb = max(0, int(p.get("payload_kb", 0)))
    max_tasks = max(1, int(p.get("max_tasks", 20000)))
    size = payload_kb * 1024
    me = os.getpid()
    mp = multiprocessing.get_context()
    method = mp.get_start_method()

    plan = [(length, tasks_for(length, workers, max_tasks)) for length in LENGTHS_US]
    available = mem_available()
    if size > 0:
        budget = PAYLOAD_BUDGET
        if available:
            budget = min(budget, int(available * MEMORY_SHARE))
        limited = [(length, min(n, max(budget // size, 1))) for length, n in plan]
        if limited != plan:
            ctx.note("info", "At most {} per point, so that their payloads stay within {} "
                     "MiB: still thousands of times what a task's int argument costs.".format(
                         count(max(budget // size, 1), "task", "tasks"),
                         group(budget / (1024 * 1024))))
            plan = limited
    ctx.note("info", "Each task gets {} as its argument (pickled into the pool's task pipe "
             "with each message) and returns a small int. Every point runs the same tasks "
             "sequentially in this process, then through a Pool of {} (start method {}) with "
             "chunksize 1 and with Python's default, ceil(n / (4 \u00d7 {})).".format(
                 "an int" if size == 0 else "a distinct {} KiB bytes payload".format(
                     group(payload_kb)),
                 count(workers, "worker", "workers"), method, workers))

    parent = None if method == "forkserver" else me
    ready = mp.Semaphore(0)
    pool = mp.Pool(workers, initializer=init_worker, initargs=(parent, ready))
    procs = list(pool._pool)
    roles = {}
    closed = False
    cs1, default = [], []
    floor_us = None
    try:
        for i, proc in enumerate(procs, 1):
            roles[proc.pid] = "pool worker {}".format(i)
            ctx.count_started()
            ctx.process(proc.pid, me, roles[proc.pid])
        for _ in procs:
            if not ready.acquire(timeout=READY_TIMEOUT):
                raise RuntimeError("the pool's workers were not ready in {:.0f} s".format(
                    READY_TIMEOUT))

        for k, (length, n) in enumerate(plan):
            ctx.progress("tasks of {}: {} sequentially, then the pool".format(
                us_text(length), count(n, "task", "tasks")), k, len(plan))
            seconds = length / 1e6
            args = [(seconds, payload) for payload in payloads(n, size)]
            t0 = time.perf_counter()
            for arg in args:
                task(arg)
            sequential = (time.perf_counter() - t0) * 1000.0
            if length == LENGTHS_US[0]:
                floor_us = sequential * 1000.0 / n
            t0 = time.perf_counter()
            out = pool.map(task, args, 1)
            ms_cs1 = (time.perf_counter() - t0) * 1000.0
            ok = len(out) == n
            t0 = time.perf_counter()
            out = pool.map(task, args)
            ms_default = (time.perf_counter() - t0) * 1000.0
            ok = ok and len(out) == n
            del out, args
            if not ok:
                raise RuntimeError("the pool returned the wrong number of results")
            cs1.append((length, sequential / ms_cs1 if ms_cs1 > 0 else 0.0))
            default.append((length, sequential / ms_default if ms_default > 0 else 0.0))
            show(ctx, cs1, default)
        ctx.progress("done", len(plan), len(plan))
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

    for (length, s1), (_, sd) in zip(cs1, default):
        ctx.result("speedup_cs1_{}us".format(length), s1)
        ctx.result("speedup_default_{}us".format(length), sd)
    even = break_even(cs1)
    ctx.result("break_even_us", even)
    shortest = cs1[0][1]
    ctx.result("speedup_shortest", shortest)

    if all(s >= 1.0 for _, s in cs1):
        ctx.headline("With chunksize 1 the pool paid off at every task length here, even "
                     "{}: tasks of {} ran {} as fast as sequential.".format(
                         us_text(LENGTHS_US[0]), us_text(LENGTHS_US[0]),
                         times_text(shortest)), "good")
        ctx.note("differs", "Even {} tasks ran faster through the pool with chunksize 1 "
                 "({}): the workers' CPU outweighed CPython's cost of pickling and sending "
                 "one message per task on this machine.".format(
                     us_text(LENGTHS_US[0]), times_text(shortest)))
    elif not any(s >= 1.0 for _, s in cs1):
        ctx.headline("With chunksize 1 the pool never beat sequential here, not even on "
                     "tasks of {} (best {}); tasks of {} ran {} as fast.".format(
                         us_text(LENGTHS_US[-1]), times_text(max(s for _, s in cs1)),
                         us_text(LENGTHS_US[0]), times_text(shortest)), "warn")
        if workers == 1:
            ctx.note("info", "One worker does the same work as this process, plus the "
                     "sending: a pool of 1 cannot beat sequential.")
    else:
        ctx.headline("With chunksize 1 a pool pays off only for tasks of about {} or longer "
                     "here; tasks of {} ran {} as fast as sequential.".format(
                         us_text(even), us_text(LENGTHS_US[0]), times_text(shortest)),
                     "warn")
    if any(s >= 1.0 for _, s in cs1):
        ctx.note("info", "Slide 4's rule of thumb, tasks of 100 ms (100,000 \u00b5s) or more, "
                 "prices starting a process per task. A pool that is already running pays off "
                 "here from about {} per task ({}\u00d7 below that rule) with chunksize 1: each "
                 "task then costs only its pickling, two trips through the pool's pipes and a "
                 "wake-up.".format(us_text(even), group(SLIDE_RULE_US / even)
                                   if even > 0 else "?"))
    else:
        ctx.note("info", "Slide 4's rule of thumb, tasks of 100 ms (100,000 \u00b5s) or more, "
                 "prices starting a process per task; here even a running pool with chunksize "
                 "1 did not reach 1.0 (best {} at {}).".format(
                     times_text(max(s for _, s in cs1)),
                     us_text(max(cs1, key=lambda c: c[1])[0])))
    even_default = break_even(default)
    if all(sd >= 1.0 for _, sd in default):
        reach = "paid off at every length, even {}".format(us_text(LENGTHS_US[0]))
    elif not any(sd >= 1.0 for _, sd in default):
        reach = "never beat sequential"
    else:
        reach = "paid off from about {}".format(us_text(even_default))
    ctx.note("info", "With Python's default chunksize (ceil(n / (4 \u00d7 {})), {} for the "
             "{} tasks of {}) the pool {}; the {} tasks ran {} as fast as sequential{}.".format(
                 workers, group(python_default(plan[0][1], workers)), group(plan[0][1]),
                 us_text(LENGTHS_US[0]), reach, us_text(LENGTHS_US[0]),
                 times_text(default[0][1]),
                 ": fewer, larger messages moved the crossover down" if even_default < even
                 else ""))
    if floor_us is not None and floor_us > 1.5 * LENGTHS_US[0] + 2:
        ctx.note("info", "A task asks for {} of CPU, but each one took {:.1f} \u00b5s in the "
                 "sequential run: that is the least lectern_protocol.busy() can spin on this "
                 "machine (it reads the thread's CPU clock between loops of "
                 "multiplications).".format(us_text(LENGTHS_US[0]), floor_us))


def detail():
    return "Pool, start method " + multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
