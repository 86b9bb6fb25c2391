"""`queue-sentinel` on CPython: the slide's producer/consumer on real multiprocessing.Queues
(default context), a task queue and a result queue; each worker loops on get() and exits on
the None sentinel. With fewer sentinels than workers, a watchdog on join() names the workers
blocked forever in get(), kills and reaps them."""

import multiprocessing
import os
import queue
import time

import lectern_protocol as lp
from lectern_protocol import count

NAME = "queue-sentinel"

#: How often the producer looks at the queue while it waits for results.
LOOK_EVERY_S = 0.1

#: The producer gives up after this long without a result.
NO_RESULT_S = 60.0


def worker_row(role, state, done, tone):
    """One worker's row of the workers table; each process sends its own."""
    lp.emit("view", id="workers", view={
        "kind": "table",
        "columns": ["worker", "state", "done"],
        "rows": [[role, state, "" if done is None else str(done)]],
        "tones": [tone],
        "merge": True,
    })


def worker(index, tasks, results, task_ms, parent):
    """The slide's worker: get(); None means stop; otherwise work and put the result."""
    lp.die_with_parent(parent)
    role = "worker {}".format(index)
    done = 0
    while True:
        worker_row(role, "waiting in get()", done, "warn")
        item = tasks.get()
        if item is None:
            worker_row(role, "got its sentinel, exits", done, "muted")
            return
        worker_row(role, "working on task {}".format(item), done, "good")
        lp.busy(task_ms / 1000.0)
        done += 1
        results.put((item, index))


def show_queue(ctx, tasks_queue, capacity):
    """The task queue's depth as multiprocessing counts it (qsize(): items put and not yet
    taken)."""
    try:
        waiting = tasks_queue.qsize()
    except NotImplementedError:  # macOS has no sem_getvalue
        return
    ctx.view("queue", {
        "kind": "bars",
        "unit": "items",
        "bars": [{"label": "task queue", "value": float(waiting), "detail": "waiting",
                  "tone": "memory"}],
        "max": float(max(capacity, 1)),
    })


def main(ctx):
    p = ctx.params
    workers = int(p.get("workers", 2))
    sentinels = int(p.get("sentinels", workers))
    tasks = int(p.get("tasks", 4))
    task_ms = int(p.get("task_ms", 100))
    watchdog_s = int(p.get("watchdog_ms", 1500)) / 1000.0
    capacity = tasks + sentinels

    tasks_queue = multiprocessing.Queue()
    results_queue = multiprocessing.Queue()
    ctx.note("info", "{} {} tasks from one queue and {} results on another; the producer "
             "sends {}.".format(count(workers, "worker", "workers"),
                                "takes" if workers == 1 else "take",
                                "puts" if workers == 1 else "put",
                                count(sentinels, "sentinel", "sentinels")))

    procs = []  # (Process, index, role)
    # Under a forkserver (Python 3.14's default on Linux) the server is the workers' parent.
    parent = None if multiprocessing.get_start_method() == "forkserver" else os.getpid()
    try:
        for i in range(1, workers + 1):
            role = "worker {}".format(i)
            # The parent's row first, so the table lists the workers in order.
            worker_row(role, "starting", 0, "muted")
            proc = multiprocessing.Process(
                target=worker, args=(i, tasks_queue, results_queue, task_ms, parent),
                name=role)
            proc.start()
            ctx.process(proc.pid, os.getpid(), role)
            ctx.count_started()
            procs.append((proc, i, role))

        for k in range(1, tasks + 1):
            tasks_queue.put(k)
        for _ in range(sentinels):
            tasks_queue.put(None)
        show_queue(ctx, tasks_queue, capacity)
        sent = time.monotonic()
        ctx.progress("{} and {} are on the queue".format(
            count(tasks, "task", "tasks"), count(sentinels, "sentinel", "sentinels")), 0, tasks)

        # Collect every result.
        done_by = {i: 0 for i in range(1, workers + 1)}
        received = 0
        last_result = time.monotonic()
        while received < tasks:
            try:
                _task, index = results_queue.get(timeout=LOOK_EVERY_S)
            except queue.Empty:
                show_queue(ctx, tasks_queue, capacity)
                if time.monotonic() - last_result > NO_RESULT_S:
                    raise RuntimeError("no result for 60 s")
                continue
            last_result = time.monotonic()
            received += 1
            done_by[index] = done_by.get(index, 0) + 1
            show_queue(ctx, tasks_queue, capacity)
            ctx.progress("{} of {} results back".format(received, tasks), received, tasks)

        # join() each worker, with a watchdog.
        alive = list(procs)
        clean = 0
        deadline = time.monotonic() + watchdog_s
        while alive and time.monotonic() < deadline:
            still = []
            for proc, i, role in alive:
                if proc.is_alive():
                    still.append((proc, i, role))
                    continue
                proc.join()
                ctx.exited(proc.pid, role, proc.exitcode)
                if proc.exitcode is not None and proc.exitcode >= 0:
                    ctx.measure("join_ms", (time.monotonic() - sent) * 1000.0, "ms", role)
                clean += int(proc.exitcode == 0)
            alive = still
            if alive:
                time.sleep(0.01)

        blocked = len(alive)
        if alive:
            names = ", ".join("{} (pid {})".format(role, proc.pid) for proc, _, role in alive)
            ctx.note("warn", "Blocked forever in get(): {}. The producer sent {} for {}; {}, "
                     "the queue is empty and nothing more will come, so get() never returns "
                     "and join() would hang. The watchdog kills {}.".format(
                         names, count(sentinels, "sentinel", "sentinels"),
                         count(workers, "worker", "workers"),
                         "every sentinel has been taken" if sentinels else "there is none",
                         "it" if blocked == 1 else "them"))
        for proc, _, role in alive:
            proc.kill()
            proc.join()
            ctx.exited(proc.pid, role, proc.exitcode)
            worker_row(role, "blocked in get(), killed", None, "bad")
        alive = []

        # Sentinels nobody took. (A worker killed inside get() may have held the queue's read
        # lock: then get() times out, and there was nothing left to read anyway.)
        leftover = 0
        while True:
            try:
                item = tasks_queue.get(timeout=0.05)
            except queue.Empty:
                break
            leftover += int(item is None)
        show_queue(ctx, tasks_queue, capacity)
        if leftover > 0:
            ctx.note("info", "{} never taken: still in the queue when the workers had "
                     "gone.".format(count(leftover, "sentinel was", "sentinels were")))

        if blocked == 0 and leftover == 0:
            if workers == 1:
                ctx.headline("One sentinel per worker: the worker took its sentinel and exited, "
                             "so join() returned.", "good")
            else:
                ctx.headline("One sentinel per worker: all {} took theirs and exited, so join() "
                             "returned.".format(count(workers, "worker", "workers")), "good")
        elif blocked == 0:
            ctx.headline("Every worker exited; {} left over in the queue.".format(
                count(leftover, "sentinel", "sentinels")), "good")
        else:
            ctx.headline("{} blocked forever in get(): {} for {}. join() would hang; the "
                         "watchdog killed {}.".format(
                             count(blocked, "worker", "workers"),
                             count(sentinels, "sentinel", "sentinels"),
                             count(workers, "worker", "workers"),
                             "it" if blocked == 1 else "them"), "bad")
        for i in range(1, workers + 1):
            ctx.result("tasks_worker_{}".format(i), done_by.get(i, 0))
        ctx.result("tasks_done", received)
        ctx.result("clean_exits", clean)
        ctx.result("blocked_workers", blocked)
        ctx.result("leftover_sentinels", leftover)
    finally:
        # On any failure: no worker outlives the demo.
        for proc, _, role in procs:
            if proc.exitcode is None:
                proc.kill()
                proc.join()
                ctx.exited(proc.pid, role, proc.exitcode)
        for q in (tasks_queue, results_queue):
            q.close()
            q.cancel_join_thread()


def detail():
    return "multiprocessing.Queue, start method " + multiprocessing.get_start_method()


if __name__ == "__main__":
    lp.run(NAME, main, detail=detail)
