"""squares: the sum of the squares of many numbers, by one process and by a pool.

This is a demo of a lesson's own, written from `lectern new`. The lesson declares it in its
front matter ([[demo]]): its name, this file, its parameters and its results. lectern runs it
with CPython under the same supervision as its own demos (its own process group, a cap on its
processes, everything killed and removed when it ends) and shows what it reports.

Try it alone:   lectern demo --lesson LESSON.md squares
Change:         what main() measures, ctx.result() names (declare them in the lesson's
                `results`), the view and the headline. Keep the last two lines.
The protocol:   docs/writing-demos.md
"""

import multiprocessing as mp
import time

import lectern_protocol as lp  # lectern makes it importable: nothing to copy


def part(bounds):
    """Real CPU work, in pure Python: what the pool splits between its workers."""
    start, end = bounds
    return sum(n * n for n in range(start, end))


def main(ctx):
    # The parameters, as declared in the lesson (checked by lectern before the run).
    workers = int(ctx.params["workers"])
    numbers = int(ctx.params["numbers"])

    ctx.progress("one process", 0, 2)
    start = time.perf_counter()
    expected = part((0, numbers))
    one_ms = (time.perf_counter() - start) * 1000.0

    ctx.progress("a pool of {}".format(workers), 1, 2)
    step = -(-numbers // workers)
    chunks = [(i, min(i + step, numbers)) for i in range(0, numbers, step)]
    # Workers die with this process (initializer), whatever ends it.
    with mp.Pool(workers, initializer=lp.die_with_parent) as pool:
        ctx.count_started(workers)
        pool.map(part, [(0, 1)] * workers)  # started and warm: only the work is timed
        start = time.perf_counter()
        total = sum(pool.map(part, chunks))
        pool_ms = (time.perf_counter() - start) * 1000.0
    if total != expected:
        raise RuntimeError("the pool's sum differs from one process's")

    # Results: numbers (or True/False) the lesson's claims can check.
    ctx.result("one_ms", one_ms)
    ctx.result("pool_ms", pool_ms)
    ctx.result("speedup", one_ms / pool_ms if pool_ms > 0 else 0.0)

    # Views: what the panel draws (bars, table, series, lanes, tree, headline).
    ctx.view("times", {
        "kind": "bars",
        "unit": "ms",
        "bars": [
            {"label": "one process", "value": one_ms, "tone": "muted"},
            {"label": "pool of {}".format(workers), "value": pool_ms, "tone": "good"},
        ],
        "caption": "The same sum, {:,} numbers.".format(numbers),
    })
    ctx.headline(
        "{} workers: {:.2f}× the speed of one process".format(workers, one_ms / pool_ms),
        "good" if pool_ms < one_ms else "warn",
    )


if __name__ == "__main__":
    lp.run("squares", main)
