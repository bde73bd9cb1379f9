#!/usr/bin/python3
"""FAISS peer for the annkit harness (bench/src/adapters/faiss.ts): any index-factory string, one thread.

Reads base and queries (fvecs), builds faiss.index_factory(dim, FACTORY, metric) (training IVF/PQ on the
first rows), then for each grid point sets the parameter (nprobe or efSearch) and runs every query once,
one at a time, timing each call itself. Writes the result ids (int32, nq x k per grid point) to --out and
prints JSON {buildSeconds, memoryBytes, points: [{params, latenciesMs}]} on stdout. Cosine is inner
product over normalised vectors (the same ranking).
"""
import argparse, json, os, sys, time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np

try:
    import faiss
except ImportError:
    print(json.dumps({"skip": "python3-faiss is not installed (bench/scripts/setup-faiss.sh installs Debian's package)"}))
    sys.exit(0)


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dim = int(raw[0])
    return np.ascontiguousarray(raw.reshape(-1, dim + 1)[:, 1:]).view(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--metric", required=True, choices=["l2", "ip", "cosine"])
    ap.add_argument("--factory", required=True)
    ap.add_argument("--grid", required=True, help="JSON list of {param: value} objects")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    faiss.omp_set_num_threads(1)
    base = read_fvecs(a.base)
    queries = read_fvecs(a.queries)
    if a.metric == "cosine":
        faiss.normalize_L2(base)
        faiss.normalize_L2(queries)
    metric = faiss.METRIC_L2 if a.metric == "l2" else faiss.METRIC_INNER_PRODUCT
    t0 = time.perf_counter()
    index = faiss.index_factory(base.shape[1], a.factory, metric)
    if not index.is_trained:
        index.train(base[: min(len(base), 100_000)])
    index.add(base)
    build = time.perf_counter() - t0
    size = len(faiss.serialize_index(index))
    params = faiss.ParameterSpace()
    points = []
    ids = np.zeros((0,), dtype=np.int32)
    out = open(a.out, "wb")
    for point in json.loads(a.grid):
        for name, value in point.items():
            params.set_index_parameter(index, name, value)
        for i in range(min(a.warmup, len(queries))):
            index.search(queries[i : i + 1], a.k)
        lat = []
        res = np.full((len(queries), a.k), -1, dtype=np.int32)
        for i in range(len(queries)):
            q = queries[i : i + 1]
            s = time.perf_counter()
            _, I = index.search(q, a.k)
            lat.append((time.perf_counter() - s) * 1000)
            res[i] = I[0]
        out.write(res.tobytes())
        points.append({"params": point, "latenciesMs": lat})
    out.close()
    print(json.dumps({"buildSeconds": build, "memoryBytes": size, "points": points}))


main()
