"""`io-bound` on CPython: `tasks` waits on a slow server, four ways (one after another, a
ThreadPoolExecutor, a ProcessPoolExecutor, one asyncio event loop), then the same count of CPU
tasks sequentially, with the threads and with the processes. The server is a process of its
own (asyncio) listening on a Unix socket in the run's private TMPDIR; it answers every request
`io_ms` after it came, all of them concurrently. Each way's memory (PSS) is read from the
kernel while it is alive. With `hybrid`, an event loop does the waits and hands each reply's
CPU work to the process pool through loop.run_in_executor."""

import asyncio
import concurrent.futures
import ctypes
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "io-bound"

#: How long a process may take to be ready (the server, the pool's workers).
READY_TIMEOUT = 20.0

#: A request may take this long beyond io_ms before the demo gives up on it.
IO_TIMEOUT = 30.0

#: The longest path a Unix socket address holds (sun_path, with its final NUL).
SUN_PATH_MAX = 107

#: How long each warm-up task holds its worker, so every worker of a pool gets started.
WARM_UP_S = 0.05


# --- the server and the tasks (top level, so a spawn/forkserver child can import them) ---------



#: How often a sequential phase says how far it has got.
PROGRESS_EVERY_S = 0.25


def say_progress(ctx, what, done, tasks, t0, shown, step, steps):
    """Every PROGRESS_EVERY_S of a sequential phase (step `step` of `steps` on), says how
    many tasks are done, so its seconds at 0% CPU read as waiting, not as a hang; returns
    when it last said so."""
    now = time.perf_counter()
    if now - shown < PROGRESS_EVERY_S and done < tasks:
        return shown
    ctx.progress("{}: {} of {} one after another, {:.1f} s so far".format(
        what, group(done), count(tasks, "task", "tasks"), now - t0),
        step * 1000 + done * 1000 // tasks, steps * 1000)
    return now


def serve(parent, directory, path, io_s, backlog, control):
    """The I/O server: answers each line with "ok <line>" io_s after it came, every request
    at once; stops when the demo says so on `control`."""
    lp.die_with_parent(parent)
    # Should the demo be killed before it removes the socket, the server removes it: its
    # parent-death signal becomes SIGTERM, which removes the socket's directory, then ends the
    # server as SIGTERM does. (When lectern stops a run, everything gets SIGKILL and lectern
    # removes the run's TMPDIR.)

    def on_term(signum, frame):
        shutil.rmtree(directory, ignore_errors=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_term)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if parent is not None and os.getppid() != parent:
        on_term(signal.SIGTERM, None)
    asyncio.run(serve_async(path, io_s, backlog, control))


async def serve_async(path, io_s, backlog, control):
    loop = asyncio.get_running_loop()

    async def answer(reader, writer):
        try:
            line = await reader.readline()
            await asyncio.sleep(io_s)
            writer.write(b"ok " + line)
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_unix_server(answer, path=path, backlog=backlog)
    stop = loop.create_future()

    def readable():
        loop.remove_reader(control.fileno())
        if not stop.done():
            stop.set_result(None)

    loop.add_reader(control.fileno(), readable)
    control.send("ready")
    await stop
    server.close()


#: Where the server listens; set in this process by main() and in each pool worker by the
#: initializer (a spawn or forkserver worker does not inherit it).
SOCKET_PATH = None

#: Seconds the demo waits for one reply at most.
REPLY_TIMEOUT = IO_TIMEOUT


def io_task(index):
    """One I/O task: connect, send a line, block until the reply; returns the index."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(REPLY_TIMEOUT)
        s.connect(SOCKET_PATH)
        s.sendall(b"%d\n" % index)
        reply = b""
        while not reply.endswith(b"\n"):
            data = s.recv(256)
            if not data:
                break
            reply += data
    if reply != b"ok %d\n" % index:
        raise RuntimeError("task {}: the server replied {!r}".format(index, reply))
    return index


def cpu_task(seconds):
    """One CPU task: spins `seconds` on its thread's CPU clock."""
    lp.busy(seconds)
    return seconds


def hold(seconds):
    """A warm-up task: keeps its worker busy (asleep) so the next one starts another."""
    time.sleep(seconds)
    return os.getpid()


def init_worker(parent, path, reply_timeout, ready):
    """Process pool initializer: die with the demo first, learn the server's address, say it
    is ready."""
    global SOCKET_PATH, REPLY_TIMEOUT
    lp.die_with_parent(parent)
    SOCKET_PATH = path
    REPLY_TIMEOUT = reply_timeout
    ready.release()


# --- helpers -----------------------------------------------------------------------------------


def ms_text(value):
    return "{} ms".format(group(value)) if value >= 10 else "{:.1f} ms".format(value)


def pss_mb(pid):
    return lp.mib(lp.rss_pss(pid)[1])


def since(t0):
    return (time.perf_counter() - t0) * 1000.0


async def async_io(path, tasks, timeout):
    """Every task on one event loop, gathered; returns (ms, this process's PSS in MiB at the
    end, still inside the loop)."""

    async def one(index):
        reader, writer = await asyncio.open_unix_connection(path)
        try:
            writer.write(b"%d\n" % index)
            await writer.drain()
            reply = await reader.readline()
        finally:
            writer.close()
        if reply != b"ok %d\n" % index:
            raise RuntimeError("task {}: the server replied {!r}".format(index, reply))
        return index

    t0 = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(tasks))), timeout)
    ms = since(t0)
    return ms, pss_mb(os.getpid())


async def hybrid(path, tasks, seconds, executor, timeout):
    """The slide's hybrid: the loop does the waits, the process pool each reply's CPU work."""
    loop = asyncio.get_running_loop()

    async def one(index):
        reader, writer = await asyncio.open_unix_connection(path)
        try:
            writer.write(b"%d\n" % index)
            await writer.drain()
            reply = await reader.readline()
        finally:
            writer.close()
        if reply != b"ok %d\n" % index:
            raise RuntimeError("task {}: the server replied {!r}".format(index, reply))
        return await loop.run_in_executor(executor, cpu_task, seconds)

    t0 = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(tasks))), timeout)
    return since(t0)


def show(ctx, r, p):
    """The slide's decision table, with what is measured so far."""
    tasks, threads, workers = p["tasks"], p["threads"], p["workers"]

    def time_cell(key):
        return ms_text(r[key]) if key in r else "\u2026"

    def mem_cell(key):
        # Just the number: who was alive (processes, threads) is in the caption and a note,
        # so the column fits beside a slide.
        return "{:.1f} MiB".format(r[key]) if key in r else "\u2026"

    io_rows = [
        ("sequential", "sequential_ms", mem_cell("sequential_pss_mb")),
        ("threads", "threads_ms", mem_cell("threads_pss_mb")),
        ("processes", "processes_ms", mem_cell("processes_pss_mb")),
        ("asyncio", "async_ms", mem_cell("async_pss_mb")),
    ]
    cpu_rows = [
        ("sequential", "cpu_sequential_ms"),
        ("threads", "cpu_threads_ms"),
        ("processes", "cpu_processes_ms"),
    ]
    rows, tones = [], []
    io_best = min((r[k], m) for m, k, _ in io_rows if k in r) if any(
        k in r for _, k, _ in io_rows) else None
    cpu_best = min((r[k], m) for m, k in cpu_rows if k in r) if any(
        k in r for _, k in cpu_rows) else None
    for model, key, memory in io_rows:
        rows.append(["I/O-bound", model, time_cell(key), memory])
        tones.append("good" if io_best and key in r and io_best[1] == model else "normal")
    for model, key in cpu_rows:
        rows.append(["CPU-bound", model, time_cell(key), "\u2014"])
        tones.append("good" if cpu_best and key in r and cpu_best[1] == model else "normal")
    if p["hybrid"]:
        rows.append(["I/O + CPU", "asyncio + processes", time_cell("hybrid_ms"), "\u2014"])
        tones.append("normal")
    ctx.view("decision", {
        "kind": "table",
        "columns": ["workload", "model", "time", "PSS"],
        "rows": rows,
        "tones": tones,
        "caption": "{} of {} ms each; time for all of them; PSS of this process ({}) "
                   "and of its {} while each way was alive; the server not counted".format(
                       count(tasks, "task", "tasks"), group(p["io_ms"]),
                       count(threads, "thread", "threads"),
                       count(workers, "pool worker", "pool workers")),
    })


class ProcessPool:
    """A ProcessPoolExecutor of `workers` processes, all started and ready before any
    measured run, its workers named "pool worker N"."""

    def __init__(self, ctx, mp, workers, parent, path):
        self.ctx = ctx
        self.procs = {}
        ready = mp.Semaphore(0)
        self.executor = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=mp, initializer=init_worker,
            initargs=(parent, path, REPLY_TIMEOUT, ready))
        try:
            # Workers start as tasks are submitted (all at once, or one per submit that finds
            # no idle worker, by version and start method): one warm-up task per worker, each
            # holding its worker a moment.
            warm = [self.executor.submit(hold, WARM_UP_S) for _ in range(workers)]
            self.see()
            for _ in range(workers):
                if not ready.acquire(timeout=READY_TIMEOUT):
                    raise RuntimeError("the pool's workers were not ready in {:.0f} s".format(
                        READY_TIMEOUT))
            concurrent.futures.wait(warm, READY_TIMEOUT)
            self.see()
        except BaseException:
            self.close()
            raise

    def see(self):
        for pid, proc in sorted((getattr(self.executor, "_processes", None) or {}).items()):
            if pid not in self.procs:
                role = "pool worker {}".format(len(self.procs) + 1)
                self.procs[pid] = (proc, role)
                self.ctx.count_started()
                self.ctx.process(pid, os.getpid(), role)

    def pss_mb(self):
        return sum(pss_mb(pid) for pid in self.procs)

    def close(self):
        self.see()
        self.executor.shutdown(wait=True)
        for pid, (proc, role) in sorted(self.procs.items()):
            proc.join(5)
            if proc.exitcode is None:
                proc.kill()
                proc.join()
            self.ctx.exited(pid, role, proc.exitcode)


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    global SOCKET_PATH, REPLY_TIMEOUT
    p = ctx.params
    tasks = max(1, int(p.get("tasks", 100)))
    io_ms = max(0, int(p.get("io_ms", 20)))
    workers = max(1, int(p.get("workers", 8)))
    threads = max(1, int(p.get("threads", 32)))
    hybrid_on = bool(p.get("hybrid", False))
    p = dict(tasks=tasks, io_ms=io_ms, workers=workers, threads=threads, hybrid=hybrid_on)
    io_s = io_ms / 1000.0
    me = os.getpid()
    mp = multiprocessing.get_context()
    method = mp.get_start_method()
    parent = None if method == "forkserver" else me
    REPLY_TIMEOUT = IO_TIMEOUT + io_s
    # Sequentially the waits add up: the run gives up well after that.
    timeout = IO_TIMEOUT + 2.0 * tasks * io_s
    r = {}
    steps = 6

    directory = tempfile.mkdtemp(prefix="lectern-io-")
    path = os.path.join(directory, "server.sock")
    abstract = len(path.encode()) > SUN_PATH_MAX
    if abstract:
        # TMPDIR is too deep for a socket's address: an abstract one (Linux), no file.
        path = "\0lectern-io-{}-{}".format(os.environ.get("LECTERN_RUN_ID", ""), me)
    SOCKET_PATH = path

    control, server_end = mp.Pipe()
    server = None
    pool = None
    try:
        ctx.progress("starting the I/O server", 0, steps)
        server = mp.Process(target=serve, name="io server",
                            args=(parent, directory, path, io_s, max(128, tasks),
                                  server_end))
        server.start()
        server_end.close()
        ctx.count_started()
        ctx.process(server.pid, me, "io server")
        if not control.poll(READY_TIMEOUT) or control.recv() != "ready":
            raise RuntimeError("the I/O server was not ready in {:.0f} s".format(
                READY_TIMEOUT))
        ctx.note("info", "The I/O server (pid {}, asyncio) listens on {} and answers each "
                 "request {} ms after it came, all of them at once. An I/O task connects, "
                 "sends a line and blocks until the reply; a CPU task spins {} ms on its "
                 "CPU clock. Pools are started before they are timed.".format(
                     server.pid, "an abstract Unix socket (TMPDIR is too deep for a path)"
                     if abstract else "a Unix socket in this run's TMPDIR", group(io_ms),
                     group(io_ms)))

        # 1. One after another, in this thread.
        ctx.progress("I/O: {} one after another".format(count(tasks, "task", "tasks")), 1,
                     steps)
        t0 = time.perf_counter()
        shown = t0
        for i in range(tasks):
            io_task(i)
            shown = say_progress(ctx, "I/O", i + 1, tasks, t0, shown, 1, steps)
        r["sequential_ms"] = since(t0)
        r["sequential_pss_mb"] = pss_mb(me)
        show(ctx, r, p)

        # 2. Threads: the I/O tasks, the memory while the threads are alive, the CPU tasks.
        ctx.progress("threads: {} in a ThreadPoolExecutor".format(
            count(threads, "thread", "threads")), 2, steps)
        with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as ex:
            # Threads start as tasks are submitted: started first, so none is timed.
            list(ex.map(hold, [WARM_UP_S / 5.0] * threads))
            t0 = time.perf_counter()
            list(ex.map(io_task, range(tasks), timeout=timeout))
            r["threads_ms"] = since(t0)
            r["threads_pss_mb"] = pss_mb(me)
            show(ctx, r, p)
            t0 = time.perf_counter()
            list(ex.map(cpu_task, [io_s] * tasks, timeout=timeout))
            r["cpu_threads_ms"] = since(t0)
        show(ctx, r, p)

        # 3. Processes: the same, and the hybrid on the same pool.
        ctx.progress("processes: a ProcessPoolExecutor of {}".format(
            count(workers, "worker", "workers")), 3, steps)
        pool = ProcessPool(ctx, mp, workers, parent, path)
        t0 = time.perf_counter()
        list(pool.executor.map(io_task, range(tasks), timeout=timeout))
        r["processes_ms"] = since(t0)
        r["processes_pss_mb"] = pss_mb(me) + pool.pss_mb()
        show(ctx, r, p)
        t0 = time.perf_counter()
        list(pool.executor.map(cpu_task, [io_s] * tasks, timeout=timeout))
        r["cpu_processes_ms"] = since(t0)
        show(ctx, r, p)
        if hybrid_on:
            ctx.progress("hybrid: one event loop waits, the process pool computes", 3, steps)
            r["hybrid_ms"] = asyncio.run(hybrid(path, tasks, io_s, pool.executor, timeout))
            show(ctx, r, p)
        pool.see()
        closing, pool = pool, None
        closing.close()

        # 4. One event loop, every wait at once.
        ctx.progress("asyncio: {} on one event loop".format(count(tasks, "task", "tasks")), 4,
                     steps)
        r["async_ms"], r["async_pss_mb"] = asyncio.run(async_io(path, tasks, timeout))
        show(ctx, r, p)

        # 5. The CPU tasks in this thread.
        ctx.progress("CPU: {} one after another".format(count(tasks, "task", "tasks")), 5,
                     steps)
        t0 = time.perf_counter()
        shown = t0
        for i in range(tasks):
            cpu_task(io_s)
            shown = say_progress(ctx, "CPU", i + 1, tasks, t0, shown, 5, steps)
        r["cpu_sequential_ms"] = since(t0)
        show(ctx, r, p)
        ctx.progress("done", steps, steps)

        control.send("stop")
        server.join(5)
    finally:
        if pool is not None:
            pool.close()
        if server is not None:
            if server.exitcode is None:
                server.kill()
            server.join()
            ctx.exited(server.pid, "io server", server.exitcode)
        control.close()
        shutil.rmtree(directory, ignore_errors=True)

    for key in ("sequential_ms", "threads_ms", "processes_ms", "async_ms", "threads_pss_mb",
                "processes_pss_mb", "async_pss_mb", "cpu_sequential_ms", "cpu_threads_ms",
                "cpu_processes_ms"):
        ctx.result(key, r[key])
    if hybrid_on:
        # Only a run that did the hybrid has its time: no placeholder zero otherwise.
        ctx.result("hybrid_ms", r["hybrid_ms"])

    threads_pss = r["threads_pss_mb"]
    ratio = r["processes_pss_mb"] / threads_pss if threads_pss > 0 else 0.0
    if hybrid_on:
        # The hybrid variant's finding is its own time against doing both one after the other.
        both = r["sequential_ms"] + r["cpu_sequential_ms"]
        ctx.headline("The hybrid took {}: one event loop waited while {} computed, against {} "
                     "one after the other ({} of waits, then {} of CPU).".format(
                         ms_text(r["hybrid_ms"]), count(workers, "process", "processes"),
                         ms_text(both), ms_text(r["sequential_ms"]),
                         ms_text(r["cpu_sequential_ms"])),
                     "good" if r["hybrid_ms"] < both else "bad")
    else:
        ctx.headline("{} of {} ms: asyncio {}, {} {}, {} {} (and {:.1f}\u00d7 the memory of "
                     "the threads), sequentially {}.".format(
                         count(tasks, "wait", "waits"), group(io_ms), ms_text(r["async_ms"]),
                         count(threads, "thread", "threads"), ms_text(r["threads_ms"]),
                         count(workers, "process", "processes"), ms_text(r["processes_ms"]),
                         ratio, ms_text(r["sequential_ms"])), "accent")

    # The slide's table, against what was measured.
    if r["async_ms"] > 1.5 * r["threads_ms"]:
        ctx.note("differs", "The slide puts high-concurrency I/O on async/await; here asyncio "
                 "took {} and {} {}: with {} the threads were not yet the limit.".format(
                     ms_text(r["async_ms"]), count(threads, "thread", "threads"),
                     ms_text(r["threads_ms"]), count(tasks, "wait", "waits")))
    cpu_seq, cpu_thr, cpu_proc = (r["cpu_sequential_ms"], r["cpu_threads_ms"],
                                  r["cpu_processes_ms"])
    gil = not (hasattr(sys, "_is_gil_enabled") and not sys._is_gil_enabled())
    if cpu_thr > 0 and cpu_seq / cpu_thr < 1.3:
        ctx.note("info", "CPU work: {} took {} with {}, {} one after another: {}. {} took "
                 "{} ({:.1f}\u00d7 sequential{}).".format(
                     count(tasks, "task", "tasks"), ms_text(cpu_thr),
                     count(threads, "thread", "threads"), ms_text(cpu_seq),
                     "the GIL lets one thread run Python at a time" if gil
                     else "no faster, even without the GIL",
                     count(workers, "process", "processes").capitalize(), ms_text(cpu_proc),
                     cpu_seq / cpu_proc if cpu_proc > 0 else 0.0,
                     "; this machine has {}".format(count(os.cpu_count() or 1, "core", "cores"))
                     if workers > (os.cpu_count() or 1) else ""))
    else:
        ctx.note("differs", "CPU work ran {:.1f}\u00d7 faster on {} than one after another "
                 "({} against {}){}.".format(
                     cpu_seq / cpu_thr, count(threads, "thread", "threads"), ms_text(cpu_thr),
                     ms_text(cpu_seq), ": this CPython runs without the GIL" if not gil
                     else ""))
    if cpu_proc >= cpu_seq:
        ctx.note("info", "The process pool did not beat sequential on the CPU tasks here ({} "
                 "against {}){}.".format(
                     ms_text(cpu_proc), ms_text(cpu_seq),
                     ": one worker does the same work as this process" if workers == 1
                     else ": see how busy the rest of the machine was"))
    if hybrid_on:
        ctx.note("info", "Hybrid: the event loop handed each reply's {} ms of CPU to the {} "
                 "through loop.run_in_executor.".format(
                     group(io_ms), count(workers, "pool worker", "pool workers")))
    if r["processes_pss_mb"] == 0 or threads_pss == 0:
        ctx.note("warn", "This kernel did not show the processes' PSS (/proc/PID/smaps_rollup): "
                 "the memory column reads 0.")
    else:
        ctx.note("info", "Memory while each way was alive (PSS, shared pages split among the "
                 "processes that map them): threads {:.1f} MiB, asyncio {:.1f} MiB, this "
                 "process and its {} {:.1f} MiB.".format(
                     threads_pss, r["async_pss_mb"],
                     count(workers, "pool worker", "pool workers"), r["processes_pss_mb"]))


def detail():
    return "threads, ProcessPoolExecutor and asyncio, start method " + \
        multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
