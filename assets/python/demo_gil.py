"""`gil` on CPython: real threads under the real GIL, against one process per worker.

CPU work is pure Python bytecode (a "work unit" is a fixed loop of integer multiply-adds),
counted per worker. The lanes come from the kernel, not from the threads: every 50 ms the main
thread reads each thread's CPU time from the kernel (its thread CPU clock, found with
time.pthread_getcpuclockid: reading /proc/PID/task/TID/stat instead would make the sampler wait
for the GIL at every read; lectern_protocol.thread_cpu_seconds() is the fallback), or for
processes /proc/PID/stat. Under the GIL only one thread runs at a time: in each slot the thread
that used the most CPU held the lock ('H'), the others waited for it ('W'). CPython does not
expose GIL hand-overs, so the switches counted are the kernel's view at 50 ms.
"""

import bisect
import multiprocessing
import os
import sys
import threading
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "gil"

#: Lane slot width, seconds; lanes show the last WINDOW_SLOTS slots.
SLOT = 0.05
WINDOW_SLOTS = 60
#: How often lanes and progress are reported, in slots (250 ms).
REPORT_SLOTS = 5
#: How long the baseline worker runs (before the main run and again after it) and how long
#: the lone I/O thread runs.
BASE_SECONDS = 0.6
IO_ALONE_SECONDS = 0.6
#: Integer multiply-adds per work unit.
STEPS_PER_UNIT = 1000

LEGEND = [
    {"symbol": "H", "glyph": "\u2588", "meaning": "running (holds the lock)", "tone": "good"},
    {"symbol": "R", "glyph": "\u2593", "meaning": "running (no lock to take)", "tone": "good"},
    {"symbol": "W", "glyph": "\u2591", "meaning": "waiting for the lock", "tone": "bad"},
    {"symbol": "I", "glyph": "\u2504", "meaning": "blocked in I/O", "tone": "muted"},
    {"symbol": ".", "glyph": " ", "meaning": "finished", "tone": "muted"},
]


# --- small helpers ------------------------------------------------------------------------------


def median(values):
    values = sorted(values)
    if not values:
        return 0.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def gil_enabled():
    """False only on a free-threaded build running with the GIL off."""
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def work_unit(seed):
    """One unit of CPU work: pure Python bytecode, no C call that could drop the GIL."""
    x = seed | 1
    for _ in range(STEPS_PER_UNIT):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x


def process_cpu_seconds(pid):
    """(CPU seconds, alive) of a whole process from /proc/PID/stat (utime + stime)."""
    try:
        with open("/proc/{}/stat".format(pid)) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None, False
    try:
        seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (ValueError, IndexError):
        return None, False
    return seconds, fields[0] not in ("Z", "X", "x")


# --- one lane: a thread (or process) whose CPU time the kernel tells us ------------------------


class Lane:
    """What the sampler needs about one worker: its kernel CPU clock, when it ran, its I/O."""

    def __init__(self, label, io=False):
        self.label = label
        self.io = io
        self.clock = None  # the thread's CPU clock id (CLOCK_THREAD_CPUTIME of its TID)
        self.tid = None
        self.pid = None  # for a process lane
        self.started = None
        self.ended = None
        self.final_cpu = None
        self.last_cpu = 0.0
        self.units = 0
        self.pauses = 0
        # (I/O seconds finished so far, start of the current sleep or None): one tuple, so
        # the sampler always reads a consistent pair.
        self.io_state = (0.0, None)
        self.io_ms = 0.0
        self.latencies = []
        self.cpu_samples = [0.0]
        self.io_samples = [0.0]
        self.alive_samples = [True]

    def bind(self):
        """Called by the thread itself when it starts: which kernel clock is its CPU time."""
        self.tid = threading.get_native_id() if hasattr(threading, "get_native_id") else None
        getter = getattr(time, "pthread_getcpuclockid", None)
        if getter is not None:
            try:
                self.clock = getter(threading.get_ident())
            except OSError:
                self.clock = None
        self.started = time.monotonic()

    def finish(self):
        self.final_cpu = time.thread_time()
        self.ended = time.monotonic()

    def cpu_now(self, fallback):
        """This thread's CPU seconds so far, from the kernel."""
        if self.final_cpu is not None:
            return self.final_cpu
        if self.clock is not None:
            try:
                self.last_cpu = time.clock_gettime(self.clock)
                return self.last_cpu
            except OSError:  # the thread has just exited
                return self.final_cpu if self.final_cpu is not None else self.last_cpu
        if fallback is not None and self.tid in fallback:
            self.last_cpu = fallback[self.tid]
        return self.last_cpu

    def io_now(self, now):
        done, since = self.io_state
        if since is not None:
            done += min(max(now - since, 0.0), self.io_ms / 1000.0)
        return done


def cpu_worker(lane, go, until_box, gap):
    """A CPU-bound thread: work units until the deadline; counts its pauses (a gap between
    two units much longer than a unit: the thread was stopped, waiting for the lock)."""
    lane.bind()
    go.wait()
    work_loop(lane, until_box[0], gap)
    lane.finish()


def work_loop(lane, until, gap):
    """Work units until the deadline, counted in lane.units as they are done (the same loop
    for the baseline, the threads and the processes)."""
    units = pauses = 0
    last = time.monotonic()
    while last < until:
        work_unit(units)
        units += 1
        lane.units = units
        now = time.monotonic()
        if now - last > gap:
            pauses += 1
        last = now
    lane.pauses = pauses


def io_worker(lane, go, until_box, io_ms):
    """An I/O-bound thread: sleep io_ms (the GIL released), then a little Python work. Its
    latency: how much longer than io_ms it took from asking to sleep to running Python again."""
    lane.bind()
    lane.io_ms = io_ms
    go.wait()
    until = until_box[0]
    io = io_ms / 1000.0
    done = 0.0
    n = 0
    while time.monotonic() < until:
        asked = time.monotonic()
        lane.io_state = (done, asked)
        time.sleep(io)
        back = time.monotonic()
        done += min(back - asked, io)
        lane.io_state = (done, None)
        lane.latencies.append(max(back - asked - io, 0.0) * 1000.0)
        work_unit(n)
        n += 1
    lane.finish()


def run_threads_alone(target, lane, seconds, *args):
    """One thread, alone in this process but for the main thread waiting in join()."""
    go = threading.Event()
    until_box = [0.0]
    thread = threading.Thread(target=target, args=(lane, go, until_box) + args, daemon=True)
    thread.start()
    start = time.monotonic()
    until_box[0] = start + seconds
    go.set()
    thread.join()
    return max((lane.ended or time.monotonic()) - start, 1e-9)


# --- lanes from samples ------------------------------------------------------------------------


def interpolate(times, values, at):
    """A cumulative counter at time `at`, linear between samples."""
    if at <= times[0]:
        return values[0]
    if at >= times[-1]:
        return values[-1]
    lo, hi = 0, len(times) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if times[mid] <= at:
            lo = mid
        else:
            hi = mid
    span = times[hi] - times[lo]
    if span <= 0:
        return values[hi]
    return values[lo] + (values[hi] - values[lo]) * (at - times[lo]) / span


class Timeline:
    """Samples of every lane's CPU (and I/O) time, turned into 50 ms slots."""

    def __init__(self, start, lanes, shared_lock):
        self.start = start
        self.lanes = lanes
        self.shared_lock = shared_lock
        self.times = [start]
        self._cache = {}

    def add(self, now, cpus, ios, alive):
        self.times.append(now)
        for lane, cpu, io, up in zip(self.lanes, cpus, ios, alive):
            lane.cpu_samples.append(max(cpu, lane.cpu_samples[-1]))
            lane.io_samples.append(max(io, lane.io_samples[-1]))
            lane.alive_samples.append(up)

    def slots(self):
        """Full slots sampled so far."""
        return int((self.times[-1] - self.start) / SLOT + 1e-9)

    def _lane_slot(self, lane, k):
        """(finished, CPU seconds, I/O seconds) of one lane in slot k."""
        a = self.start + k * SLOT
        b = a + SLOT
        mid = a + SLOT / 2
        if lane.ended is not None and lane.ended <= mid:
            return True, 0.0, 0.0
        if lane.pid is not None:
            # A process: gone once /proc says so.
            i = bisect.bisect_left(self.times, mid)
            if i < len(self.times) and not lane.alive_samples[i]:
                return True, 0.0, 0.0
        cpu = interpolate(self.times, lane.cpu_samples, b) - interpolate(
            self.times, lane.cpu_samples, a
        )
        io = interpolate(self.times, lane.io_samples, b) - interpolate(
            self.times, lane.io_samples, a
        )
        return False, cpu, io

    def slot(self, k):
        """The lane characters of slot k, and which lane held the lock most of it (or None).

        Under a shared lock only one thread runs at a time: the one that used the most CPU in
        the slot held the lock for most of it ('H'); the others waited ('W'), unless they were
        asleep in I/O for at least half of it ('I'). With no lock to share, a live worker
        runs ('R')."""
        if k in self._cache:
            return self._cache[k]
        parts = [self._lane_slot(lane, k) for lane in self.lanes]
        holder, most = None, SLOT / 10
        if self.shared_lock:
            for i, (done, cpu, io) in enumerate(parts):
                if not done and cpu > most and not (self.lanes[i].io and io >= SLOT / 2):
                    holder, most = i, cpu
        states = []
        for i, (done, cpu, io) in enumerate(parts):
            if done:
                states.append(".")
            elif self.lanes[i].io and io >= SLOT / 2:
                states.append("I")
            elif not self.shared_lock:
                states.append("R")
            elif i == holder or cpu >= SLOT / 2:
                states.append("H")
            else:
                states.append("W")
        answer = (states, holder)
        if len(self.times) > 2 and self.start + (k + 1) * SLOT <= self.times[-2]:
            self._cache[k] = answer
        return answer

    def lanes_view(self):
        n = self.slots()
        first = max(0, n - WINDOW_SLOTS)
        rows = [self.slot(k)[0] for k in range(first, n)]
        lanes = [
            {"label": lane.label, "states": "".join(row[i] for row in rows)}
            for i, lane in enumerate(self.lanes)
        ]
        return {"kind": "lanes", "slot_ms": 50, "legend": LEGEND, "lanes": lanes, "merge": True}

    def switches(self):
        """How often the lock's holder (the thread that ran most of a slot) changed from one
        slot to the next: the kernel's view, at 50 ms."""
        if not self.shared_lock:
            return 0
        changes = 0
        previous = None
        for k in range(self.slots()):
            holder = self.slot(k)[1]
            if holder is not None:
                if previous is not None and holder != previous:
                    changes += 1
                previous = holder
        return changes


# --- the modes ---------------------------------------------------------------------------------


def run_threads(ctx, p, shared_lock, gap):
    workers, io_threads = p["workers"], p["io_threads"]
    lanes = [Lane("thread {}".format(i + 1)) for i in range(workers)]
    lanes += [Lane("io {}".format(i + 1), io=True) for i in range(io_threads)]
    go = threading.Event()
    until_box = [0.0]
    threads = []
    for lane in lanes:
        if lane.io:
            args = (lane, go, until_box, p["io_ms"])
            target = io_worker
        else:
            args = (lane, go, until_box, gap)
            target = cpu_worker
        threads.append(threading.Thread(target=target, args=args, daemon=True))
    for thread in threads:
        thread.start()
    while any(lane.started is None for lane in lanes):
        time.sleep(0.001)
    fallback_needed = any(lane.clock is None for lane in lanes)
    cpu_before = time.process_time()
    start = time.monotonic()
    until_box[0] = start + p["duration_s"]
    timeline = Timeline(start, lanes, shared_lock)
    go.set()

    k = 0
    while True:
        k += 1
        target = start + k * SLOT
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = time.monotonic()
        fallback = lp.thread_cpu_seconds() if fallback_needed else None
        cpus = [lane.cpu_now(fallback) for lane in lanes]
        ios = [lane.io_now(now) for lane in lanes]
        timeline.add(now, cpus, ios, [True] * len(lanes))
        finished = all(lane.ended is not None for lane in lanes)
        if k % REPORT_SLOTS == 0 or finished:
            ctx.view("lanes", timeline.lanes_view())
            elapsed = now - start
            units = sum(lane.units for lane in lanes if not lane.io)
            ctx.progress(
                "{:.1f} s: {} work units a second, {}".format(
                    elapsed,
                    group(units / max(elapsed, 1e-9)),
                    "{} switches seen by the kernel".format(group(timeline.switches()))
                    if shared_lock
                    else "no lock to switch",
                ),
                min(elapsed, p["duration_s"]) * 10,
                p["duration_s"] * 10,
            )
        if finished:
            break
    for thread in threads:
        thread.join()
    end = max(lane.ended for lane in lanes)
    # One more sample past the end, so the last slot shows who finished.
    time.sleep(max(0.0, end + SLOT - time.monotonic()))
    now = time.monotonic()
    timeline.add(now, [lane.final_cpu for lane in lanes], [lane.io_now(now) for lane in lanes],
                 [False] * len(lanes))
    ctx.view("lanes", timeline.lanes_view())
    seconds = end - start
    shares = []
    for lane in lanes:
        running = lane.final_cpu / seconds
        io = lane.io_now(end) / seconds
        alive = (lane.ended - max(lane.started, start)) / seconds
        waiting = max(alive - running - io, 0.0) if shared_lock else 0.0
        shares.append((lane.label, min(running, 1.0), waiting, io))
    return {
        "units": sum(lane.units for lane in lanes if not lane.io),
        "seconds": seconds,
        "switches": timeline.switches(),
        "shares": shares,
        "io_latencies": [ms for lane in lanes if lane.io for ms in lane.latencies],
        "cores_busy": (time.process_time() - cpu_before) / seconds,
        "pauses": sum(lane.pauses for lane in lanes if not lane.io),
    }


def process_worker(index, parent, method, go_read, go_write, result, seconds, switch, gap):
    """One worker process: its own interpreter and its own GIL, nobody to share it with."""
    lp.die_with_parent(None if method == "forkserver" else parent)
    go_write.close()  # our copy would keep the start signal from ever arriving
    sys.setswitchinterval(switch)
    try:
        go_read.recv_bytes()
    except EOFError:
        pass  # the parent closed the pipe: go
    lane = Lane("process {}".format(index + 1))
    start = time.monotonic()
    cpu0 = time.process_time()
    work_loop(lane, start + seconds, gap)
    end = time.monotonic()
    result.send((index, lane.units, time.process_time() - cpu0, start, end))
    result.close()


def process_start_method():
    """fork where there is one: it starts nothing but the workers (spawn and the forkserver
    also start multiprocessing's resource tracker, and the forkserver itself), and the start
    method does not change what this mode shows: one interpreter lock per process."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else (
        multiprocessing.get_start_method()
    )


def run_processes(ctx, p, gap):
    workers = p["workers"]
    method = process_start_method()
    mp = multiprocessing.get_context(method)
    go_read, go_write = mp.Pipe(duplex=False)
    lanes = [Lane("process {}".format(i + 1)) for i in range(workers)]
    procs, readers = [], []
    try:
        for i, lane in enumerate(lanes):
            reader, writer = mp.Pipe(duplex=False)
            proc = mp.Process(
                target=process_worker,
                args=(i, os.getpid(), method, go_read, go_write, writer, p["duration_s"],
                      p["switch_ms"] / 1000.0, gap),
                name=lane.label,
                daemon=True,
            )
            proc.start()
            writer.close()
            ctx.count_started()
            ctx.process(proc.pid, os.getpid(), lane.label)
            lane.pid = proc.pid
            procs.append(proc)
            readers.append(reader)
        go_read.close()
        start = time.monotonic()
        for lane in lanes:
            lane.started = start
        go_write.close()  # every worker's recv now sees end of file: go
        # The baseline is over: say so, or its message stays up through the main phase.
        ctx.progress("{} working, each with an interpreter lock of its own".format(
            count(workers, "process", "processes")), 0, p["duration_s"] * 10)
        timeline = Timeline(start, lanes, False)
        reports = {}
        deadline = start + p["duration_s"] + 30
        k = 0
        while len(reports) < workers:
            k += 1
            delay = start + k * SLOT - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            now = time.monotonic()
            cpus, alive = [], []
            for lane in lanes:
                cpu, up = process_cpu_seconds(lane.pid)
                cpus.append(cpu if cpu is not None else lane.cpu_samples[-1])
                alive.append(up)
            timeline.add(now, cpus, [0.0] * workers, alive)
            for i, reader in enumerate(readers):
                if i not in reports and reader.poll(0):
                    try:
                        reports[i] = reader.recv()
                    except EOFError:
                        raise RuntimeError("worker process {} ended without reporting".format(i + 1))
                    lanes[i].ended = reports[i][4]
            if k % REPORT_SLOTS == 0 or len(reports) == workers:
                ctx.view("lanes", timeline.lanes_view())
                elapsed = min(now - start, p["duration_s"])
                ctx.progress(
                    "{:.1f} s: {} working, each with its own interpreter lock".format(
                        elapsed, count(workers - len(reports), "process", "processes")),
                    elapsed * 10,
                    p["duration_s"] * 10,
                )
            if now > deadline:
                raise RuntimeError("a worker process never reported")
        for proc, lane in zip(procs, lanes):
            proc.join(10)
            if proc.exitcode is None:
                proc.kill()
                proc.join()
            ctx.exited(proc.pid, lane.label, proc.exitcode)
        # One more sample past the end, so the last slot shows who finished.
        end = max(r[4] for r in reports.values())
        time.sleep(max(0.0, end + SLOT - time.monotonic()))
        timeline.add(time.monotonic(), [lane.cpu_samples[-1] for lane in lanes],
                     [0.0] * workers, [False] * workers)
        ctx.view("lanes", timeline.lanes_view())
        ctx.progress("all worker processes reported")
    finally:
        for proc in procs:
            if proc.exitcode is None:
                proc.kill()
                proc.join()
    seconds = max(end - start, 1e-9)
    shares = []
    cpu_total = 0.0
    for i, lane in enumerate(lanes):
        _, units, cpu, began, ended = reports[i]
        cpu_total += cpu
        shares.append((lane.label, min(cpu / max(ended - began, 1e-9), 1.0), 0.0, 0.0))
    return {
        "units": sum(r[1] for r in reports.values()),
        "seconds": seconds,
        "switches": 0,
        "shares": shares,
        "io_latencies": [],
        "cores_busy": cpu_total / seconds,
        "pauses": 0,
        "method": method,
    }


# --- the demo ----------------------------------------------------------------------------------


def baseline_rate():
    """Work units per second of one worker thread alone."""
    lane = Lane("baseline")
    seconds = run_threads_alone(cpu_worker, lane, BASE_SECONDS, 1.0)
    return lane.units / seconds if seconds > 0 else 0.0


def baseline(ctx, before, after):
    """The mean of the baseline measured before and after the run: a machine that slows down
    or speeds up meanwhile moves both sides of the speedup, not one. Reports how far apart
    the two were."""
    mean = (before + after) / 2.0
    ctx.result("base_units_per_s", mean)
    drift = 100.0 * abs(after - before) / mean if mean > 0 else 0.0
    ctx.result("baseline_drift_pct", drift)
    if drift > 10.0:
        ctx.note(
            "info",
            "One worker alone ran {:.0f}% faster or slower after the run than before it: "
            "something else used this machine meanwhile, so the speedup is less sure than "
            "usual.".format(drift),
        )
    return mean


def main(ctx):
    params = ctx.params
    p = {
        "mode": str(params.get("mode", "gil")),
        "workers": max(1, int(params.get("workers", os.cpu_count() or 1))),
        "duration_s": max(0.1, float(params.get("duration_s", 4))),
        "switch_ms": max(0.001, float(params.get("switch_ms", 5))),
        "io_threads": max(0, int(params.get("io_threads", 0))),
        "io_ms": max(0.1, float(params.get("io_ms", 5))),
    }
    if p["mode"] not in ("gil", "nogil", "processes"):
        raise ValueError("mode must be gil, nogil or processes, not {!r}".format(p["mode"]))
    sys.setswitchinterval(p["switch_ms"] / 1000.0)
    switch_shown = "{:g}".format(p["switch_ms"])
    n = p["workers"]
    threads = count(n, "thread", "threads")
    has_gil = gil_enabled()
    mode = p["mode"]
    shared_lock = mode != "processes" and has_gil

    if mode == "processes":
        ctx.note(
            "info",
            "{}, each with an interpreter lock of its own that nobody else wants (started "
            "with multiprocessing's {} start method).".format(
                count(n, "process", "processes"), process_start_method()
            ),
        )
    elif mode == "nogil" and has_gil:
        ctx.note(
            "differs",
            "mode=nogil needs a free-threaded CPython (python3.13t or python3.14t, GIL off). "
            "This is {} {}, which has a GIL: these {} still share one interpreter lock and take "
            "turns, so what follows is the GIL's behaviour, not free threading's. On a "
            "free-threaded build the same threads run in parallel.".format(
                "CPython", sys.version.split()[0], threads
            ),
        )
    elif mode == "gil" and not has_gil:
        ctx.note(
            "differs",
            "This CPython is a free-threaded build running with the GIL off, so the threads "
            "share no lock and run in parallel. To see the lock, run a regular build (or this "
            "one with -X gil=1).",
        )
    elif mode == "nogil":
        ctx.note("info", "{} with no interpreter lock: a free-threaded CPython with the GIL off."
                 .format(threads))
    elif n == 1:
        ctx.note(
            "info",
            "One thread under the interpreter lock (switch interval {} ms): with nobody to share "
            "it with, it never waits.".format(switch_shown),
        )
    else:
        ctx.note(
            "info",
            "{} share one interpreter lock (switch interval {} ms): only the holder runs; the "
            "others wait, then ask it to let go.".format(threads, switch_shown),
        )

    ctx.progress("measuring one worker alone: the baseline for the speedup")
    before = baseline_rate()

    io_alone = None
    if p["io_threads"] > 0:
        ctx.progress("measuring an I/O thread alone: its lock latency without competition")
        io_lane = Lane("io alone", io=True)
        run_threads_alone(io_worker, io_lane, IO_ALONE_SECONDS, p["io_ms"])
        io_alone = median(io_lane.latencies)
        ctx.result("io_latency_alone_ms", io_alone)
        if mode == "processes":
            ctx.note(
                "info",
                "In mode=processes each worker has an interpreter lock of its own, so no I/O "
                "thread waits behind them: the I/O threads run only beside threads.",
            )

    # A pause: a gap between two work units far longer than one unit takes.
    gap = max(0.0005, 5.0 / max(before, 1.0))
    if mode == "processes":
        outcome = run_processes(ctx, p, gap)
    else:
        outcome = run_threads(ctx, p, shared_lock, gap)
    ctx.progress("measuring one worker alone again: the baseline after the run")
    base_rate = baseline(ctx, before, baseline_rate())
    ctx.result("gil_enabled", has_gil)

    seconds = outcome["seconds"]
    rate = outcome["units"] / seconds if seconds > 0 else 0.0
    speedup = rate / base_rate if base_rate > 0 else 0.0
    ctx.result("work_units", outcome["units"])
    ctx.result("units_per_s", rate)
    ctx.result("speedup", speedup)
    ctx.result("switches_per_s", outcome["switches"] / seconds if seconds > 0 else 0.0)
    ctx.result("cores_busy", outcome["cores_busy"])
    ctx.result("workers", n)
    for label, running, waiting, io in outcome["shares"]:
        key = label.replace(" ", "_")
        ctx.result("share_running_" + key, running)
        ctx.result("share_waiting_" + key, waiting)
        if io > 0:
            ctx.result("share_io_" + key, io)
    convoy = None
    if outcome["io_latencies"]:
        latency = median(outcome["io_latencies"])
        ctx.result("io_latency_ms", latency)
        if io_alone is not None:
            convoy = (latency, io_alone)
    if shared_lock:
        ctx.note(
            "info",
            "CPython does not expose GIL hand-overs, so switches_per_s is the kernel's view: how "
            "often the thread that used most of a 50 ms slot's CPU changed, {:.1f} a second (at "
            "most 20). The lock itself can change hands every switch interval ({} ms); the "
            "workers were stopped mid-work {} times a second, each time waiting for it."
            .format(outcome["switches"] / seconds, switch_shown,
                    group(outcome["pauses"] / seconds)),
        )

    # The convoy variant's finding is the I/O thread's wait, not the workers' speedup.
    if convoy is not None and shared_lock:
        ctx.headline(
            "The I/O thread waited {:.2f} ms for the lock per operation, against {:.2f} ms "
            "alone: a CPU-bound thread keeps the lock for a switch interval ({} ms).".format(
                convoy[0], convoy[1], switch_shown),
            "bad",
        )
        return
    if convoy is not None:
        ctx.headline(
            "No shared lock, no convoy: each I/O operation came back {:.2f} ms late beside the "
            "workers, against {:.2f} ms alone.".format(convoy[0], convoy[1]),
            "good",
        )
        return
    if mode == "processes":
        what, tone = "{} of their own".format(count(n, "process", "processes")), "good"
    elif shared_lock and n > 1:
        what = "{} under one lock".format(threads)
        if mode == "nogil":
            what += " (no free-threaded build here)"
        tone = "bad" if speedup < 1.3 else "good"
    elif shared_lock:
        what, tone = "{} under the lock".format(threads), "accent"
    else:
        what, tone = "{} with no lock".format(threads), "good"
    ctx.headline(
        "{}: {:.2f}\u00d7 the work of one worker alone, {:.2f} cores busy.".format(
            what, speedup, outcome["cores_busy"]
        ),
        tone,
    )


if __name__ == "__main__":
    lp.run(NAME, main)
