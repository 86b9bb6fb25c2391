"""`worker-crash` on CPython: a pool worker is SIGKILLed while it runs a task, twice. Part A,
multiprocessing.Pool: map_async of `tasks` tasks; the pool replaces the dead worker, but the
task it held is never run again and its result never comes, so the map would wait forever; a
watchdog notices and ends it. Part B, concurrent.futures.ProcessPoolExecutor: the same tasks;
the executor notices the death and fails the futures with BrokenProcessPool.

Each task tells this process which worker runs it (pid and task index) through a pipe whose
write end every worker shares: a message is one write() of a few bytes, atomic on a pipe, so
no lock is needed (a worker killed while holding a lock would block the others). After its
work each task waits until the demo has picked the worker to kill (a flag in shared memory,
read without a lock), so that worker is always killed inside its task, even with task_ms=0:
killed while taking its next task it would hold the lock of the pool's task queue, and
CPython's own teardown of the pool would wait for that lock forever."""

import concurrent.futures
import concurrent.futures.process
import ctypes
import multiprocessing
import os
import signal
import struct
import threading
import time

import lectern_protocol as lp
from lectern_protocol import count, group

NAME = "worker-crash"

#: A task's "started" message: the worker's pid and the task's index.
STARTED = struct.Struct("<ii")

#: How long the workers may take to start their first task.
START_TIMEOUT = 20.0

#: How long a killed or terminated worker may take to be reaped.
REAP_TIMEOUT = 5.0

#: How often the watchdog looks at the pool.
LOOK_EVERY_S = 0.02

#: How long part B waits at least for the executor to fail its futures.
EXECUTOR_WAIT_S = 5.0


# --- what the workers run (top level, so a spawn/forkserver worker can import it) -------------


#: Set in each worker by its initializer: where a task says it started, and the flag the
#: demo raises once it has killed a worker.
STARTED_PIPE = None
KILLED = None

#: How often a task that has done its work looks at the flag.
LOOK_FLAG_S = 0.001

#: How often a worker started by a thread checks that its parent is still there.
WATCH_PARENT_S = 0.05


class Creator:
    """Travels to a new process in its initializer's arguments and tells it whether its
    parent's MAIN thread created it. Pickled on the way (spawn, forkserver), it records the
    thread that pickled it, the one that starts the process; inherited by fork, it is not
    pickled, and the process's only thread is a copy of the one that forked."""

    def __init__(self, main=None):
        self.main = main

    def __reduce__(self):
        return (Creator, (threading.current_thread() is threading.main_thread(),))

    def by_main_thread(self):
        if self.main is not None:
            return self.main
        # threading's after-fork hook keeps the forking thread's Thread object.
        return isinstance(threading.current_thread(), getattr(threading, "_MainThread", ()))


def watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(WATCH_PARENT_S)
    os._exit(125)


def die_with_demo(parent, creator):
    """lectern_protocol.die_with_parent, for a process that another thread than its parent's
    main thread may have started: the Pool starts the replacement of a dead worker from its
    worker-handler thread. The kernel sends the parent-death signal when the THREAD that
    created the process ends, and that thread ends in terminate(), while the replacement may
    hold the lock of the pool's task queue: killed then, it would leave terminate() waiting
    for that lock forever. Such a process gives the signal up and watches its parent
    instead."""
    lp.die_with_parent(parent)
    if parent is None or creator.by_main_thread():
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, 0, 0, 0, 0)  # PR_SET_PDEATHSIG, none
    except (OSError, AttributeError):
        return
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()


def init_worker(parent, creator, started, killed):
    """Pool and executor initializer: die with the demo first, keep the pipe's write end and
    the flag."""
    global STARTED_PIPE, KILLED
    die_with_demo(parent, creator)
    STARTED_PIPE = started
    KILLED = killed


def task(arg):
    """One task: says it started (pid, index), spins `seconds` of CPU, waits until the demo
    has killed a worker, returns the index."""
    index, seconds = arg
    STARTED_PIPE.send_bytes(STARTED.pack(os.getpid(), index))
    lp.busy(seconds)
    while not KILLED.value:
        time.sleep(LOOK_FLAG_S)
    return index


# --- helpers -----------------------------------------------------------------------------------


def task_list(indices):
    items = ["task {}".format(i) for i in sorted(indices)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def first_start(reader, timeout):
    """The first (pid, index) a task reports, or None."""
    if not reader.poll(timeout):
        return None
    return STARTED.unpack(reader.recv_bytes())


def drain(reader):
    """Every (pid, index) reported so far."""
    out = []
    while reader.poll(0):
        out.append(STARTED.unpack(reader.recv_bytes()))
    return out


class Roles:
    """Names the workers of one pool as they appear: "<prefix> N", numbered from 1."""

    def __init__(self, ctx, prefix, parent):
        self.ctx = ctx
        self.prefix = prefix
        self.parent = parent
        self.procs = {}  # pid -> (Process, role)

    def see(self, procs):
        new = []
        for proc in procs:
            if proc.pid is None or proc.pid in self.procs:
                continue
            role = "{} {}".format(self.prefix, len(self.procs) + 1)
            self.procs[proc.pid] = (proc, role)
            self.ctx.count_started()
            self.ctx.process(proc.pid, self.parent, role)
            new.append(role)
        return new

    def role(self, pid):
        return self.procs[pid][1] if pid in self.procs else "pid {}".format(pid)

    def reap(self, killed):
        """Joins (or kills and joins) every process seen; reports each exit, the killed one
        first."""
        order = sorted(self.procs.items(), key=lambda kv: (kv[0] != killed, kv[0]))
        for pid, (proc, role) in order:
            proc.join(REAP_TIMEOUT)
            if proc.exitcode is None:
                proc.kill()
                proc.join()
            self.ctx.exited(pid, role, proc.exitcode)


# --- part A: multiprocessing.Pool --------------------------------------------------------------


def part_pool(ctx, mp, args, watchdog_s, parent):
    """Returns (lost task indices, hung, killed (pid, role, index) or None, new roles)."""
    me = os.getpid()
    reader, writer = mp.Pipe(duplex=False)
    killed_flag = mp.RawValue("b", 0)
    pool = mp.Pool(len_workers(ctx), initializer=init_worker,
                   initargs=(parent, Creator(), writer, killed_flag))
    roles = Roles(ctx, "pool worker", me)
    killed = None
    replacements = []
    result = None
    try:
        roles.see(list(pool._pool))
        ctx.progress("multiprocessing.Pool: map_async of {} (chunksize 1)".format(
            count(len(args), "task", "tasks")), 0, 2)
        result = pool.map_async(task, args, 1)
        started = first_start(reader, START_TIMEOUT)
        if started is None:
            raise RuntimeError("no task started in {:.0f} s".format(START_TIMEOUT))
        pid, index = started
        role = roles.role(pid)
        os.kill(pid, signal.SIGKILL)
        killed_flag.value = 1
        killed = (pid, role, index)
        ctx.note("info", "{} (pid {}) started task {}: the demo sent it SIGKILL.".format(
            role, pid, index))
        # The watchdog: the map's result, or the deadline.
        deadline = time.monotonic() + watchdog_s
        while time.monotonic() < deadline and not result.ready():
            replacements += roles.see(list(pool._pool))
            result.wait(LOOK_EVERY_S)
        replacements += roles.see(list(pool._pool))
        hung = not result.ready()
        drain(reader)
        # Which results came: the MapResult fills its list as each task's result arrives
        # (CPython 3.8 to 3.13 keep it in _value; None marks a result that never came).
        values = getattr(result, "_value", None)
        if hung and isinstance(values, list) and len(values) == len(args):
            lost = [i for i, v in enumerate(values) if v is None]
        elif hung:
            lost = [index]
        else:
            lost = []
        ctx.progress("multiprocessing.Pool: {}".format(
            "hung, ended by the watchdog" if hung else "map returned"), 1, 2)
    finally:
        # However this part ended, no task waits for the flag any longer.
        killed_flag.value = 1
        # terminate(): the only way out of a map that will never complete. A replacement
        # started since the last look is still in the pool's list afterwards.
        roles.see(list(pool._pool))
        pool.terminate()
        roles.see(list(pool._pool))
        roles.reap(killed[0] if killed else None)
        reader.close()
        writer.close()
    return lost, hung, killed, replacements


def len_workers(ctx):
    return max(1, int(ctx.params.get("workers", 2)))


# --- part B: ProcessPoolExecutor ---------------------------------------------------------------


def executor_processes(executor):
    """The executor's worker processes so far (CPython keeps them in _processes)."""
    procs = getattr(executor, "_processes", None) or {}
    return list(procs.values())


def part_executor(ctx, mp, args, watchdog_s, parent):
    """Returns (failed futures, broken, the first exception's text, killed (pid, role, index)
    or None, completed futures)."""
    me = os.getpid()
    reader, writer = mp.Pipe(duplex=False)
    killed_flag = mp.RawValue("b", 0)
    executor = concurrent.futures.ProcessPoolExecutor(
        len_workers(ctx), mp_context=mp, initializer=init_worker,
        initargs=(parent, Creator(), writer, killed_flag))
    roles = Roles(ctx, "executor worker", me)
    killed = None
    futures = []
    try:
        ctx.progress("ProcessPoolExecutor: {} submitted".format(
            count(len(args), "task", "tasks")), 1, 2)
        futures = [executor.submit(task, arg) for arg in args]
        roles.see(executor_processes(executor))
        started = first_start(reader, START_TIMEOUT)
        if started is None:
            raise RuntimeError("no task started in {:.0f} s".format(START_TIMEOUT))
        roles.see(executor_processes(executor))
        pid, index = started
        role = roles.role(pid)
        os.kill(pid, signal.SIGKILL)
        killed_flag.value = 1
        killed = (pid, role, index)
        ctx.note("info", "{} (pid {}) started task {}: the demo sent it SIGKILL.".format(
            role, pid, index))
        # The executor is told by the dead worker's sentinel: it ends as soon as it knows.
        deadline = time.monotonic() + max(watchdog_s, EXECUTOR_WAIT_S)
        while time.monotonic() < deadline:
            roles.see(executor_processes(executor))
            done, pending = concurrent.futures.wait(futures, LOOK_EVERY_S)
            if not pending:
                break
        drain(reader)
        failed = []
        completed = 0
        for future in futures:
            if not future.done():
                continue
            exc = future.exception()
            if exc is None:
                completed += 1
            else:
                failed.append(exc)
        broken = any(isinstance(exc, concurrent.futures.process.BrokenProcessPool)
                     for exc in failed)
        text = "{}: {}".format(type(failed[0]).__name__, failed[0]) if failed else ""
        ctx.progress("ProcessPoolExecutor: {}".format(
            "broken" if broken else "done"), 2, 2)
    finally:
        killed_flag.value = 1
        for future in futures:
            future.cancel()
        roles.see(executor_processes(executor))
        # The processes' objects before shutdown() lets go of them.
        executor.shutdown(wait=True)
        roles.reap(killed[0] if killed else None)
        reader.close()
        writer.close()
    return len(failed), broken, text, killed, completed


# --- the demo ----------------------------------------------------------------------------------


def main(ctx):
    p = ctx.params
    tasks = max(1, int(p.get("tasks", 4)))
    task_ms = max(0, int(p.get("task_ms", 200)))
    workers = len_workers(ctx)
    watchdog_s = max(0, int(p.get("watchdog_ms", 1500))) / 1000.0
    mp = multiprocessing.get_context()
    method = mp.get_start_method()
    # Under a forkserver the workers' parent is the forkserver (which dies with this process).
    parent = None if method == "forkserver" else os.getpid()
    args = [(i, task_ms / 1000.0) for i in range(tasks)]

    ctx.note("info", "{} of {} ms of CPU, {} (start method {}). As soon as a worker reports "
             "that it started a task, the demo kills it with SIGKILL, as the kernel's "
             "out-of-memory killer or a segfault in a C extension would.".format(
                 count(tasks, "task", "tasks"), group(task_ms),
                 count(workers, "worker", "workers"), method))

    lost, hung, killed_a, replacements = part_pool(ctx, mp, args, watchdog_s, parent)
    failed, broken, text, killed_b, completed = part_executor(ctx, mp, args, watchdog_s,
                                                              parent)

    ctx.result("lost_tasks", len(lost))
    ctx.result("map_hung", hung)
    ctx.result("executor_broken", broken)
    ctx.result("failed_futures", failed)

    # What happened, in words.
    pid_a, role_a, index_a = killed_a
    if hung:
        ctx.note("warn", "multiprocessing.Pool lost {} with {} (pid {}): {}, but nobody runs "
                 "the lost task again and map_async's result never becomes ready, so map() "
                 "would wait forever. The watchdog gave up after {} ms and ended the pool "
                 "with terminate().".format(
                     task_list(lost), role_a, pid_a,
                     "the pool started {} in its place".format(" and ".join(replacements))
                     if replacements else "the pool did not even replace the dead worker",
                     group(watchdog_s * 1000.0)))
        # The row stays short enough to fit beside a slide; the notes carry the details.
        pool_row = "{} lost: map() would wait forever".format(task_list(lost))
    else:
        ctx.note("differs", "multiprocessing.Pool's map returned within the watchdog's {} ms "
                 "although {} was killed during task {}: the task had finished before the "
                 "signal landed.".format(group(watchdog_s * 1000.0), role_a, index_a))
        pool_row = "map returned all {}".format(count(tasks, "result", "results"))
    pid_b, role_b, index_b = killed_b
    if broken:
        ctx.note("info", "ProcessPoolExecutor noticed {} (pid {}) die and failed {} of {} "
                 "futures ({} completed first) with: \u201c{}\u201d".format(
                     role_b, pid_b, failed, tasks, completed, text))
        executor_row = "broken: {} raised BrokenProcessPool".format(
            count(failed, "future", "futures"))
    else:
        ctx.note("differs", "ProcessPoolExecutor did not break within {} ms although {} was "
                 "killed during task {} ({} failed: {}).".format(
                     group(max(watchdog_s, EXECUTOR_WAIT_S) * 1000.0), role_b, index_b,
                     failed, text or "none"))
        executor_row = "not broken; {} failed".format(count(failed, "future", "futures"))

    ctx.view("what happened", {
        "kind": "table",
        "columns": ["pool", "what happened"],
        "rows": [["multiprocessing.Pool", pool_row], ["ProcessPoolExecutor", executor_row]],
        "tones": ["bad" if hung else "good", "warn" if broken else "bad"],
    })
    if hung and broken:
        ctx.headline("Pool.map lost {} with its worker and would have waited forever; "
                     "ProcessPoolExecutor raised BrokenProcessPool.".format(task_list(lost)),
                     "warn")
    elif hung:
        ctx.headline("Pool.map lost {} with its worker and would have waited forever; "
                     "ProcessPoolExecutor did not break.".format(task_list(lost)), "bad")
    elif broken:
        ctx.headline("Pool.map lost nothing this time (the task had finished); "
                     "ProcessPoolExecutor raised BrokenProcessPool.", "warn")
    else:
        ctx.headline("Neither pool lost a task: the killed workers had finished theirs.",
                     "normal")


def detail():
    return "Pool and ProcessPoolExecutor, start method " + multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
